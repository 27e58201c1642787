/**
 * One centre of greedy k-means++ seeding (Arthur & Vassilvitskii 2007, "k-means++: the advantages of careful
 * seeding"; the greedy form draws 2 + ⌊ln k⌋ candidates and keeps the best, as scikit-learn does): each candidate
 * row is drawn with probability ∝ D² (its squared distance to the closest centre so far), and the one that leaves
 * the least total D² wins. Shared by the seeding (./kmeans-typed) and the re-seeding of small clusters
 * (./min-share), so both draw from the seeded random stream alike.
 */
import type { SeededRandom } from '../../math/random';

/** Per row: D² so far (`closest`), and two buffers the trials fill; `closest` is replaced by the winner's. */
export type D2Rows = {
  closest: Float64Array;
  best: Float64Array;
  candidate: Float64Array;
  cumulative: Float64Array;
};

export function d2Rows(n: number): D2Rows {
  return {
    closest: new Float64Array(n),
    best: new Float64Array(n),
    candidate: new Float64Array(n),
    cumulative: new Float64Array(n),
  };
}

/**
 * Draws `trials` candidate rows of `x` (n × d, row-major) and keeps the one that leaves the least total D²; `rows`
 * then holds the D² with it added. With a total D² of 0 (every row on a centre) the candidates are drawn uniformly.
 */
export function greedyD2Pick(
  x: Float64Array,
  n: number,
  d: number,
  rows: D2Rows,
  potential: number,
  trials: number,
  random: SeededRandom,
): { row: number; potential: number } {
  const { closest, cumulative } = rows;
  let acc = 0;
  for (let i = 0; i < n; i++) cumulative[i] = acc += closest[i];
  let bestPotential = Infinity;
  let bestRow = -1;
  for (let trial = 0; trial < trials; trial++) {
    let row: number;
    if (potential > 0) {
      // First row whose cumulative D² exceeds a uniform draw on [0, potential).
      const r = random.uniform() * potential;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      row = lo;
    } else row = random.integer(n);
    const candidate = rows.candidate;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = closest[i];
      // A row on a centre already stays at 0, whatever the candidate.
      let s = 0;
      if (c > 0)
        for (let t = 0, a = i * d, b = row * d; t < d; t++) {
          const diff = x[a + t] - x[b + t];
          s += diff * diff;
        }
      const v = s < c ? s : c;
      candidate[i] = v;
      total += v;
    }
    if (total < bestPotential) {
      bestPotential = total;
      bestRow = row;
      rows.candidate = rows.best;
      rows.best = candidate;
    }
  }
  const kept = rows.closest;
  rows.closest = rows.best;
  rows.best = kept;
  return { row: bestRow, potential: bestPotential };
}
