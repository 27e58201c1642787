/**
 * Data of the report's distribution charts, which need no calibration split: customers per band of predicted
 * value, per P(alive) decile, and per repeat-purchase count observed vs. expected by the fitted model.
 */
import type { HistogramBin } from './model-report';

/**
 * Customers per band of value. Band edges are round numbers (1, 2, 5 × 10^k, finer when that still gives at
 * most maxBins bands) between the 2nd and 98th percentiles, so the open first and last bands hold the tails.
 */
export function valueHistogram(values: ArrayLike<number>, maxBins = 10): HistogramBin[] {
  const sorted = Float64Array.from(Array.from(values).filter(Number.isFinite)).sort();
  if (sorted.length === 0) return [];
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
  const hi = q(0.98);
  const lo = q(0.02) > 0 ? q(0.02) : hi / 100;
  let edges: number[] = [];
  for (const steps of [[1, 1.5, 2, 3, 5, 7], [1, 2, 5], [1, 2.5, 5], [1, 3], [1]]) {
    edges = niceEdges(lo, hi, steps);
    if (edges.length <= maxBins - 1) break;
  }
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (edges.length === 0)
    return [{ label: compactNumber(first), from: first, to: last, customers: sorted.length }];
  const bounds = [-Infinity, ...edges, Infinity];
  const bins: HistogramBin[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const from = bounds[k];
    const to = bounds[k + 1];
    let label = `${compactNumber(from)}–${compactNumber(to)}`;
    if (k === 0) label = `< ${compactNumber(to)}`;
    else if (k === bounds.length - 2) label = `≥ ${compactNumber(from)}`;
    bins.push({ label, from, to, customers: 0 });
  }
  let k = 0;
  for (const v of sorted) {
    while (v >= bins[k].to) k++;
    bins[k].customers++;
  }
  return bins;
}

function niceEdges(lo: number, hi: number, steps: number[]): number[] {
  if (!(hi > lo) || !(lo > 0)) return [];
  const edges: number[] = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of steps) {
      const e = Number((m * Math.pow(10, p)).toPrecision(6));
      if (e > lo && e <= hi) edges.push(e);
    }
  }
  return edges;
}

/** Ten equal bins over [0, 1]; NaN values (not written) are left out. */
export function probabilityHistogram(values: ArrayLike<number>, bins = 10): HistogramBin[] {
  const out: HistogramBin[] = [];
  for (let k = 0; k < bins; k++) {
    const from = k / bins;
    const to = (k + 1) / bins;
    out.push({ label: `${from.toFixed(1)}–${to.toFixed(1)}`, from, to, customers: 0 });
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    out[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))].customers++;
  }
  return out;
}

/**
 * Customers per repeat-purchase count 0 … maxCount−1 and "maxCount+": observed, and expected by the model as
 * Σ_i P(X(T_i) = x), each customer at their own age T_i (the fit's own data, as lifetimes'
 * plot_period_transactions). Ages are grouped (exactly equal ages are common: day-resolution data), so the
 * cost is per distinct age, not per customer.
 */
export function frequencyFit(
  frequency: ArrayLike<number>,
  age: ArrayLike<number>,
  probabilityOfPurchases: (n: number, t: number) => number,
  maxCount = 7,
): { label: string; actual: number; expected: number }[] {
  const actual = new Float64Array(maxCount + 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < frequency.length; i++) {
    actual[Math.min(maxCount, frequency[i])]++;
    lo = Math.min(lo, age[i]);
    hi = Math.max(hi, age[i]);
  }
  // Ages to a thousandth of a unit, and never more than MAX_AGES distinct ones (second-resolution data).
  const step = Math.max(1e-3, (hi - lo) / MAX_AGES);
  const ages = new Map<number, number>();
  for (let i = 0; i < age.length; i++) {
    const t = lo + Math.round((age[i] - lo) / step) * step;
    ages.set(t, (ages.get(t) ?? 0) + 1);
  }
  const expected = new Float64Array(maxCount + 1);
  for (const [t, count] of ages) {
    let mass = 0;
    for (let x = 0; x < maxCount; x++) {
      const p = probabilityOfPurchases(x, t);
      if (Number.isFinite(p)) {
        expected[x] += count * p;
        mass += p;
      }
    }
    expected[maxCount] += count * Math.max(0, 1 - mass);
  }
  return Array.from(actual, (a, x) => ({
    label: x === maxCount ? `${maxCount}+` : String(x),
    actual: a,
    expected: expected[x],
  }));
}

const MAX_AGES = 2000;

/** 950, 1.5k, 25k, 1.2m: short labels for chart axes. */
export function compactNumber(v: number): string {
  const abs = Math.abs(v);
  const cut = (x: number) => String(Number(x.toPrecision(3)));
  if (abs >= 1e9) return `${cut(v / 1e9)}bn`;
  if (abs >= 1e6) return `${cut(v / 1e6)}m`;
  if (abs >= 1e3) return `${cut(v / 1e3)}k`;
  return cut(v);
}
