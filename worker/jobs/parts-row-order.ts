/**
 * Where each part's rows fall among the whole tenant's. The tenant's rows are its stored orders sorted by day,
 * customer id and order id (./chronological-orders), each order's rows together; a part's rows are its own
 * customers' orders in that same order, and a customer is in one part only. So the whole order is: by day,
 * then by the customer's place among every part's customers by id, then as in the part. Computed on numbers:
 * the customers are ranked once by a merge of the parts' sorted id lists, then the stored orders, listed
 * customer by customer in rank order, are sorted stably by day (a counting sort), which keeps rank and part
 * order within a day. With each order's row count this numbers every row as the whole tenant's run does.
 */

export type PartOrders = {
  /** Sorted by id (JavaScript string order, the row order's). */
  customerIds: readonly string[];
  orders: { day: Int32Array; customer: Int32Array; rows: Int32Array };
};

export type PartsRowOrder = {
  /** Every part's stored orders in the whole tenant's row order, as global ids (offsets[part] + index). */
  sequence: Int32Array;
  /** Global id → the part it is from. */
  partOf: Uint16Array;
  /** Global ids of part p are offsets[p] … offsets[p + 1] − 1. */
  offsets: Int32Array;
  /** Global id → line number of its first row among the whole tenant's rows (from 1). */
  firstLine: Int32Array;
  /** Per part, per customerIds entry: its rank among all parts' customers by id. */
  customerRank: Int32Array[];
  customers: number;
};

export class PartsOverlapError extends Error {
  constructor(customerId: string) {
    super(`customer ${customerId} is in two parts of the run: the parts were not read from one bucket split`);
    this.name = 'PartsOverlapError';
  }
}

export function partsRowOrder(parts: readonly PartOrders[]): PartsRowOrder {
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i] + p.orders.day.length));
  const total = offsets[parts.length];
  const { rank: customerRank, part: rankPart, local: rankLocal } = rankCustomers(parts);
  const customers = rankPart.length;

  // Each part's orders grouped by its customers (CSR, kept in part order within a customer).
  const byCustomer = parts.map((p) => {
    const start = new Int32Array(p.customerIds.length + 1);
    for (const c of p.orders.customer) start[c + 1]++;
    for (let c = 0; c < p.customerIds.length; c++) start[c + 1] += start[c];
    const fill = start.slice(0, p.customerIds.length);
    const list = new Int32Array(p.orders.customer.length);
    p.orders.customer.forEach((c, i) => (list[fill[c]++] = i));
    return { start, list };
  });
  const byRank = new Int32Array(total);
  let at = 0;
  for (let r = 0; r < customers; r++) {
    const p = rankPart[r];
    const { start, list } = byCustomer[p];
    for (let k = start[rankLocal[r]]; k < start[rankLocal[r] + 1]; k++) byRank[at++] = offsets[p] + list[k];
  }

  const partOf = new Uint16Array(total);
  const day = new Int32Array(total);
  parts.forEach((p, i) => {
    partOf.fill(i, offsets[i], offsets[i + 1]);
    day.set(Int32Array.from(p.orders.day, dayKey), offsets[i]);
  });
  const sequence = stableSortByKey(byRank, day);

  const firstLine = new Int32Array(total);
  let line = 1;
  for (const g of sequence) {
    firstLine[g] = line;
    line += parts[partOf[g]].orders.rows[g - offsets[partOf[g]]];
  }
  return { sequence, partOf, offsets, firstLine, customerRank, customers };
}

/** yyyymmdd as a small increasing number: 372 slots a year, 31 a month (gaps are harmless to a counting sort). */
const dayKey = (yyyymmdd: number) =>
  Math.floor(yyyymmdd / 10_000) * 372 + (Math.floor(yyyymmdd / 100) % 100) * 31 + (yyyymmdd % 100);

/** `ids` reordered by key[id], ties in their order in `ids`. */
function stableSortByKey(ids: Int32Array, key: Int32Array): Int32Array {
  if (ids.length === 0) return ids;
  let min = Infinity;
  let max = -Infinity;
  for (const k of key) {
    if (k < min) min = k;
    if (k > max) max = k;
  }
  const count = new Int32Array(max - min + 2);
  for (const k of key) count[k - min + 1]++;
  for (let i = 1; i < count.length; i++) count[i] += count[i - 1];
  const out = new Int32Array(ids.length);
  for (const id of ids) out[count[key[id] - min]++] = id;
  return out;
}

/** Every part's customers ranked by id: a k-way merge of the sorted lists (a binary heap of the parts). */
function rankCustomers(parts: readonly PartOrders[]): {
  rank: Int32Array[];
  part: Int32Array;
  local: Int32Array;
} {
  const rank = parts.map((p) => new Int32Array(p.customerIds.length));
  const total = parts.reduce((n, p) => n + p.customerIds.length, 0);
  const part = new Int32Array(total);
  const local = new Int32Array(total);
  const next = new Int32Array(parts.length);
  const heap: number[] = [];
  const id = (p: number) => parts[p].customerIds[next[p]];
  const less = (a: number, b: number) => id(a) < id(b);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  parts.forEach((p, i) => p.customerIds.length > 0 && heap.push(i));
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let previous: string | undefined;
  for (let r = 0; r < total; r++) {
    const p = heap[0];
    const customerId = id(p);
    if (customerId === previous) throw new PartsOverlapError(customerId);
    previous = customerId;
    rank[p][next[p]] = r;
    part[r] = p;
    local[r] = next[p]++;
    if (next[p] === parts[p].customerIds.length) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    down(0);
  }
  return { rank, part, local };
}
