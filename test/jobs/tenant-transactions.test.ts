import { createCleaner } from '../../worker/analytics/clean';
import type { Order } from '../../domain/records';
import { chronologicalOrders } from '../../worker/jobs/chronological-orders';
import { mainCurrency, orderRows, readTenantTransactions } from '../../worker/jobs/tenant-transactions';
import { FileRecordStore } from '../../worker/state';
import { customerRecord } from '../helpers/customer-record';
import { tempDir } from '../helpers/run-cli';

const order = (over: Partial<Order>): Order => ({
  id: 'd1',
  customerId: 'c1',
  placedAt: '2026-03-01T10:00:00.000Z',
  amount: 90,
  currency: 'EUR',
  status: 'won',
  ...over,
});

describe('orderRows: a stored order as engine rows', () => {
  it('splits the deal amount over its lines by line value, so revenue is the deal amount', () => {
    // Lines worth 20 and 80 of a 90 deal (a 10% discount): 18 and 72.
    const rows = orderRows(
      order({
        lines: [
          { productId: 'p1', quantity: 2, unitPrice: 10 },
          { productId: 'p2', quantity: 1, unitPrice: 80 },
        ],
      }),
      'Germany',
      1,
    );
    expect(rows.map((r) => [r.productId, Number(r.amount)])).toEqual([
      ['p1', 18],
      ['p2', 72],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2]);
    expect(rows.every((r) => r.country === 'Germany' && r.currency === 'EUR' && r.orderId === 'd1')).toBe(
      true,
    );
  });

  it('merges two lines of one product, which would otherwise be one row twice', () => {
    const rows = orderRows(
      order({
        amount: 30,
        lines: [
          { productId: 'p1', quantity: 1, unitPrice: 10 },
          { productId: 'p1', quantity: 2, unitPrice: 10 },
        ],
      }),
      undefined,
      1,
    );
    expect(rows).toHaveLength(1);
    expect([rows[0].quantity, rows[0].amount]).toEqual([3, 30]);
  });

  it('gives an order without lines one row with its amount', () => {
    const rows = orderRows(order({}), undefined, 5);
    expect(rows).toEqual([expect.objectContaining({ line: 5, amount: 90, customerId: 'c1' })]);
    expect(rows[0].productId).toBeUndefined();
  });

  it('nets a refunded order away in the cleaner and counts it, next to a kept order', () => {
    const cleaner = createCleaner({ observationEnd: '2026-10-31', baseCurrency: 'EUR' });
    const kept = orderRows(order({ id: 'd1', amount: 50 }), undefined, 1);
    const refunded = orderRows(
      order({ id: 'd2', status: 'refunded', placedAt: '2026-04-01T10:00:00.000Z' }),
      undefined,
      2,
    );
    expect(refunded.map((r) => Number(r.amount))).toEqual([90, -90]);
    for (const row of [...kept, ...refunded]) cleaner.add(row);
    const result = cleaner.finish();
    expect(result.quality.orders).toBe(1);
    expect(result.quality.cancellations.ordersFullyCancelled).toBe(1);
    expect(result.quality.cancellations.nettedValue).toBeCloseTo(90, 9);
    expect(Array.from(result.orders.amount)).toEqual([50]);
  });
});

describe('readTenantTransactions', () => {
  it('reads a synced tenant: rows oldest first, products, currencies', async () => {
    const store = new FileRecordStore(tempDir('tenant-tx'));
    await store.putRecords('t', 'order', [
      order({ id: 'late', placedAt: '2026-05-01T00:00:00.000Z', currency: 'USD' }),
      order({
        id: 'early',
        placedAt: '2026-01-01T00:00:00.000Z',
        lines: [{ productId: 'p1', quantity: 1, unitPrice: 9 }],
      }),
      order({ id: 'gone', status: 'cancelled' }),
    ]);
    await store.putRecords('t', 'customer', [customerRecord('c1', { country: 'France' })]);
    await store.putRecords('t', 'product', [{ id: 'p1', name: 'Beans', category: 'Coffee' }]);
    const data = await readTenantTransactions(store, 't');
    const rows = [...data.rows].flat();
    expect(rows.map((r) => r.orderId)).toEqual(['early', 'gone', 'gone', 'late']);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    expect(rows.every((r) => r.country === 'France')).toBe(true);
    // Built afresh on each pass: a second pass gives the same rows.
    expect([...data.rows].flat()).toEqual(rows);
    expect(data.productCategories).toEqual(new Map([['p1', 'Coffee']]));
    expect(data.productNames).toEqual(new Map([['p1', 'Beans']]));
    expect(data.counts).toEqual({ orders: 3, refundedOrCancelled: 1, customers: 1, products: 1 });
    expect(mainCurrency(data.currencies)).toBe('EUR');
  });

  it('breaks a tie of main currencies alphabetically and has none for no orders', () => {
    expect(
      mainCurrency(
        new Map([
          ['USD', 2],
          ['EUR', 2],
        ]),
      ),
    ).toBe('EUR');
    expect(mainCurrency(new Map())).toBeUndefined();
  });
});

describe('chronologicalOrders: by day, then customer, then order id', () => {
  /** The rule as it reads: the day's text (YYYY-MM-DD), then the customer id, then the order id. */
  const byRule = (orders: Order[]) =>
    [...orders].sort((a, b) => {
      const da = a.placedAt.slice(0, 10);
      const db = b.placedAt.slice(0, 10);
      if (da !== db) return da < db ? -1 : 1;
      if (a.customerId !== b.customerId) return a.customerId < b.customerId ? -1 : 1;
      return a.id < b.id ? -1 : 1;
    });
  const ids = (orders: Order[]) => orders.map((o) => o.id);

  it('orders stored times by day, customer and id, whatever the time of day', () => {
    let seed = 99;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const orders = Array.from({ length: 3000 }, (_, i) =>
      order({
        id: `d${Math.floor(random() * 1e6)}-${i}`,
        customerId: `c${Math.floor(random() * 40)}`,
        placedAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 200) * 3_600_000).toISOString(),
      }),
    );
    expect(ids(chronologicalOrders(orders))).toEqual(ids(byRule(orders)));
  });

  it('puts a later order of the same day first when its customer id sorts first (a date-only CRM gives the same order)', () => {
    const orders = [
      order({ id: 'o1', customerId: 'b', placedAt: '2026-03-01T09:00:00.000Z' }),
      order({ id: 'o2', customerId: 'a', placedAt: '2026-03-01T17:00:00.000Z' }),
      order({ id: 'o3', customerId: 'a', placedAt: '2026-02-28T23:59:59.000Z' }),
    ];
    expect(ids(chronologicalOrders(orders))).toEqual(['o3', 'o2', 'o1']);
    const dated = orders.map((o) => ({ ...o, placedAt: o.placedAt.slice(0, 10) }));
    expect(ids(chronologicalOrders(dated))).toEqual(['o3', 'o2', 'o1']);
  });

  it('sorts texts that do not start with a date by the same rule', () => {
    const orders = [
      order({ id: 'a', customerId: 'x', placedAt: '2026-03-01T10:00:00Z' }),
      order({ id: 'b', customerId: 'w', placedAt: '2026-03-01T11:00:00+02:00' }),
      order({ id: 'd', customerId: 'x', placedAt: '2026-02-31T00:00:00.000Z' }),
      order({ id: 'e', customerId: 'x', placedAt: '2026-03-02T00:00:00.000Z' }),
      order({ id: 'f', customerId: 'x', placedAt: 'not a date' }),
    ];
    expect(ids(chronologicalOrders(orders))).toEqual(ids(byRule(orders)));
    expect(ids(chronologicalOrders(orders.slice().reverse()))).toEqual(ids(byRule(orders)));
  });
});
