/**
 * One part of a tenant's customers cleaned on its own (a score run's prepare shard, ./score-prepare): their
 * orders become engine rows exactly as the whole tenant's would (./tenant-transactions), in the same order
 * (./chronological-orders), and go through the cleaner. The cleaner's rules are per customer but for two:
 * the implausible-amount limit and the anomaly flags, which depend on every order of the tenant. A part
 * therefore says whether it can be merged exactly (./merge-cleaned-parts, in the fit): while no amount reaches
 * the implausible ceiling the limit cannot exclude anything, and the anomaly flags are made again over the
 * merged orders. Otherwise the fit cleans the tenant whole, as before.
 *
 * What a merge needs beyond the cleaner's result is where each thing sits on the rows: each stored order's day,
 * customer and row count (the merged rows are every part's rows in the whole tenant's order), and the stored
 * order each kept order, cancellation event, product and channel comes from. The cleaner does not say; the
 * row rules (../pipeline/stored-row-fate) do, and are checked here against the cleaner's own counts, events,
 * products and channels: a disagreement makes the part unmergeable rather than merged wrong.
 */
import type { Customer, Order, ServiceCase } from '../../domain/records';
import type { RawTransaction } from '../../domain/raw-transaction';
import {
  createCleaner,
  parseCleanerConfig,
  type CleanerConfigInput,
  type CleanResult,
} from '../analytics/clean';
import { parseTimestamp } from '../analytics/clean/parse-timestamp';
import {
  crmAttributesFromRecords,
  type CrmCustomerAttributes,
  type CrmServiceCase,
} from '../pipeline/crm-attributes';
import { CANCELLATION, PURCHASE, rowRules, storedRowFate } from '../pipeline/stored-row-fate';
import { chronologicalOrders, dayNumber } from './chronological-orders';
import { orderRows } from './tenant-transactions';

export type CleanedPart = {
  /** Why these customers cannot be merged into exactly the whole tenant's result; null when they can. */
  unmergeable: string | null;
  /** The cleaning the rows had (observation end, base currency, rates): a run's parts must share it. */
  cleaning: string;
  /** Every customer on the part's orders, sorted by id. */
  customerIds: string[];
  /** The part's stored orders in row order (day, customer, id): day as yyyymmdd, customer, rows made. */
  orders: { day: Int32Array; customer: Int32Array; rows: Int32Array };
  /** Stored orders per currency code (all of them, as the whole tenant's base currency is chosen from). */
  currencies: [string, number][];
  /** The cleaner's result on the part's rows, numbered from line 1. */
  clean: CleanResult;
  /** Per clean customer: its index in customerIds. */
  keptCustomer: Int32Array;
  /** Per clean order: its stored order. */
  keptOrder: Int32Array;
  /** Per cancellation event: its stored order. */
  cancellationOrder: Int32Array;
  /** Per clean product: the stored order and the row within it where the cleaner first met it. */
  productFirst: { order: Int32Array; row: Int32Array };
  /** Per clean channel: the stored order where the cleaner first met it. */
  channelFirst: Int32Array;
  /** Each cleaned order's amount before netting (the implausible-amount summary is over these). */
  purchaseAmounts: Float64Array;
  /** The CRM's attributes per customerIds entry (null without a customer record), and their service cases. */
  crm: {
    customers: (CrmCustomerAttributes | null)[];
    serviceCases: CrmServiceCase[];
    casePositions: number[];
  };
};

export type PartRecords = {
  orders: readonly Order[];
  customers: readonly Customer[];
  serviceCases: { records: readonly ServiceCase[]; positions: readonly number[] };
};

/** The part of the cleaning every part must share, as text to compare. */
export function cleaningStamp(config: CleanerConfigInput): string {
  const parsed = parseCleanerConfig(config);
  const rates = Object.entries(parsed.currencyRates).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([parsed.observationEnd, parsed.baseCurrency, rates, parsed.keepLines]);
}

export function cleanedPart(records: PartRecords, cleaner: CleanerConfigInput): CleanedPart {
  const config = parseCleanerConfig(cleaner);
  const rules = rowRules(config);
  const unmergeable: string[] = [];
  const orders = chronologicalOrders(records.orders);
  const n = orders.length;

  const customerIds = [...new Set(orders.map((o) => o.customerId))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const customerIndex = new Map(customerIds.map((id, i) => [id, i]));
  const padded = customerIds.find((id) => id.charCodeAt(0) <= 32 || id.charCodeAt(id.length - 1) <= 32);
  // The cleaner trims ids: " 7" and "7" are one customer to it but sit in two buckets here.
  if (padded !== undefined) unmergeable.push(`customer id '${padded}' has spaces around it`);
  const countryOf = new Map<string, string>();
  for (const c of records.customers) if (c.country !== undefined) countryOf.set(c.id, c.country);

  const day = new Int32Array(n);
  const customer = new Int32Array(n);
  const rowCount = new Int32Array(n);
  const currencies = new Map<string, number>();
  const cleanerOf = createCleaner(cleaner);
  const rows: RawTransaction[][] = [];
  let line = 1;
  for (let i = 0; i < n; i++) {
    const order = orders[i];
    day[i] = dayNumber(order.placedAt);
    if (day[i] < 0 && unmergeable.length === 0) unmergeable.push(`order ${order.id} has no YYYY-MM-DD date`);
    customer[i] = customerIndex.get(order.customerId)!;
    currencies.set(order.currency, (currencies.get(order.currency) ?? 0) + 1);
    const made = orderRows(order, countryOf.get(order.customerId), line);
    for (const row of made) cleanerOf.add(row);
    rows.push(made);
    rowCount[i] = made.length;
    line += made.length;
  }
  const clean = cleanerOf.finish();

  const placed = placeOnRows(rows, rules, clean, unmergeable);
  const { ceiling } = config.implausible;
  if (config.anomaly.exclude)
    unmergeable.push('anomalous orders are excluded (their limits are the whole tenant’s)');
  if (clean.quality.rowsExcluded.implausible_amount > 0 || placed.aboveCeiling)
    unmergeable.push(`an amount is not finite or above the implausible ceiling ${ceiling}`);

  const keptCustomer = Int32Array.from(clean.customers, (id) => customerIndex.get(id) ?? -1);
  if (keptCustomer.includes(-1)) unmergeable.push('the cleaner kept a customer of no stored order');
  return {
    unmergeable: unmergeable.length > 0 ? unmergeable.join('; ') : null,
    cleaning: cleaningStamp(cleaner),
    customerIds,
    orders: { day, customer, rows: rowCount },
    currencies: [...currencies],
    clean,
    keptCustomer,
    ...placed.on,
    crm: partCrm(records, customerIndex, customerIds),
  };
}

type Placed = Pick<
  CleanedPart,
  'keptOrder' | 'cancellationOrder' | 'productFirst' | 'channelFirst' | 'purchaseAmounts'
>;

/**
 * Where the cleaner's orders, events, products and channels come from on the rows, by the row rules; each
 * checked against what the cleaner made. A mismatch is added to `unmergeable`.
 */
function placeOnRows(
  rows: readonly RawTransaction[][],
  rules: ReturnType<typeof rowRules>,
  clean: CleanResult,
  unmergeable: string[],
): { on: Placed; aboveCeiling: boolean } {
  const { ceiling } = rules.config.implausible;
  const n = rows.length;
  const firstPurchaseLine = new Int32Array(n).fill(-1);
  const purchaseAmounts: number[] = [];
  const cancellationOrder: number[] = [];
  const cancellationTime: number[] = [];
  const cancellationValue: number[] = [];
  const productAt = new Map<string, [number, number]>();
  const channelAt = new Map<string, number>();
  let purchases = 0;
  let aboveCeiling = false;
  for (let i = 0; i < n; i++) {
    let amount = 0;
    for (let r = 0; r < rows[i].length; r++) {
      const row = rows[i][r];
      const { fate, value } = storedRowFate(row, rules);
      if (fate !== PURCHASE && fate !== CANCELLATION) continue;
      if (fate === PURCHASE) {
        purchases++;
        amount += value;
        if (firstPurchaseLine[i] < 0) {
          firstPurchaseLine[i] = row.line;
          if (row.channel && !channelAt.has(row.channel)) channelAt.set(row.channel, i);
        }
      } else {
        cancellationOrder.push(i);
        cancellationTime.push(parseTimestamp(row.date));
        cancellationValue.push(Math.abs(value));
        if (Math.abs(value) > ceiling) aboveCeiling = true;
      }
      if (row.productId && !productAt.has(row.productId)) productAt.set(row.productId, [i, r]);
    }
    if (firstPurchaseLine[i] >= 0) {
      purchaseAmounts.push(amount);
      if (!(Math.abs(amount) <= ceiling)) aboveCeiling = true;
    }
  }

  const q = clean.quality;
  const disagree = (what: string) => unmergeable.push(`the row rules and the cleaner disagree on ${what}`);
  if (q.rowsUsed !== purchases || q.rowsExcluded.cancellation !== cancellationOrder.length)
    disagree('the purchase and cancellation rows');
  const events = clean.cancellations;
  if (
    events === undefined ||
    events.time.length !== cancellationOrder.length ||
    events.time.some((t, j) => t !== cancellationTime[j] || events.value[j] !== cancellationValue[j])
  )
    disagree('the cancellation events');
  // The cleaner keeps its products only with lines (a CLV-only run): then there is nothing to place.
  const products = clean.products === undefined ? [] : [...productAt.keys()];
  if ((clean.products ?? []).join('\u0000') !== products.join('\u0000')) disagree('the products');
  const channels = [...channelAt.keys()];
  if ((clean.channels ?? []).join('\u0000') !== channels.join('\u0000')) disagree('the channels');

  // A kept order starts at its first purchase row: the stored order that has that row.
  const orderOfLine = new Map<number, number>();
  firstPurchaseLine.forEach((l, i) => l >= 0 && orderOfLine.set(l, i));
  const keptOrder = Int32Array.from(clean.orders.firstLine, (l) => orderOfLine.get(l) ?? -1);
  if (keptOrder.includes(-1)) disagree('where the orders start');

  return {
    on: {
      keptOrder,
      cancellationOrder: Int32Array.from(cancellationOrder),
      productFirst: {
        order: Int32Array.from(products, (p) => productAt.get(p)![0]),
        row: Int32Array.from(products, (p) => productAt.get(p)![1]),
      },
      channelFirst: Int32Array.from(channels, (c) => channelAt.get(c)!),
      purchaseAmounts: Float64Array.from(purchaseAmounts),
    },
    aboveCeiling,
  };
}

/** The part's customers' CRM attributes and service cases (those with a readable opening date, as the whole tenant's). */
function partCrm(
  records: PartRecords,
  customerIndex: ReadonlyMap<string, number>,
  customerIds: readonly string[],
): CleanedPart['crm'] {
  const cases = records.serviceCases.records;
  const kept: number[] = [];
  for (let i = 0; i < cases.length; i++)
    if (customerIndex.has(cases[i].customerId) && Number.isFinite(Date.parse(cases[i].openedAt)))
      kept.push(i);
  const crm = crmAttributesFromRecords(
    records.customers.filter((c) => customerIndex.has(c.id)),
    kept.map((i) => cases[i]),
  );
  // A customer record with none of the attributes reads as no record to every consumer (`?.firstName` …):
  // null keeps a million empty objects out of the fit's heap.
  const known = (a: CrmCustomerAttributes | undefined) =>
    a !== undefined && Object.values(a).some((v) => v !== undefined) ? a : null;
  return {
    customers: customerIds.map((id) => known(crm.customers.get(id))),
    serviceCases: [...crm.serviceCases],
    casePositions: kept.map((i) => records.serviceCases.positions[i]),
  };
}
