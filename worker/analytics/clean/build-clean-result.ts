/**
 * finish(): drops orders and cancellations with implausible amounts, nets cancellations, drops fully
 * cancelled orders, flags (and optionally drops) anomalous orders, renumbers customers so only those with
 * orders remain, and writes the quality report.
 */
import type { CleanerState } from './cleaner-state';
import { HAS_CANCELLATION, HAS_PURCHASE } from './customer-flags';
import { isoDay } from './describe-exclusion';
import { NETTING_RULE, NETTING_TOLERANCE, netCancellations } from './net-cancellations';
import { IMPLAUSIBLE_RULE, flagImplausibleAmounts, type ImplausibleFlags } from './implausible-amounts';
import { flagAnomalousOrders } from './order-anomalies';
import {
  EXCLUSION_REASONS,
  type CleanLines,
  type CleanOrders,
  type CleanResult,
  type ExclusionReason,
  type ImplausibleSummary,
  type QualityReport,
} from './types';

const ANOMALOUS = EXCLUSION_REASONS.indexOf('anomalous_order');
const IMPLAUSIBLE = EXCLUSION_REASONS.indexOf('implausible_amount');
const CANCELLATION = EXCLUSION_REASONS.indexOf('cancellation');

export function buildCleanResult(s: CleanerState): CleanResult {
  const n = s.orderCount;
  // Before netting: an implausible order must not absorb a real cancellation, nor an implausible
  // cancellation wipe out real orders.
  const { ceiling, k: implausibleK } = s.config.implausible;
  const implausible = flagImplausibleAmounts(s.oAmount, n, s.cValue, s.cancelCount, ceiling, implausibleK);
  const implausibleSummary = excludeImplausible(s, implausible);
  const netting = netCancellations(
    { customer: s.oCustomer, time: s.oTime, amount: s.oAmount, count: n, skip: implausible.orders },
    s.lineCount > 0 ? { order: s.lOrder, product: s.lProduct, count: s.lineCount } : null,
    {
      customer: s.cCustomer,
      product: s.cProduct,
      time: s.cTime,
      value: s.cValue,
      count: s.cancelCount,
      skip: implausible.cancellations,
    },
    s.customerIds.length,
    s.products.length,
  );

  const keep = new Uint8Array(n);
  let ordersReduced = 0;
  let ordersFullyCancelled = 0;
  for (let o = 0; o < n; o++) {
    if (implausible.orders[o] === 1) continue;
    if (netting.reduced[o] === 1) {
      ordersReduced++;
      if (s.oAmount[o] <= NETTING_TOLERANCE) {
        s.oAmount[o] = 0;
        ordersFullyCancelled++;
        continue;
      }
    }
    keep[o] = 1;
  }

  const { k, exclude } = s.config.anomaly;
  const anomalies = flagAnomalousOrders(s.oAmount, keep, n, k);
  let rowsAnomalous = 0;
  if (exclude) {
    for (let o = 0; o < n; o++) {
      if (anomalies.flags[o] !== 1) continue;
      keep[o] = 0;
      rowsAnomalous += s.oLines[o];
      const examples = s.examples[ANOMALOUS];
      if (examples.length < s.config.maxExamples) {
        examples.push({
          line: s.oFirstLine[o],
          text: `order amount ${s.oAmount[o].toFixed(2)} is outside ${anomalies.lowerAmount?.toFixed(2)}–${anomalies.upperAmount?.toFixed(2)}`,
        });
      }
    }
    s.excluded[ANOMALOUS] += rowsAnomalous;
    s.rowsUsed -= rowsAnomalous;
  }

  // Renumber: customers with a kept order, in order of first appearance; orders in input order.
  const customerMap = new Int32Array(s.customerIds.length).fill(-1);
  const orderMap = new Int32Array(n).fill(-1);
  let kept = 0;
  for (let o = 0; o < n; o++) if (keep[o] === 1) orderMap[o] = kept++;
  for (let o = 0; o < n; o++) if (keep[o] === 1) customerMap[s.oCustomer[o]] = 0;
  const customers: string[] = [];
  for (let c = 0; c < s.customerIds.length; c++) {
    if (customerMap[c] === 0) {
      customerMap[c] = customers.length;
      customers.push(s.customerIds[c]);
    }
  }

  const column = columnsOf(s.config.sharedColumns);
  const orders: CleanOrders = {
    customer: column.int32(kept),
    time: column.float64(kept),
    amount: column.float64(kept),
    anomalous: new Uint8Array(kept),
    conflicting: new Uint8Array(kept),
    lineCount: column.int32(kept),
    firstLine: new Int32Array(kept),
  };
  if (s.orderIds) orders.orderId = [];
  if (s.oChannel) orders.channel = column.int32(kept);
  let first = Infinity;
  let last = -Infinity;
  for (let o = 0; o < n; o++) {
    const j = orderMap[o];
    if (j < 0) continue;
    orders.customer[j] = customerMap[s.oCustomer[o]];
    orders.time[j] = s.oTime[o];
    orders.amount[j] = s.oAmount[o];
    orders.anomalous[j] = anomalies.flags[o];
    orders.conflicting[j] = s.oConflicting[o] > 0 ? 1 : 0;
    orders.lineCount[j] = s.oLines[o];
    orders.firstLine[j] = s.oFirstLine[o];
    if (orders.orderId && s.orderIds) orders.orderId.push(s.orderIds[o]);
    if (orders.channel && s.oChannel) orders.channel[j] = s.oChannel[o];
    if (s.oTime[o] < first) first = s.oTime[o];
    if (s.oTime[o] > last) last = s.oTime[o];
  }

  const result: CleanResult = { customers, orders, quality: report(s, implausibleSummary) };
  if (s.countries.length > 0) result.customerCountry = keptCountries(s, customerMap, customers.length);
  result.cancellations = cancellationEvents(s, customerMap, implausible.cancellations, column);
  if (orders.channel) result.channels = s.channels.slice();
  if (s.config.keepLines) {
    result.lines = keptLines(s, orderMap, column);
    result.products = s.products;
    result.productNames = s.productNames;
  }

  const q = result.quality;
  q.orders = kept;
  q.customers.inResult = customers.length;
  q.cancellations.nettedValue = netting.nettedValue;
  q.cancellations.unmatchedValue = netting.unmatchedValue;
  q.cancellations.unmatchedRows = netting.unmatchedRows;
  q.cancellations.ordersReduced = ordersReduced;
  q.cancellations.ordersFullyCancelled = ordersFullyCancelled;
  if (implausible.cancellationCount > 0) {
    // Summed again without them: subtracting 1e300 from a running total would also lose the real value.
    let value = 0;
    for (let i = 0; i < s.cancelCount; i++) if (implausible.cancellations[i] === 0) value += s.cValue[i];
    q.cancellations.value = value;
  }
  q.anomalies = {
    method: 'robust z-score of log order amount (median, MAD × 1.4826)',
    k,
    ordersConsidered: anomalies.considered,
    medianAmount: anomalies.medianLog === null ? null : Math.exp(anomalies.medianLog),
    madLog: anomalies.madLog,
    lowerAmount: anomalies.lowerAmount,
    upperAmount: anomalies.upperAmount,
    flagged: anomalies.flagged,
    action: exclude ? 'excluded' : 'kept',
    rowsExcluded: rowsAnomalous,
  };
  q.dateRange =
    kept > 0 ? { first: new Date(first).toISOString(), last: new Date(last).toISOString() } : q.dateRange;
  return result;
}

/** First non-empty country per kept customer ('' when none), in the renumbered order. */
function keptCountries(s: CleanerState, customerMap: Int32Array, kept: number): string[] {
  const out = new Array<string>(kept).fill('');
  for (let c = 0; c < customerMap.length; c++) {
    const j = customerMap[c];
    const k = s.customerCountry[c];
    if (j >= 0 && k > 0) out[j] = s.countries[k - 1];
  }
  return out;
}

/**
 * Every cancellation/refund row in input order but those with an implausible value; customers renumbered,
 * −1 when they have no kept order.
 */
function cancellationEvents(
  s: CleanerState,
  customerMap: Int32Array,
  implausible: Uint8Array,
  column: Columns,
): NonNullable<CleanResult['cancellations']> {
  let n = 0;
  for (let i = 0; i < s.cancelCount; i++) if (implausible[i] === 0) n++;
  const customer = column.int32(n);
  const time = column.float64(n);
  const value = column.float64(n);
  // cValue holds |value| already; netting only changes order amounts, never these.
  for (let i = 0, j = 0; i < s.cancelCount; i++) {
    if (implausible[i] === 1) continue;
    customer[j] = customerMap[s.cCustomer[i]];
    time[j] = s.cTime[i];
    value[j++] = s.cValue[i];
  }
  return { customer, time, value };
}

/**
 * Moves the rows of implausible orders from used to implausible_amount and implausible cancellation rows
 * from cancellation to implausible_amount (precedence: implausible_amount comes first), with examples.
 */
function excludeImplausible(s: CleanerState, flags: ImplausibleFlags): ImplausibleSummary {
  const examples = s.examples[IMPLAUSIBLE];
  const limit = flags.limit;
  const why = (a: number) =>
    Number.isFinite(a) ? `is above the limit ${amount(limit)}` : 'is not a finite number';
  let rows = 0;
  for (let o = 0; o < s.orderCount; o++) {
    if (flags.orders[o] !== 1) continue;
    rows += s.oLines[o];
    if (examples.length < s.config.maxExamples) {
      examples.push({
        line: s.oFirstLine[o],
        text: `order of customer ${s.customerIds[s.oCustomer[o]]} (${s.oLines[o] === 1 ? '1 row' : `${s.oLines[o]} rows`}): amount ${amount(s.oAmount[o])} ${why(s.oAmount[o])}`,
      });
    }
  }
  s.rowsUsed -= rows;
  if (flags.cancellationCount > 0) {
    const cancellationExamples = s.examples[CANCELLATION];
    for (let i = 0; i < s.cancelCount; i++) {
      if (flags.cancellations[i] !== 1) continue;
      const line = s.cLine[i];
      const shown = cancellationExamples.findIndex((e) => e.line === line);
      if (shown >= 0) cancellationExamples.splice(shown, 1);
      if (examples.length < s.config.maxExamples) {
        examples.push({
          line,
          text: `cancellation/refund of customer ${s.customerIds[s.cCustomer[i]]}: value ${amount(s.cValue[i])} ${why(s.cValue[i])}; not netted`,
        });
      }
    }
    s.excluded[CANCELLATION] -= flags.cancellationCount;
  }
  const rowsNotFinite = s.excluded[IMPLAUSIBLE];
  s.excluded[IMPLAUSIBLE] += rows + flags.cancellationCount;
  examples.sort((a, b) => a.line - b.line);
  return {
    rule: IMPLAUSIBLE_RULE,
    ceiling: s.config.implausible.ceiling,
    k: s.config.implausible.k,
    ordersConsidered: flags.considered,
    medianAmount: flags.medianLog === null ? null : Math.exp(flags.medianLog),
    madLog: flags.madLog,
    limit,
    orders: flags.orderCount,
    cancellationRows: flags.cancellationCount,
    rowsNotFinite,
    rows: s.excluded[IMPLAUSIBLE],
  };
}

/** Money in examples: 2 decimals, exponent form where fixed notation would run to 20 digits. */
function amount(v: number): string {
  return Number.isFinite(v) && Math.abs(v) < 1e15 ? v.toFixed(2) : v.toPrecision(4);
}

function keptLines(s: CleanerState, orderMap: Int32Array, column: Columns): CleanLines {
  let count = 0;
  for (let l = 0; l < s.lineCount; l++) if (orderMap[s.lOrder[l]] >= 0) count++;
  const lines: CleanLines = {
    order: column.int32(count),
    product: column.int32(count),
    quantity: new Float64Array(count),
    amount: column.float64(count),
  };
  let j = 0;
  for (let l = 0; l < s.lineCount; l++) {
    const o = orderMap[s.lOrder[l]];
    if (o < 0) continue;
    lines.order[j] = o;
    lines.product[j] = s.lProduct[l];
    lines.quantity[j] = s.lQuantity[l];
    lines.amount[j] = s.lAmount[l];
    j++;
  }
  return lines;
}

/** New columns of the result, in ordinary or in shared memory (config.sharedColumns). */
type Columns = { int32(n: number): Int32Array; float64(n: number): Float64Array };

function columnsOf(shared: boolean): Columns {
  return shared
    ? {
        int32: (n) => new Int32Array(new SharedArrayBuffer(4 * n)),
        float64: (n) => new Float64Array(new SharedArrayBuffer(8 * n)),
      }
    : { int32: (n) => new Int32Array(n), float64: (n) => new Float64Array(n) };
}

/** The parts of the report known before netting; finish fills in the rest. */
function report(s: CleanerState, implausible: ImplausibleSummary): QualityReport {
  const rowsExcluded = {} as Record<ExclusionReason, number>;
  const examples = {} as QualityReport['examples'];
  let total = 0;
  EXCLUSION_REASONS.forEach((r, i) => {
    rowsExcluded[r] = s.excluded[i];
    examples[r] = s.examples[i];
    total += s.excluded[i];
  });
  let withPurchases = 0;
  let onlyCancellations = 0;
  for (let c = 0; c < s.customerIds.length; c++) {
    const f = s.customerFlags[c];
    if (f & HAS_PURCHASE) withPurchases++;
    else if (f & HAS_CANCELLATION) onlyCancellations++;
  }
  const conversions: QualityReport['currency']['conversions'] = {};
  for (const [code, counter] of [...s.conversions.entries()].sort()) {
    conversions[code] = { rows: counter.rows, rate: s.rates.get(code) ?? NaN };
  }
  return {
    rowsRead: s.rowsRead,
    rowsUsed: s.rowsUsed,
    rowsExcluded,
    rowsExcludedTotal: total,
    examples,
    precedence: [...EXCLUSION_REASONS],
    orders: 0,
    customers: { seen: s.customerIds.length, withPurchases, onlyCancellations, inResult: 0 },
    cancellations: {
      rule: NETTING_RULE,
      rows: rowsExcluded.cancellation,
      value: s.cancelValue,
      nettedValue: 0,
      unmatchedValue: 0,
      unmatchedRows: 0,
      ordersReduced: 0,
      ordersFullyCancelled: 0,
    },
    conflictingOrders: { orders: s.conflictOrders, rows: s.conflictRows, examples: s.conflictExamples },
    implausible,
    anomalies: {
      method: 'robust z-score of log order amount (median, MAD × 1.4826)',
      k: s.config.anomaly.k,
      ordersConsidered: 0,
      medianAmount: null,
      madLog: null,
      lowerAmount: null,
      upperAmount: null,
      flagged: 0,
      action: 'kept',
      rowsExcluded: 0,
    },
    ...(s.encoding ? { encoding: s.encoding } : {}),
    currency: { base: s.config.baseCurrency, conversions },
    dateRange: { first: null, last: null },
    observationEnd: isoDay(s.config.observationEnd),
  };
}
