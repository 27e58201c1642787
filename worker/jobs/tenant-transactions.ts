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
import type { Customer, Order, OrderLine, Product } from '../../domain/records';
import type { RecordStore } from '../state/record-store';
import { chronologicalOrders } from './chronological-orders';

export type TenantTransactions = {
  /**
   * The engine rows in batches, oldest order first; built as they are iterated (each pass builds them afresh:
   * a retrain whose history is too short for a holdout reads them twice), so a large tenant's rows are never
   * all in memory at once: at a million customers they would be ~2.5 GB next to the orders they are made from.
   */
  rows: Iterable<readonly RawTransaction[]>;
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

/** Rows per batch handed to the cleaner: big enough to amortise the iteration, small enough to stay young. */
const BATCH_ROWS = 4096;

/**
 * Lines of one product merged: two identical lines of an order would otherwise be one row twice, which the
 * cleaner rightly drops as a duplicate row. Then by product id: the order lines come in differs by CRM
 * (association order, SystemModstamp order). An order whose products are all different and already in that
 * order (nearly all: one line) is kept as it is, without a copy.
 */
function mergedLines(order: Order): readonly OrderLine[] {
  const lines = order.lines ?? [];
  if (distinctProducts(lines)) return inProductOrder(lines) ? lines : [...lines].sort(byProductId);
  const byProduct = new Map<string, OrderLine>();
  for (const line of lines) {
    const seen = byProduct.get(line.productId);
    if (seen === undefined) byProduct.set(line.productId, { ...line });
    else {
      const value = seen.quantity * seen.unitPrice + line.quantity * line.unitPrice;
      seen.quantity += line.quantity;
      seen.unitPrice = seen.quantity === 0 ? seen.unitPrice : value / seen.quantity;
    }
  }
  return [...byProduct.values()].sort(byProductId);
}

const byProductId = (a: OrderLine, b: OrderLine) => compare(a.productId, b.productId);

function inProductOrder(lines: readonly OrderLine[]): boolean {
  for (let i = 1; i < lines.length; i++) if (byProductId(lines[i - 1], lines[i]) > 0) return false;
  return true;
}

/** Pairwise for the usual handful of lines; a Set beyond. */
function distinctProducts(lines: readonly OrderLine[]): boolean {
  const n = lines.length;
  if (n > 16) return new Set(lines.map((l) => l.productId)).size === n;
  for (let i = 1; i < n; i++)
    for (let j = 0; j < i; j++) if (lines[i].productId === lines[j].productId) return false;
  return true;
}

/** One row, every key present (one V8 shape for all rows, as the file reader's). */
function row(
  order: Order,
  country: string | undefined,
  line: number,
  amount: number,
  orderLine: OrderLine | undefined,
): RawTransaction {
  return {
    line,
    customerId: order.customerId,
    orderId: order.id,
    date: order.placedAt,
    amount,
    productId: orderLine?.productId,
    quantity: orderLine?.quantity,
    unitPrice: orderLine?.unitPrice,
    channel: order.channel,
    currency: order.currency,
    country,
    description: undefined,
    malformed: undefined,
  };
}

/**
 * Appends the order's rows to `out` and returns how many. Amounts, quantities and prices are numbers: the
 * cleaner takes a number as the value of its decimal text (parse-decimal), so nothing is printed to be
 * parsed back.
 */
function pushOrderRows(
  out: RawTransaction[],
  order: Order,
  country: string | undefined,
  firstLine: number,
): number {
  const from = out.length;
  const lines = mergedLines(order);
  const n = lines.length;
  if (n === 0) out.push(row(order, country, firstLine, order.amount, undefined));
  else {
    // Line amounts scaled to sum to the order amount; equal shares when every line is worth 0.
    let total = 0;
    for (let i = 0; i < n; i++) total += lines[i].quantity * lines[i].unitPrice;
    for (let i = 0; i < n; i++) {
      const line = lines[i];
      const amount =
        total === 0 ? order.amount / n : (order.amount * (line.quantity * line.unitPrice)) / total;
      out.push(row(order, country, firstLine + i, amount, line));
    }
  }
  const purchases = out.length - from;
  if (order.status === 'won') return purchases;
  // Negated with the quantity kept positive: the cleaner reads a negative amount as a refund of that value.
  for (let i = 0; i < purchases; i++) {
    const purchase = out[from + i];
    out.push({ ...purchase, line: firstLine + purchases + i, amount: -(purchase.amount as number) });
  }
  return 2 * purchases;
}

export function orderRows(order: Order, country: string | undefined, firstLine: number): RawTransaction[] {
  const rows: RawTransaction[] = [];
  pushOrderRows(rows, order, country, firstLine);
  return rows;
}

/** The sorted orders' rows, BATCH_ROWS at a time, numbered from line 1. */
function* rowBatches(
  orders: readonly Order[],
  countryOf: ReadonlyMap<string, string>,
): Generator<RawTransaction[]> {
  let batch: RawTransaction[] = [];
  let line = 1;
  for (const order of orders) {
    line += pushOrderRows(batch, order, countryOf.get(order.customerId), line);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
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

  const currencies = new Map<string, number>();
  let refundedOrCancelled = 0;
  for (const order of orders) {
    currencies.set(order.currency, (currencies.get(order.currency) ?? 0) + 1);
    if (order.status !== 'won') refundedOrCancelled++;
  }
  // Oldest day first, then by customer and order id (chronological-orders: why by day).
  const sorted = chronologicalOrders(orders);

  const { productCategories, productNames } = productLookups(products);
  return {
    rows: { [Symbol.iterator]: () => rowBatches(sorted, countryOf) },
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

/** The catalogue as the engine reads it: product id → category (where one is given), id → name. */
export function productLookups(
  products: readonly Product[],
): Pick<TenantTransactions, 'productCategories' | 'productNames'> {
  const productCategories = new Map<string, string>();
  const productNames = new Map<string, string>();
  for (const p of products) {
    productNames.set(p.id, p.name);
    if (p.category !== undefined) productCategories.set(p.id, p.category);
  }
  return { productCategories, productNames };
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
