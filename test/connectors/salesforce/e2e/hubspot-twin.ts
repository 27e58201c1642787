/**
 * The HubSpot sandbox seeded alike (same seed and contact count), fully synced by the HubSpot connector, and
 * both stores' records keyed by what the generator gave them in common: a customer by email, an order by its
 * customer's email, date, amount, currency, status and lines (by product name). Ids differ by CRM and are left out.
 */
import { createHubSpotConnection } from '../../../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../../../connectors/hubspot/hubspot-adapter';
import { createHubSpotSandbox } from '../../../../connectors/hubspot/sandbox';
import type { Deal } from '../../../../domain/records';
import { MemorySink } from '../connector/memory-sink';

export async function hubspotFullSync(seed: number, contacts: number): Promise<MemorySink> {
  const sandbox = createHubSpotSandbox({ token: 't', portalId: '1000', seed, contacts });
  const running = await sandbox.listen(0);
  try {
    const adapter = createHubSpotAdapter({
      connection: createHubSpotConnection({
        accessToken: 't',
        baseUrl: running.url,
        account: { auth: 'oauth' },
      }),
      portalId: '1000',
    });
    const sink = new MemorySink();
    await adapter.readRecords({ mode: 'full' }, sink);
    return sink;
  } finally {
    await running.close();
  }
}

type Stored = Record<string, unknown> & { id: string };

export type Comparable = {
  customers: Map<string, Record<string, unknown>>;
  orders: string[];
  cases: string[];
  deals: string[];
};

/** What both CRMs must agree on, ids replaced by emails and product names. */
export function comparable(sink: MemorySink): Comparable {
  const emailOf = new Map<string, string>();
  const customers = new Map<string, Record<string, unknown>>();
  for (const c of sink.records.customer.values()) {
    const email = String(c.email);
    emailOf.set(c.id, email);
    customers.set(email, {
      createdAt: c.createdAt,
      firstName: c.firstName,
      lastName: c.lastName,
      country: c.country,
      city: c.city,
      birthDate: c.birthDate,
    });
  }
  const productName = new Map([...sink.records.product.values()].map((p: Stored) => [p.id, p.name]));
  const orders = [...sink.records.order.values()]
    .map((o) => {
      const lines = ((o.lines as { productId: string; quantity: number; unitPrice: number }[]) ?? [])
        .map((l) => `${String(productName.get(l.productId))}×${l.quantity}@${l.unitPrice}`)
        .sort()
        .join(',');
      return [
        emailOf.get(String(o.customerId)),
        String(o.placedAt).slice(0, 10),
        o.amount,
        o.currency,
        o.status,
        lines,
      ].join(' | ');
    })
    .sort();
  const cases = [...sink.records.serviceCase.values()]
    .map((c) => [emailOf.get(String(c.customerId)), c.openedAt, c.closedAt ?? '', c.priority].join(' | '))
    .sort();
  const deals = comparableDeals(
    [...sink.records.deal.values()] as unknown as Deal[],
    emailOf,
    new Map([...sink.records.rep.values()].map((r) => [r.id, String(r.email)])),
  );
  return { customers, orders, cases, deals };
}

/**
 * Deals as both CRMs must agree on them: the customer's and the owner's email, amount, currency, status and
 * the days created and closed. Stage names and lead sources are each CRM's own vocabulary and are left out.
 */
export function comparableDeals(
  deals: readonly Deal[],
  emailOf: ReadonlyMap<string, string>,
  ownerEmailOf: ReadonlyMap<string, string>,
): string[] {
  return deals
    .map((d) =>
      [
        d.customerId === undefined ? '(none)' : emailOf.get(d.customerId),
        ownerEmailOf.get(d.ownerId),
        d.amount,
        d.currency,
        d.status,
        d.createdAt,
        d.closedAt?.slice(0, 10) ?? 'open',
      ].join(' | '),
    )
    .sort();
}
