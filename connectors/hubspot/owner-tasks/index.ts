export { createOwnerTasks, taskCreateInput } from './create-owner-tasks';
export { findOwnerTasks } from './find-owner-tasks';
export { readTaskContacts } from './read-task-contacts';
export { contactAssociation, TASK_OBJECT_TYPE, TASK_TO_CONTACT_TYPE_ID } from './task-associations';
