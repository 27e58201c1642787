/**
 * A synced tenant as the engine's input:
 * stored orders become the same RawTransaction rows a CSV import yields, so the cleaner, its counts and every
 * later stage are shared with the file path.
 *
 * - One row per order line, so interests and recommendations see products; a line's amount is its share of
 *   the order amount, because the deal amount (after discounts) is the revenue, not Σ quantity × price.
 * - An order without lines is one row with the order amount.
 * - A refunded or cancelled order is its purchase rows followed by the same rows negated: the cleaner nets
 *   them (worker/analytics/clean, refunds) and counts the order as fully cancelled, so it is reported, not lost.
 * - The customer's country goes on every row: the demographic profile reads it there.
 */
import type { RawTransaction } from '../../connectors/csv';
import type { Customer, Order, OrderLine } from '../../domain/records';
import type { RecordStore } from '../state/record-store';

export type TenantTransactions = {
  rows: RawTransaction[];
  /** The tenant's customer records (demographics, engagement), as stored. */
  customers: Customer[];
  /** Product id → category, for products that have one. */
  productCategories: Map<string, string>;
  /** Product id → name. */
  productNames: Map<string, string>;
  /** Orders per currency code, to choose the base currency and to say which rates are missing. */
  currencies: Map<string, number>;
  counts: { orders: number; refundedOrCancelled: number; customers: number; products: number };
};

export class TenantEmptyError extends Error {
  readonly code = 'TENANT_EMPTY';
  constructor(tenant: string, dataDir: string) {
    super(
      `tenant '${tenant}' has no synced orders in ${dataDir}: run 'crm-clv sync --crm hubspot' first (or check --data-dir and --tenant)`,
    );
    this.name = 'TenantEmptyError';
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lines of one product merged: two identical lines of an order would otherwise be one row twice, which the
 * cleaner rightly drops as a duplicate row.
 */
function mergedLines(order: Order): OrderLine[] {
  const byProduct = new Map<string, OrderLine>();
  for (const line of order.lines ?? []) {
    const seen = byProduct.get(line.productId);
    if (seen === undefined) byProduct.set(line.productId, { ...line });
    else {
      const value = seen.quantity * seen.unitPrice + line.quantity * line.unitPrice;
      seen.quantity += line.quantity;
      seen.unitPrice = seen.quantity === 0 ? seen.unitPrice : value / seen.quantity;
    }
  }
  // By product id: the order lines come in differs by CRM (association order, SystemModstamp order).
  return [...byProduct.values()].sort((a, b) => compare(a.productId, b.productId));
}

/** Line amounts scaled to sum to the order amount; equal shares when every line is worth 0. */
function lineAmounts(order: Order, lines: readonly OrderLine[]): number[] {
  const values = lines.map((l) => l.quantity * l.unitPrice);
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) return lines.map(() => order.amount / lines.length);
  return values.map((v) => (order.amount * v) / total);
}

export function orderRows(order: Order, country: string | undefined, firstLine: number): RawTransaction[] {
  const base = {
    customerId: order.customerId,
    orderId: order.id,
    date: order.placedAt,
    currency: order.currency,
    channel: order.channel,
    country,
  };
  const lines = mergedLines(order);
  const purchase: RawTransaction[] =
    lines.length > 0
      ? lineAmounts(order, lines).map((amount, i) => {
          const line = lines[i];
          return {
            ...base,
            line: firstLine + i,
            amount: String(amount),
            productId: line.productId,
            quantity: String(line.quantity),
            unitPrice: String(line.unitPrice),
          };
        })
      : [{ ...base, line: firstLine, amount: String(order.amount) }];
  if (order.status === 'won') return purchase;
  // Negated with the quantity kept positive: the cleaner reads a negative amount as a refund of that value.
  const reversal = purchase.map((row, i) => ({
    ...row,
    line: firstLine + purchase.length + i,
    amount: String(-Number(row.amount)),
  }));
  return [...purchase, ...reversal];
}

export async function readTenantTransactions(
  store: RecordStore,
  tenant: string,
): Promise<TenantTransactions> {
  const [orders, customers, products] = await Promise.all([
    store.readRecords(tenant, 'order'),
    store.readRecords(tenant, 'customer'),
    store.readRecords(tenant, 'product'),
  ]);
  const countryOf = new Map<string, string>();
  for (const c of customers) if (c.country !== undefined) countryOf.set(c.id, c.country);

  const rows: RawTransaction[] = [];
  const currencies = new Map<string, number>();
  let refundedOrCancelled = 0;
  // Oldest day first, as a file export would be; within a day by customer, then order id, so the input
  // order is reproducible. By day, not instant: the engine counts whole days, and a CRM that dates its orders
  // (Salesforce CloseDate) must hand the engine the same rows in the same order as one that times them
  // (HubSpot closedate), or the fits see the customers in another order and differ in the last digits.
  const day = (o: Order) => o.placedAt.slice(0, 10);
  const sorted = [...orders].sort(
    (a, b) => compare(day(a), day(b)) || compare(a.customerId, b.customerId) || compare(a.id, b.id),
  );
  for (const order of sorted) {
    currencies.set(order.currency, (currencies.get(order.currency) ?? 0) + 1);
    if (order.status !== 'won') refundedOrCancelled++;
    for (const row of orderRows(order, countryOf.get(order.customerId), rows.length + 1)) rows.push(row);
  }

  const productCategories = new Map<string, string>();
  const productNames = new Map<string, string>();
  for (const p of products) {
    productNames.set(p.id, p.name);
    if (p.category !== undefined) productCategories.set(p.id, p.category);
  }
  return {
    rows,
    customers,
    productCategories,
    productNames,
    currencies,
    counts: {
      orders: orders.length,
      refundedOrCancelled,
      customers: customers.length,
      products: products.length,
    },
  };
}

/** The currency most orders are in (ties: alphabetical), the default base currency of a tenant. */
export function mainCurrency(currencies: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = -1;
  for (const [code, n] of [...currencies].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (n > bestCount) {
      best = code;
      bestCount = n;
    }
  }
  return best;
}
