/**
 * Demo: Closed Won opportunities for the customers of a retention program, each with its contact role, put
 * into the sandbox org as if closed after enrolment (the orders demo-data/retention-effect.ts draws with a
 * known lift), so the measured lift can be checked after a real sync. The Salesforce twin of the HubSpot
 * sandbox's retention-deals.ts. CloseDate is a date: the day of `closedAt` (UTC).
 */
import { insertRecord, sfDatetime, type OrgStore } from './org-store';

export type RetentionOpportunity = { contactId: string; closedAt: number; amount: number; currency: string };

/** Inserts one Closed Won opportunity per entry; returns the new opportunity ids. */
export function insertRetentionOpportunities(
  store: OrgStore,
  opportunities: readonly RetentionOpportunity[],
  now: Date,
): string[] {
  const at = sfDatetime(now.getTime());
  const ids: string[] = [];
  for (const o of opportunities) {
    const contact = store.records.get('Contact')?.get(o.contactId);
    if (contact === undefined) throw new RangeError(`contact ${o.contactId} is not in the org`);
    const opportunity = insertRecord(
      store,
      'Opportunity',
      {
        AccountId: contact.AccountId ?? null,
        ContactId: o.contactId,
        Name: 'Retention program order',
        StageName: 'Closed Won',
        Amount: o.amount,
        CloseDate: new Date(o.closedAt).toISOString().slice(0, 10),
        CurrencyIsoCode: o.currency,
      },
      at,
    );
    insertRecord(
      store,
      'OpportunityContactRole',
      {
        OpportunityId: opportunity.Id,
        ContactId: o.contactId,
        Role: 'Decision Maker',
        IsPrimary: true,
      },
      at,
    );
    ids.push(opportunity.Id);
  }
  return ids;
}
