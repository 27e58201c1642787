/**
 * A synced tenant's records with what real CRMs hand over and the cleaner must deal with: refunds and
 * cancellations, free items, lines of one product twice, orders without lines, a second currency, times with
 * offsets that move an order to the next UTC day, orders after the observation end, customers without orders,
 * CRM attributes for some customers, service cases, and ids that sort differently as text and as numbers.
 * Seeded: the same seed gives the same records.
 */
import type { Customer, Order, OrderLine, Product, ServiceCase } from '../../domain/records';
import type { RecordStore } from '../../worker/state';
import { createSeededRandom } from './random';

export const SYNCED_OBSERVATION_END = '2024-12-31';

export type SyncedTenant = {
  customers: Customer[];
  orders: Order[];
  products: Product[];
  serviceCases: ServiceCase[];
};

export function syncedTenant(customers: number, seed: number): SyncedTenant {
  const random = createSeededRandom(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random.uniform() * values.length)];
  const products: Product[] = Array.from({ length: 24 }, (_, i) => ({
    id: `p${i}`,
    name: `Product ${i}`,
    ...(i % 3 === 0 ? { category: pick(['Kitchen', 'Garden', 'Toys']) } : {}),
    price: 5 + i,
  }));
  const out: SyncedTenant = { customers: [], orders: [], products, serviceCases: [] };
  for (let c = 0; c < customers; c++) {
    const id = c % 17 === 0 ? `9${c}` : c % 29 === 0 ? `ç-${c}` : `c${c}`;
    const with_ = random.uniform();
    out.customers.push({
      id,
      tenant: 't',
      source: 'hubspot',
      externalId: id,
      createdAt: '2022-01-01T00:00:00.000Z',
      updatedAt: '2022-01-01T00:00:00.000Z',
      ...(with_ < 0.7 ? { country: pick(['Germany', 'France', ' United Kingdom', 'Spain']) } : {}),
      ...(with_ < 0.5 ? { firstName: pick(['Ada', 'Grace', ' Alan ', '']) } : {}),
      ...(with_ < 0.4 ? { birthDate: `19${50 + Math.floor(random.uniform() * 50)}-05-17` } : {}),
      ...(with_ > 0.6 ? { gender: pick(['female', 'male', 'F']), region: pick(['North', 'South']) } : {}),
      ...(with_ < 0.3
        ? {
            engagement: {
              pageViews: Math.floor(random.uniform() * 40),
              visits: 3,
              emailOpens: Math.floor(random.uniform() * 9),
              emailClicks: Math.floor(random.uniform() * 3),
              socialClicks: 0,
            },
          }
        : {}),
    });
    // One customer in ten never ordered; the others 1 to 9 orders over two years.
    if (c % 10 === 9) continue;
    const orders = 1 + Math.floor(random.exponential(0.35));
    for (let k = 0; k < Math.min(orders, 9); k++) out.orders.push(order(`${id}-o${k}`, id, random, pick));
    if (random.uniform() < 0.15)
      out.serviceCases.push({
        id: `case-${id}`,
        customerId: id,
        openedAt: `2024-${String(1 + Math.floor(random.uniform() * 12)).padStart(2, '0')}-10T09:00:00.000Z`,
        ...(random.uniform() < 0.5 ? { closedAt: '2024-12-20T09:00:00.000Z' } : {}),
        priority: pick(['low', 'HIGH', 'urgent', 'whenever']),
        ...(random.uniform() < 0.3 ? { status: 'Closed' } : {}),
      });
  }
  // Stored in sync order, not by customer: pages of orders arrive mixed.
  for (let i = out.orders.length - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [out.orders[i], out.orders[j]] = [out.orders[j], out.orders[i]];
  }
  return out;
}

function order(
  id: string,
  customerId: string,
  random: ReturnType<typeof createSeededRandom>,
  pick: <T>(values: readonly T[]) => T,
): Order {
  const day = 1 + Math.floor(random.uniform() * 760);
  const at = new Date(Date.UTC(2023, 0, day, Math.floor(random.uniform() * 24), 30));
  const offset = random.uniform() < 0.1;
  // '-02:00' at 23:30 is the next day in UTC: the row order goes by the text's day, the engine by UTC.
  const placedAt = offset ? `${at.toISOString().slice(0, 10)}T23:30:00.000-02:00` : at.toISOString();
  const lines: OrderLine[] = [];
  const n = random.uniform() < 0.1 ? 0 : 1 + Math.floor(random.exponential(0.9));
  for (let l = 0; l < Math.min(n, 4); l++) {
    const product = pick(['p1', 'p2', 'p3', 'p5', 'p8', 'p13', 'p21', 'p7', 'p11']);
    const free = random.uniform() < 0.05;
    lines.push({
      productId: product,
      quantity: 1 + Math.floor(random.uniform() * 3),
      unitPrice: free ? 0 : 4 + l,
    });
  }
  const amount = lines.length === 0 ? 20 + Math.round(random.uniform() * 2000) / 100 : 0;
  const total = lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
  const u = random.uniform();
  return {
    id,
    customerId,
    placedAt,
    amount: lines.length === 0 ? amount : Math.round(total * 97) / 100,
    currency: random.uniform() < 0.1 ? 'EUR' : 'USD',
    status: u < 0.06 ? 'refunded' : u < 0.09 ? 'cancelled' : 'won',
    ...(random.uniform() < 0.8 ? { channel: pick(['web', 'store', 'phone']) } : {}),
    ...(lines.length > 0 ? { lines } : {}),
  };
}

export async function storeSyncedTenant(
  store: RecordStore,
  tenant: string,
  records: SyncedTenant,
): Promise<void> {
  await store.putRecords(tenant, 'customer', records.customers);
  await store.putRecords(tenant, 'product', records.products);
  await store.putRecords(tenant, 'order', records.orders);
  await store.putRecords(tenant, 'serviceCase', records.serviceCases);
}
