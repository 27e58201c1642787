/**
 * Outlying order values: robust z-score of the log amount, z = (ln a − median) / (1.4826 · MAD), flagged when
 * |z| > k. Logs because order values are right-skewed (roughly log-normal); the median and the median
 * absolute deviation, scaled by 1.4826 to match σ under normality (Rousseeuw & Croux 1993), because a mean
 * and standard deviation would be dragged by the very outliers being looked for. Zero-amount orders
 * (kept with keepZeroAmounts) have no log and are never flagged.
 */

export const MAD_TO_SIGMA = 1.4826;

export type AnomalyFlags = {
  flags: Uint8Array;
  considered: number;
  medianLog: number | null;
  madLog: number | null;
  lowerAmount: number | null;
  upperAmount: number | null;
  flagged: number;
};

/** Flags orders o < count with include[o] = 1 and amount > 0. */
export function flagAnomalousOrders(
  amount: Float64Array,
  include: Uint8Array,
  count: number,
  k: number,
): AnomalyFlags {
  const flags = new Uint8Array(count);
  // One log per order (NaN when not considered), reused by the flagging pass.
  const logs = new Float64Array(count);
  const sorted = new Float64Array(count);
  let n = 0;
  for (let o = 0; o < count; o++) {
    const l = include[o] === 1 && amount[o] > 0 ? Math.log(amount[o]) : NaN;
    logs[o] = l;
    if (l === l) sorted[n++] = l;
  }
  const result: AnomalyFlags = {
    flags,
    considered: n,
    medianLog: null,
    madLog: null,
    lowerAmount: null,
    upperAmount: null,
    flagged: 0,
  };
  if (n < 3) return result;
  const values = sorted.subarray(0, n).sort();
  const median = medianOfSorted(values);
  for (let i = 0; i < n; i++) values[i] = Math.abs(values[i] - median);
  const mad = medianOfSorted(values.sort());
  result.medianLog = median;
  result.madLog = mad;
  // MAD = 0 (more than half the orders share one value): no spread to measure outliers against.
  if (!(mad > 0)) return result;
  const lower = median - k * MAD_TO_SIGMA * mad;
  const upper = median + k * MAD_TO_SIGMA * mad;
  result.lowerAmount = Math.exp(lower);
  result.upperAmount = Math.exp(upper);
  for (let o = 0; o < count; o++) {
    const l = logs[o];
    if (l < lower || l > upper) {
      flags[o] = 1;
      result.flagged++;
    }
  }
  return result;
}

function medianOfSorted(a: Float64Array): number {
  const n = a.length;
  return n % 2 === 1 ? a[(n - 1) >> 1] : (a[n / 2 - 1] + a[n / 2]) / 2;
}
