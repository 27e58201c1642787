/**
 * Demo: won deals for the customers of a retention program, put into the sandbox portal as if they had been
 * closed after enrolment (the orders demo-data/retention-effect.ts draws with a known lift), so the measured
 * lift can be checked after a real sync. Ids continue after the portal's highest, as HubSpot's creates do.
 */
import { associate, insertObject, type SandboxStore } from './sandbox-store';

export type RetentionDeal = { contactId: string; closedAt: number; amount: number; currency: string };

/** Inserts one closed-won deal per entry, associated with its contact; returns the new deal ids. */
export function insertRetentionDeals(
  store: SandboxStore,
  deals: readonly RetentionDeal[],
  now: Date,
): string[] {
  let next = 1 + Math.max(0, ...store.objects.deals.ids.map(Number));
  const modified = now.toISOString();
  const ids: string[] = [];
  for (const deal of deals) {
    if (!store.objects.contacts.byId.has(deal.contactId))
      throw new RangeError(`contact ${deal.contactId} is not in portal ${store.portalId}`);
    const id = String(next++);
    insertObject(store, 'deals', {
      id,
      properties: {
        hs_object_id: id,
        createdate: new Date(deal.closedAt).toISOString(),
        hs_lastmodifieddate: modified,
        dealname: 'Retention program order',
        amount: deal.amount.toFixed(2),
        deal_currency_code: deal.currency,
        closedate: new Date(deal.closedAt).toISOString(),
        pipeline: 'default',
        dealstage: 'closedwon',
      },
      createdAt: new Date(deal.closedAt).toISOString(),
      updatedAt: modified,
      archived: false,
    });
    associate(store, { type: 'contacts', id: deal.contactId, typeId: 4 }, { type: 'deals', id, typeId: 3 });
    ids.push(id);
  }
  return ids;
}
