import { finishMapping, rejected, type MapOutcome } from '../hubspot/map-outcome';
import type { SalesforceRecord } from './query-pages';
import { readDateTime, text } from './record-values';

/** Salesforce Case → ServiceCase of its contact (ContactId); priority lower-cased, status as given. */
export function mapCase(serviceCase: SalesforceRecord): MapOutcome<'serviceCase'> {
  const id = text(serviceCase, 'Id');
  if (id === undefined) return rejected('serviceCase', '(no id)', 'Id: is required but was not provided');
  const customerId = text(serviceCase, 'ContactId');
  if (customerId === undefined)
    return rejected('serviceCase', id, 'ContactId: the case has no contact, so it belongs to no customer');
  const opened = readDateTime(serviceCase, 'CreatedDate');
  if (!opened.ok) return rejected('serviceCase', id, opened.problem);
  const warnings: string[] = [];
  const closed = readDateTime(serviceCase, 'ClosedDate');
  if (!closed.ok) warnings.push(`${closed.problem}; value dropped`);
  return finishMapping(
    'serviceCase',
    {
      id,
      customerId,
      openedAt: opened.value,
      closedAt: closed.ok ? closed.value : undefined,
      priority: text(serviceCase, 'Priority')?.toLowerCase(),
      status: text(serviceCase, 'Status'),
    },
    warnings,
  );
}
