/**
 * A tenant cleaned in parts (./cleaned-part) put back together as the CleanResult its whole cleaning gives:
 * customers in order of first appearance on the whole tenant's rows, orders and their lines in row order,
 * cancellation events in row order, products and channels numbered in the order the rows first show them,
 * rows numbered as the whole tenant's (./parts-row-order). Within one customer everything is as the part made
 * it: the cleaner's rules are per customer (netting included) but the implausible limit and the anomaly flags;
 * parts only merge while the limit cannot exclude anything (CleanedPart.unmergeable), and the flags are made
 * here over the merged orders, as the cleaner makes them over the tenant's.
 */
import type { CleanerConfigInput, CleanLines, CleanOrders, CleanResult } from '../analytics/clean';
import { parseCleanerConfig } from '../analytics/clean';
import { flagImplausibleAmounts } from '../analytics/clean/implausible-amounts';
import { flagAnomalousOrders } from '../analytics/clean/order-anomalies';
import type { CrmAttributes, CrmCustomerAttributes, CrmServiceCase } from '../pipeline/crm-attributes';
import type { CleanedPart } from './cleaned-part';
import { mergeQualityReports } from './merge-quality-reports';
import { partsRowOrder, type PartsRowOrder } from './parts-row-order';

export type MergedParts = {
  clean: CleanResult;
  /** Stored orders per currency code, over every part. */
  currencies: Map<string, number>;
  storedOrders: number;
  crm: CrmAttributes;
};

export function mergeCleanedParts(parts: readonly CleanedPart[], cleaner: CleanerConfigInput): MergedParts {
  const config = parseCleanerConfig(cleaner);
  const rows = partsRowOrder(parts);
  const customers = mergedCustomers(parts, rows);
  const products = firstSeen(parts, rows, (p) => ({
    ids: p.clean.products ?? [],
    names: p.clean.productNames,
    order: p.productFirst.order,
    row: p.productFirst.row,
  }));
  const channels = firstSeen(parts, rows, (p) => ({ ids: p.clean.channels ?? [], order: p.channelFirst }));
  const { orders, lines } = mergedOrders(parts, rows, customers.index, products.index, channels.index);
  const cancellations = mergedCancellations(parts, rows, customers.index);

  const kept = orders.time.length;
  const anomalies = flagAnomalousOrders(orders.amount, new Uint8Array(kept).fill(1), kept, config.anomaly.k);
  orders.anomalous = anomalies.flags;
  const amounts = concat(parts.map((p) => p.purchaseAmounts));
  const { ceiling, k } = config.implausible;
  const implausible = flagImplausibleAmounts(
    amounts,
    amounts.length,
    cancellations.value,
    cancellations.value.length,
    ceiling,
    k,
  );
  let first = Infinity;
  let last = -Infinity;
  for (const t of orders.time) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const localStart = parts.map((p) => lineStarts(p.orders.rows));
  const quality = mergeQualityReports(
    parts.map((p) => p.clean.quality),
    (part, line) => {
      const i = lastAtMost(localStart[part], line);
      return rows.firstLine[rows.offsets[part] + i] + (line - localStart[part][i]);
    },
    config,
    {
      orders: kept,
      customers: customers.ids.length,
      dateRange: kept > 0 ? { first, last } : null,
      implausible,
      anomalies,
    },
  );

  const clean: CleanResult = { customers: customers.ids, orders, quality };
  if (parts.some((p) => p.clean.customerCountry))
    clean.customerCountry = pick(parts, customers.index, (p) => p.clean.customerCountry, '');
  clean.cancellations = cancellations;
  if (orders.channel) clean.channels = channels.ids;
  if (config.keepLines) {
    clean.lines = lines;
    clean.products = products.ids;
    clean.productNames = products.names;
  }
  const currencies = new Map<string, number>();
  for (const p of parts)
    for (const [code, n] of p.currencies) currencies.set(code, (currencies.get(code) ?? 0) + n);
  return {
    clean,
    currencies,
    storedOrders: rows.sequence.length,
    crm: mergedCrm(parts, customers),
  };
}

type MergedCustomers = {
  ids: string[];
  /** Per part, per clean customer of the part: its index in the merged result. */
  index: Int32Array[];
};

/** Kept customers in order of their first row (any row of theirs, kept or not, as the cleaner interns them). */
function mergedCustomers(parts: readonly CleanedPart[], rows: PartsRowOrder): MergedCustomers {
  const keptOf = parts.map((p) => {
    const of = new Int32Array(p.customerIds.length).fill(-1);
    p.keptCustomer.forEach((c, k) => (of[c] = k));
    return of;
  });
  const index = parts.map((p) => new Int32Array(p.clean.customers.length).fill(-1));
  const seen = new Uint8Array(rows.customers);
  const ids: string[] = [];
  for (const g of rows.sequence) {
    const p = rows.partOf[g];
    const c = parts[p].orders.customer[g - rows.offsets[p]];
    const r = rows.customerRank[p][c];
    if (seen[r] === 1) continue;
    seen[r] = 1;
    const k = keptOf[p][c];
    if (k >= 0) {
      index[p][k] = ids.length;
      ids.push(parts[p].customerIds[c]);
    }
  }
  return { ids, index };
}

type Interned = { ids: readonly string[]; names?: readonly string[]; order: Int32Array; row?: Int32Array };

/** Products or channels numbered by the whole tenant's line where the cleaner first met them. */
function firstSeen(
  parts: readonly CleanedPart[],
  rows: PartsRowOrder,
  of: (p: CleanedPart) => Interned,
): { ids: string[]; names: string[]; index: Int32Array[] } {
  const at = new Map<string, { line: number; name: string }>();
  parts.forEach((p, part) => {
    const { ids, names, order, row } = of(p);
    ids.forEach((id, j) => {
      const line = rows.firstLine[rows.offsets[part] + order[j]] + (row?.[j] ?? 0);
      const name = names?.[j] ?? '';
      const known = at.get(id);
      if (known === undefined || line < known.line) at.set(id, { line, name: name || (known?.name ?? '') });
      else if (known.name === '') known.name = name;
    });
  });
  const ids = [...at.keys()].sort((a, b) => at.get(a)!.line - at.get(b)!.line);
  const number = new Map(ids.map((id, i) => [id, i]));
  return {
    ids,
    names: ids.map((id) => at.get(id)!.name),
    index: parts.map((p) => Int32Array.from(of(p).ids, (id) => number.get(id)!)),
  };
}

/** The kept orders and their lines in the whole tenant's row order. */
function mergedOrders(
  parts: readonly CleanedPart[],
  rows: PartsRowOrder,
  customerIndex: Int32Array[],
  productIndex: Int32Array[],
  channelIndex: Int32Array[],
): { orders: CleanOrders; lines: CleanLines } {
  const n = parts.reduce((s, p) => s + p.clean.orders.time.length, 0);
  const lineCount = parts.reduce((s, p) => s + (p.clean.lines?.order.length ?? 0), 0);
  const orders: CleanOrders = {
    customer: new Int32Array(n),
    time: new Float64Array(n),
    amount: new Float64Array(n),
    anomalous: new Uint8Array(n),
    conflicting: new Uint8Array(n),
    lineCount: new Int32Array(n),
    firstLine: new Int32Array(n),
  };
  if (parts.some((p) => p.clean.orders.channel)) orders.channel = new Int32Array(n).fill(-1);
  const lines: CleanLines = {
    order: new Int32Array(lineCount),
    product: new Int32Array(lineCount),
    quantity: new Float64Array(lineCount),
    amount: new Float64Array(lineCount),
  };
  // Per part, everything the loop reads: one object per part, not property chains per order.
  const from = parts.map((p, part) => {
    const keptOf = new Int32Array(p.orders.day.length).fill(-1);
    p.keptOrder.forEach((i, j) => (keptOf[i] = j));
    const empty = new Int32Array(0);
    return {
      keptOf,
      orders: p.clean.orders,
      channel: p.clean.orders.channel ?? null,
      lines: p.clean.lines ?? null,
      lineFrom: groupStarts(p.clean.lines?.order ?? empty, p.keptOrder.length),
      localStart: lineStarts(p.orders.rows),
      customer: customerIndex[part],
      product: productIndex[part],
      channels: channelIndex[part],
    };
  });
  let o = 0;
  let l = 0;
  for (const g of rows.sequence) {
    const p = rows.partOf[g];
    const part = from[p];
    const i = g - rows.offsets[p];
    const j = part.keptOf[i];
    if (j < 0) continue;
    const kept = part.orders;
    orders.customer[o] = part.customer[kept.customer[j]];
    orders.time[o] = kept.time[j];
    orders.amount[o] = kept.amount[j];
    orders.conflicting[o] = kept.conflicting[j];
    orders.lineCount[o] = kept.lineCount[j];
    orders.firstLine[o] = rows.firstLine[g] + (kept.firstLine[j] - part.localStart[i]);
    if (orders.channel && part.channel && part.channel[j] >= 0)
      orders.channel[o] = part.channels[part.channel[j]];
    const partLines = part.lines;
    if (partLines)
      for (let k = part.lineFrom[j]; k < part.lineFrom[j + 1]; k++, l++) {
        lines.order[l] = o;
        const product = partLines.product[k];
        lines.product[l] = product < 0 ? -1 : part.product[product];
        lines.quantity[l] = partLines.quantity[k];
        lines.amount[l] = partLines.amount[k];
      }
    o++;
  }
  return { orders, lines };
}

/** Every part's cancellation events in the whole tenant's row order. */
function mergedCancellations(
  parts: readonly CleanedPart[],
  rows: PartsRowOrder,
  customerIndex: Int32Array[],
): NonNullable<CleanResult['cancellations']> {
  const n = parts.reduce((s, p) => s + p.cancellationOrder.length, 0);
  const out = { customer: new Int32Array(n), time: new Float64Array(n), value: new Float64Array(n) };
  const eventsOf = parts.map((p) => groupStarts(p.cancellationOrder, p.orders.day.length));
  let e = 0;
  for (const g of rows.sequence) {
    const p = rows.partOf[g];
    const i = g - rows.offsets[p];
    const events = parts[p].clean.cancellations!;
    for (let k = eventsOf[p][i]; k < eventsOf[p][i + 1]; k++, e++) {
      const c = events.customer[k];
      out.customer[e] = c < 0 ? -1 : customerIndex[p][c];
      out.time[e] = events.time[k];
      out.value[e] = events.value[k];
    }
  }
  return out;
}

/** The CRM attributes of the merged customers, and the service cases in first-stored order. */
function mergedCrm(parts: readonly CleanedPart[], customers: MergedCustomers): CrmAttributes {
  const byId = new Map<string, CrmCustomerAttributes>();
  parts.forEach((p, part) =>
    p.keptCustomer.forEach((c, k) => {
      const attributes = p.crm.customers[c];
      if (attributes !== null && customers.index[part][k] >= 0) byId.set(p.customerIds[c], attributes);
    }),
  );
  const cases: { position: number; serviceCase: CrmServiceCase }[] = [];
  for (const p of parts)
    p.crm.serviceCases.forEach((serviceCase, i) =>
      cases.push({ position: p.crm.casePositions[i], serviceCase }),
    );
  cases.sort((a, b) => a.position - b.position);
  return { customers: byId, serviceCases: cases.map((c) => c.serviceCase) };
}

/** Per merged customer, the part's value for it (or `none`). */
function pick(
  parts: readonly CleanedPart[],
  customerIndex: Int32Array[],
  of: (p: CleanedPart) => readonly string[] | undefined,
  none: string,
): string[] {
  const out = new Array<string>(customerIndex.reduce((n, c) => n + c.length, 0)).fill(none);
  parts.forEach((p, part) => {
    const values = of(p);
    if (values) customerIndex[part].forEach((j, k) => (out[j] = values[k]));
  });
  return out;
}

/** Start of each group in a list sorted by group (groups 0 … count − 1; length count + 1). */
function groupStarts(groupOf: Int32Array, count: number): Int32Array {
  const start = new Int32Array(count + 1);
  for (const g of groupOf) start[g + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  return start;
}

/** Line number of each stored order's first row in its part (rows numbered from 1). */
function lineStarts(rowCounts: Int32Array): Int32Array {
  const start = new Int32Array(rowCounts.length);
  let line = 1;
  rowCounts.forEach((n, i) => {
    start[i] = line;
    line += n;
  });
  return start;
}

/** Index of the last entry ≤ value in an increasing array (0 when none is). */
function lastAtMost(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function concat(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}
