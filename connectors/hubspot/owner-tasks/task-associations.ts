/**
 * HubSpot's task object and its association to a contact. Task → contact is the HubSpot-defined type 204 (the
 * tasks guide's create example, developers.hubspot.com/docs/api/crm/tasks; contact → task is 203), given in
 * the create body so the task and its association are one write: no task is ever left without its contact.
 */

export const TASK_OBJECT_TYPE = 'tasks';
export const TASK_TO_CONTACT_TYPE_ID = 204;

/** The `associations` entry of a task create that ties it to one contact. */
export function contactAssociation(contactId: string) {
  return {
    to: { id: contactId },
    types: [{ associationCategory: 'HUBSPOT_DEFINED' as const, associationTypeId: TASK_TO_CONTACT_TYPE_ID }],
  };
}
