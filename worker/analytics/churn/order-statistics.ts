/**
 * Per-row order statistics at a cutoff, shared by the built-in features (./feature-catalogue): one pass over
 * each customer's orders on or before the cutoff, so a dozen features cost one pass, not a dozen. Every
 * value is a function of the orders up to the cutoff only (the as-of check of ./feature-availability proves
 * it for each feature before training).
 *
 * The usual gap is the median gap between the customer's distinct purchase days; customers with a single
 * purchase day get the median of the other customers' usual gaps (`populationGap`), so "quiet for k usual
 * gaps" still means "quiet for k typical intervals".
 */
import { medianGapDays, type CustomerHistories } from './customer-histories';
import type { ChurnInput } from './types';

export type OrderStatistics = {
  /** Days since the last order. */
  recency: Float64Array;
  orders: Float64Array;
  /** Σ order amounts. */
  total: Float64Array;
  /** Days since the first order. */
  tenure: Float64Array;
  /** Distinct purchase days. */
  purchaseDays: Float64Array;
  /** The customer's own median gap between purchase days (NaN with one purchase day). */
  ownGap: Float64Array;
  /** ownGap, or populationGap for customers with one purchase day. */
  gap: Float64Array;
  /** Median of the customers' own usual gaps at this cutoff (90 when no customer has two purchase days). */
  populationGap: number;
  /** Last gap between distinct purchase days (NaN with fewer than three). */
  lastGap: Float64Array;
  /** Spend in the last `trendDays` days and in the `trendDays` before. */
  recentSpend: Float64Array;
  previousSpend: Float64Array;
  /** Orders in the last `trendDays` days. */
  recentOrders: Float64Array;
  /** Mean purchase lines per order (NaN without orders.lineCount). */
  linesPerOrder: Float64Array;
};

export function orderStatistics(
  input: ChurnInput,
  h: CustomerHistories,
  cutoffDay: number,
  customer: Int32Array,
  end: Int32Array,
  trendDays: number,
): OrderStatistics {
  const n = customer.length;
  const stats: OrderStatistics = {
    recency: new Float64Array(n),
    orders: new Float64Array(n),
    total: new Float64Array(n),
    tenure: new Float64Array(n),
    purchaseDays: new Float64Array(n),
    ownGap: new Float64Array(n),
    gap: new Float64Array(n),
    populationGap: 90,
    lastGap: new Float64Array(n),
    recentSpend: new Float64Array(n),
    previousSpend: new Float64Array(n),
    recentOrders: new Float64Array(n),
    linesPerOrder: new Float64Array(n),
  };
  let maxOrders = 1;
  for (let r = 0; r < n; r++) maxOrders = Math.max(maxOrders, end[r] - h.start[customer[r]]);
  const scratch = new Float64Array(maxOrders);
  const medians = new Float64Array(n);
  let withGap = 0;
  const amount = input.orders.amount;
  const lineCount = input.orders.lineCount;
  const { day, order } = h;
  const twoTrend = 2 * trendDays;
  for (let r = 0; r < n; r++) {
    const from = h.start[customer[r]];
    const to = end[r];
    let total = 0;
    let recent = 0;
    let previous = 0;
    let recentOrders = 0;
    let distinct = 1;
    let lastGap = NaN;
    let lines = 0;
    for (let j = from; j < to; j++) {
      const a = amount[order[j]];
      total += a;
      if (lineCount) lines += lineCount[order[j]];
      const age = cutoffDay - day[j];
      if (age < trendDays) {
        recent += a;
        recentOrders++;
      } else if (age < twoTrend) previous += a;
      if (j > from && day[j] > day[j - 1]) {
        distinct++;
        lastGap = day[j] - day[j - 1];
      }
    }
    // The last gap between distinct purchase days counts from 3 distinct days on.
    if (distinct < 3) lastGap = NaN;
    const own = medianGapDays(day, from, to, scratch);
    if (own === own) medians[withGap++] = own;
    stats.recency[r] = cutoffDay - day[to - 1];
    stats.orders[r] = to - from;
    stats.total[r] = total;
    stats.tenure[r] = cutoffDay - day[from];
    stats.purchaseDays[r] = distinct;
    stats.ownGap[r] = own;
    stats.lastGap[r] = lastGap;
    stats.recentSpend[r] = recent;
    stats.previousSpend[r] = previous;
    stats.recentOrders[r] = recentOrders;
    stats.linesPerOrder[r] = lineCount ? lines / (to - from) : NaN;
  }
  if (withGap > 0) stats.populationGap = median(medians.subarray(0, withGap));
  for (let r = 0; r < n; r++) {
    const own = stats.ownGap[r];
    stats.gap[r] = own === own ? own : stats.populationGap;
  }
  return stats;
}

function median(a: Float64Array): number {
  a.sort();
  const k = a.length;
  return k % 2 === 1 ? a[(k - 1) >> 1] : 0.5 * (a[k / 2 - 1] + a[k / 2]);
}
