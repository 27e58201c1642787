/**
 * Feature drift between the population a model was trained on and today's, as the population stability index
 * PSI = Σ_i (a_i − e_i) · ln(a_i / e_i) over bins fixed on the reference (e_i its shares, a_i today's),
 * Siddiqi (2006, "Credit Risk Scorecards", ch. 8); the usual reading is < 0.10 stable, 0.10–0.25 a moderate
 * shift, > 0.25 a major one (Yurdakul 2018, "Statistical properties of the population stability index").
 * Bins are the reference's deciles; tied values (order counts are small integers) share a bin instead of
 * splitting it, and an empty bin is floored at a small share so the log stays finite.
 */

export type ReferenceBins = {
  /** Upper bounds of every bin but the last (a value v falls in the first bin with v ≤ edge). */
  edges: number[];
  /** Share of the reference population per bin, edges.length + 1 of them. */
  shares: number[];
};

export const PSI_MODERATE = 0.1;
export const PSI_MAJOR = 0.25;

/** An empty bin's share: ln(a / e) stays finite; 1e-4 is the floor commonly used with ten bins. */
const FLOOR = 1e-4;

function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function shares(edges: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[binOf(edges, v)]++;
    n++;
  }
  return counts.map((c) => (n > 0 ? c / n : 0));
}

/** Decile bins of the reference population (fewer when values tie). Non-finite values are left out. */
export function referenceBins(values: ArrayLike<number>, bins = 10): ReferenceBins {
  const sorted = Array.from(values)
    .filter((v) => Number.isFinite(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) throw new RangeError('reference bins need at least one finite value');
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / bins) - 1)];
    if (edge < sorted[sorted.length - 1] && (edges.length === 0 || edge > edges[edges.length - 1]))
      edges.push(edge);
  }
  return { edges, shares: shares(edges, sorted) };
}

/** PSI of today's values against the reference bins. */
export function populationStability(reference: ReferenceBins, values: ArrayLike<number>): number {
  const today = shares(reference.edges, values);
  let psi = 0;
  for (let i = 0; i < today.length; i++) {
    const e = Math.max(FLOOR, reference.shares[i]);
    const a = Math.max(FLOOR, today[i]);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

export function stabilityWords(psi: number): 'stable' | 'moderate shift' | 'major shift' {
  return psi > PSI_MAJOR ? 'major shift' : psi > PSI_MODERATE ? 'moderate shift' : 'stable';
}
