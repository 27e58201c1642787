/**
 * Implausible amounts: values no real order has, which would turn into a CLV of Infinity, 0 or 10¹⁵ instead
 * of an error (a 1e308 typed into an amount column, a quantity × price that overflows, a unit price in the
 * wrong field). Unlike anomalous orders (order-anomalies.ts: flagged, excluded only on request), these are
 * always excluded, under the reason `implausible_amount`, with their rows counted.
 *
 * Rule: an order amount (the sum of its lines, before netting) or a cancellation/refund value is implausible
 * when it is
 *   - not finite, or
 *   - above both the absolute ceiling C (default 10⁹ in base currency) and exp(median + k · σ) of the log
 *     order amounts (k = 10 by default, twice the anomaly flag's 5), σ = max(1.4826 · MAD, 1).
 * Both conditions, so a tenant in a currency where orders of 10⁹ are normal (IDR, VND) is judged by its own
 * distribution, and a narrow distribution (most orders at one price) alone never excludes an ordinary large
 * order. σ has a floor of 1 (a factor e in amount) because a MAD of 0 — more than half the orders of one
 * value — would otherwise put the limit at the median itself. With fewer than 3 orders only C applies.
 * The median and MAD are over orders with a finite positive amount, before netting, implausible ones included
 * (they are robust: a few cannot move them).
 *
 * Decided per order, not per line: an order with a 10¹⁵ line is not a real order either, and the cleaner
 * keeps order sums, not lines. Decided before netting, so an implausible order never absorbs a real
 * cancellation and an implausible cancellation never wipes out real orders.
 */
import { MAD_TO_SIGMA, medianInPlace } from './order-anomalies';

export const IMPLAUSIBLE_RULE =
  'an order (all its rows) or a cancellation/refund row is excluded when its amount is not finite, or is ' +
  'above both the ceiling and exp(median + k · σ) of the log order amounts, σ = max(1.4826 · MAD, 1); ' +
  'median and MAD over the orders before netting (with fewer than 3 orders, the ceiling alone)';

/** Floor of σ on the log scale (see above). */
const MIN_LOG_SIGMA = 1;

export type ImplausibleFlags = {
  /** 1 per implausible order / cancellation row. */
  orders: Uint8Array;
  cancellations: Uint8Array;
  considered: number;
  medianLog: number | null;
  madLog: number | null;
  limit: number;
  orderCount: number;
  cancellationCount: number;
};

export function flagImplausibleAmounts(
  orderAmount: Float64Array,
  orderCount: number,
  cancelValue: Float64Array,
  cancelCount: number,
  ceiling: number,
  k: number,
): ImplausibleFlags {
  const logs = new Float64Array(orderCount);
  let n = 0;
  for (let o = 0; o < orderCount; o++) {
    const a = orderAmount[o];
    if (a > 0 && a < Infinity) logs[n++] = Math.log(a);
  }
  const result: ImplausibleFlags = {
    orders: new Uint8Array(orderCount),
    cancellations: new Uint8Array(cancelCount),
    considered: n,
    medianLog: null,
    madLog: null,
    limit: ceiling,
    orderCount: 0,
    cancellationCount: 0,
  };
  if (n >= 3) {
    const values = logs.subarray(0, n);
    const median = medianInPlace(values);
    for (let i = 0; i < n; i++) values[i] = Math.abs(values[i] - median);
    const mad = medianInPlace(values);
    result.medianLog = median;
    result.madLog = mad;
    result.limit = Math.max(ceiling, Math.exp(median + k * Math.max(MAD_TO_SIGMA * mad, MIN_LOG_SIGMA)));
  }
  const limit = result.limit;
  for (let o = 0; o < orderCount; o++) {
    if (isImplausible(orderAmount[o], limit)) {
      result.orders[o] = 1;
      result.orderCount++;
    }
  }
  for (let i = 0; i < cancelCount; i++) {
    if (isImplausible(cancelValue[i], limit)) {
      result.cancellations[i] = 1;
      result.cancellationCount++;
    }
  }
  return result;
}

/** Not finite (NaN included), or beyond the limit; an infinite limit still refuses infinite amounts. */
function isImplausible(amount: number, limit: number): boolean {
  const a = Math.abs(amount);
  return !(a <= limit && a < Infinity);
}
