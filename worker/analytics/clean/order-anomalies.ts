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
  const sorted = new Float64Array(count);
  let n = 0;
  for (let o = 0; o < count; o++) if (include[o] === 1 && amount[o] > 0) sorted[n++] = Math.log(amount[o]);
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
  const values = sorted.subarray(0, n);
  const median = medianInPlace(values);
  for (let i = 0; i < n; i++) values[i] = Math.abs(values[i] - median);
  const mad = medianInPlace(values);
  result.medianLog = median;
  result.madLog = mad;
  // MAD = 0 (more than half the orders share one value): no spread to measure outliers against.
  if (!(mad > 0)) return result;
  // ln a outside [lower, upper] ⇔ a outside [e^lower, e^upper]: compare amounts, no second pass of logs.
  const lower = Math.exp(median - k * MAD_TO_SIGMA * mad);
  const upper = Math.exp(median + k * MAD_TO_SIGMA * mad);
  result.lowerAmount = lower;
  result.upperAmount = upper;
  for (let o = 0; o < count; o++) {
    const a = amount[o];
    if (include[o] === 1 && a > 0 && (a < lower || a > upper)) {
      flags[o] = 1;
      result.flagged++;
    }
  }
  return result;
}

/** Median by quickselect (expected O(n), reorders `a`): a full sort of 10⁷ orders would cost seconds. */
export function medianInPlace(a: Float64Array): number {
  const n = a.length;
  const upper = selectKth(a, n >> 1);
  if (n % 2 === 1) return upper;
  // After selection everything left of n/2 is ≤ a[n/2]: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** k-th smallest (0-based) by Hoare-partition quickselect with a median-of-three pivot. */
function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
