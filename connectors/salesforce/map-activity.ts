/**
 * Task and Event → Activity (domain/records.ts), the activity signals a customer's engagement is counted from
 * (domain/engagement.ts). Salesforce logs no opens, clicks or page views on its activities, so what counts is
 * what a contact took part in, and only once it happened:
 *
 * | Salesforce | Activity kind | when |
 * |---|---|---|
 * | Task, TaskSubtype Email or List Email | email | closed (a logged email is closed on save) |
 * | Task, TaskSubtype Call | call | closed (an open call task is a call still to make) |
 * | Event | meeting | always (a meeting the contact agreed to) |
 *
 * Other tasks (TaskSubtype Task or Cadence: reminders and to-dos, our own retention tasks among them) and
 * activities whose WhoId is not a contact (a lead, or none) are no signal: skipped, and dropped from the store
 * if an earlier version of them was a signal. The time is when it happened: CompletedDateTime, else
 * ActivityDate (the due date, midnight UTC), else CreatedDate; an Event's ActivityDateTime (its start), else
 * ActivityDate for an all-day event, else CreatedDate. TaskSubtype values: NOTES §4 (Task).
 */
import { finishMapping, rejected, type MapOutcome } from '../hubspot/map-outcome';
import type { ActivityKind } from '../../domain/records';
import type { SalesforceRecord } from './query-pages';
import { dateAsDateTime, readBoolean, readDate, readDateTime, text, type Read } from './record-values';

/** Contact ids start with the Contact key prefix; a WhoId may also hold a Lead (00Q). */
const CONTACT_KEY_PREFIX = '003';

const TASK_KINDS: Readonly<Record<string, ActivityKind>> = {
  Email: 'email',
  'List Email': 'email',
  Call: 'call',
};

function noSignal(id: string, reason: string): MapOutcome<'activity'> {
  return { kind: 'skipped', type: 'activity', id, reason };
}

function contactOf(activity: SalesforceRecord): string | undefined {
  const who = text(activity, 'WhoId');
  return who !== undefined && who.startsWith(CONTACT_KEY_PREFIX) ? who : undefined;
}

/** The first readable time of `reads`; a problem of one read first is the rejection. */
function firstTime(reads: readonly Read<string>[]): Read<string> {
  for (const read of reads) if (!read.ok || read.value !== undefined) return read;
  return { ok: true, value: undefined };
}

export function mapTask(task: SalesforceRecord): MapOutcome<'activity'> {
  const id = text(task, 'Id');
  if (id === undefined) return rejected('activity', '(no id)', 'Id: is required but was not provided');
  const subtype = text(task, 'TaskSubtype');
  const kind = subtype === undefined ? undefined : TASK_KINDS[subtype];
  if (kind === undefined) return noSignal(id, `a ${subtype ?? 'plain'} task is no activity signal`);
  const customerId = contactOf(task);
  if (customerId === undefined) return noSignal(id, 'the task is not a contact’s (WhoId)');
  const closed = readBoolean(task, 'IsClosed');
  if (!closed.ok) return rejected('activity', id, closed.problem);
  if (closed.value !== true) return noSignal(id, 'the task is still open');
  const due = readDate(task, 'ActivityDate');
  const at = firstTime([
    readDateTime(task, 'CompletedDateTime'),
    due.ok ? { ok: true, value: dateAsDateTime(due.value) } : due,
    readDateTime(task, 'CreatedDate'),
  ]);
  if (!at.ok) return rejected('activity', id, at.problem);
  return finishMapping('activity', { id, customerId, kind, occurredAt: at.value }, []);
}

export function mapEvent(event: SalesforceRecord): MapOutcome<'activity'> {
  const id = text(event, 'Id');
  if (id === undefined) return rejected('activity', '(no id)', 'Id: is required but was not provided');
  const customerId = contactOf(event);
  if (customerId === undefined) return noSignal(id, 'the event is not a contact’s (WhoId)');
  const day = readDate(event, 'ActivityDate');
  const at = firstTime([
    readDateTime(event, 'ActivityDateTime'),
    day.ok ? { ok: true, value: dateAsDateTime(day.value) } : day,
    readDateTime(event, 'CreatedDate'),
  ]);
  if (!at.ok) return rejected('activity', id, at.problem);
  return finishMapping('activity', { id, customerId, kind: 'meeting', occurredAt: at.value }, []);
}
