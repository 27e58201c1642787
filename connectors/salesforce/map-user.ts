import { finishMapping, rejected, type MapOutcome } from '../hubspot/map-outcome';
import type { SalesforceRecord } from './query-pages';
import { text } from './record-values';

/** Salesforce User (an owner: what OwnerId holds) → Rep; the name falls back to the email, then the id. */
export function mapUser(user: SalesforceRecord): MapOutcome<'rep'> {
  const id = text(user, 'Id');
  if (id === undefined) return rejected('rep', '(no id)', 'Id: is required but was not provided');
  const email = text(user, 'Email');
  return finishMapping('rep', { id, name: text(user, 'Name') ?? email ?? id, email }, []);
}
