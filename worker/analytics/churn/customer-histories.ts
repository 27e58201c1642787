/**
 * Orders grouped by customer in time order (a counting sort by customer, then a per-customer sort only where
 * the input was not already in time order), with the UTC day of each order. Labels and features at several
 * cutoffs share one grouping.
 */
import { MS_PER_DAY } from '../clean/parse-timestamp';
import { ChurnError, type ChurnOrders } from './types';

const { floor } = Math;

export type CustomerHistories = {
  customers: number;
  /** Orders of customer c are entries start[c] … start[c+1]−1 of `order`/`day`. */
  start: Int32Array;
  /** Order index into the input columns, in time order per customer. */
  order: Int32Array;
  /** UTC day number of each entry. */
  day: Int32Array;
  /** Earliest order day in the data (NaN without orders). */
  firstDay: number;
};

export function groupOrdersByCustomer(orders: ChurnOrders, customers: number): CustomerHistories {
  const m = orders.customer.length;
  if (orders.time.length !== m || orders.amount.length !== m) {
    throw new ChurnError(
      'INVALID_CHURN_INPUT',
      `orders.customer, orders.time and orders.amount must have the same length (${m}, ${orders.time.length}, ${orders.amount.length}).`,
    );
  }
  const start = new Int32Array(customers + 1);
  for (let o = 0; o < m; o++) {
    const c = orders.customer[o];
    if (!(c >= 0 && c < customers)) {
      throw new ChurnError(
        'INVALID_CHURN_INPUT',
        `order ${o} refers to customer ${c}, outside 0…${customers - 1}; pass the full customer count.`,
      );
    }
    start[c + 1]++;
  }
  for (let c = 0; c < customers; c++) start[c + 1] += start[c];
  const order = new Int32Array(m);
  const fill = start.slice(0, customers);
  for (let o = 0; o < m; o++) order[fill[orders.customer[o]]++] = o;
  const time = orders.time;
  const byTime = (a: number, b: number) => time[a] - time[b];
  for (let c = 0; c < customers; c++) {
    const from = start[c];
    const to = start[c + 1];
    for (let j = from + 1; j < to; j++) {
      if (time[order[j]] < time[order[j - 1]]) {
        order.subarray(from, to).sort(byTime);
        break;
      }
    }
  }
  const day = new Int32Array(m);
  let firstDay = Infinity;
  for (let j = 0; j < m; j++) {
    day[j] = floor(time[order[j]] / MS_PER_DAY);
    if (day[j] < firstDay) firstDay = day[j];
  }
  return { customers, start, order, day, firstDay: m ? firstDay : NaN };
}

/** Index one past the customer's last entry on or before `cutoffDay` (binary search). */
export function endBefore(h: CustomerHistories, c: number, cutoffDay: number): number {
  let lo = h.start[c];
  let hi = h.start[c + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (h.day[mid] <= cutoffDay) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Median gap in days between consecutive distinct purchase days among entries from … to−1 (NaN with fewer
 * than two distinct days). `scratch` must hold to − from values.
 */
export function medianGapDays(day: Int32Array, from: number, to: number, scratch: Float64Array): number {
  let k = 0;
  for (let j = from + 1; j < to; j++) {
    const g = day[j] - day[j - 1];
    if (g > 0) scratch[k++] = g;
  }
  if (k === 0) return NaN;
  if (k <= 24) {
    // Insertion sort: most customers have a handful of gaps, and a typed-array sort call costs more.
    for (let i = 1; i < k; i++) {
      const v = scratch[i];
      let j = i - 1;
      while (j >= 0 && scratch[j] > v) {
        scratch[j + 1] = scratch[j];
        j--;
      }
      scratch[j + 1] = v;
    }
  } else {
    scratch.subarray(0, k).sort();
  }
  return k % 2 === 1 ? scratch[(k - 1) >> 1] : 0.5 * (scratch[k / 2 - 1] + scratch[k / 2]);
}
