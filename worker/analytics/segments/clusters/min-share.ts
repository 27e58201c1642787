/**
 * No segment under a minimum share of the customers (default 3 %).
 *
 * Why: a market segment has to be "substantial", large enough to be worth a campaign of its own (Kotler's
 * segmentation criteria: measurable, substantial, accessible, differentiable, actionable; Kotler & Keller,
 * Marketing Management, ch. "Identifying market segments and targets"). k-means does not know this: with a few
 * hundred outliers (wholesalers in a retail file, test accounts) it happily spends a centre on 1 % of the
 * customers. The exact fix, k-means with a minimum cluster size, turns the assignment step into a min-cost flow
 * problem (Bradley, Bennett & Demiriz 2000, "Constrained k-means clustering", MSR-TR-2000-65), too slow for a
 * million customers inside the 5 s budget. So the rule repairs a finished fit instead:
 *
 * 1. Re-seed (up to `reseedRounds` rounds, default 3). Every centre whose cluster holds fewer than
 *    ⌈minShare · n⌉ rows moves to a row drawn by k-means++'s D² rule (Arthur & Vassilvitskii 2007, in the greedy
 *    form of kmeans-typed.ts: the best of 2 + ⌊ln k⌋ draws) among the rows of the clusters that are large
 *    enough, and Lloyd's iterations restart from all k centres. The outliers then join their nearest large
 *    cluster and the freed centre goes where the data are worst served, typically into a cluster that holds two
 *    groups. k is kept.
 *    Re-seeding cannot help when k is larger than the number of natural groups and the outliers form a far
 *    clump: a centre splitting a group next to the clump slides back onto it.
 * 2a. Merge (`still: 'merge'`, when k was chosen automatically). A cluster still too small loses its centre and
 *    Lloyd's iterations continue from the k − 1 others, so its members join their nearest centres; repeated,
 *    smallest first, until every cluster is large enough. This always ends (k shrinks), so an automatic k never
 *    leaves a segment under the share.
 * 2b. Top up (`still: 'top-up'`, when k was configured with --segments: k is the user's and is kept). Bradley et
 *    al.'s constrained k-means with a greedy assignment step: after each nearest-centre assignment, a cluster
 *    under ⌈minShare · n⌉ rows takes the rows of other clusters that cost the least to move,
 *    ‖x − c_small‖² − ‖x − c_own‖², as long as their own cluster stays large enough; then the centres move to
 *    their members' means; up to 20 rounds. A clump of outliers thus becomes a segment together with the
 *    customers most like them. Labels are then not all nearest-centre (new customers scored with the stored
 *    model go to their nearest centre). Impossible only when k · ⌈minShare · n⌉ > n, which the caller reports.
 */
import { createRandom, type SeededRandom } from '../../math/random';
import { runKmeans, type KmeansRunOptions } from './kmeans';
import { assignNearest, type MatrixInput } from './kmeans-typed';
import { d2Rows, greedyD2Pick } from './greedy-d2-pick';
import type { KmeansResult } from './types';

const { ceil, floor, log, max } = Math;

export const DEFAULT_MIN_SHARE = 0.03;

export type MinShareOptions = {
  /** Smallest share of the rows a cluster may hold. Default DEFAULT_MIN_SHARE (3 %); 0 turns the rule off. */
  minShare?: number;
  /** What to do with clusters re-seeding could not grow: merge them away (automatic k), top them up (configured k), or keep them. Default 'keep'. */
  still?: 'merge' | 'top-up' | 'keep';
  /** Re-seeding rounds before merging. Default 3. */
  reseedRounds?: number;
  /** Seed of the D² draws. Default 1. */
  seed?: number;
  engine?: KmeansRunOptions['engine'];
  maxIterations?: number;
  tolerance?: number;
};

export type MinShareResult = {
  fit: KmeansResult;
  /** Smallest allowed cluster size in rows: ⌈minShare · n⌉. */
  minSize: number;
  /** Centres moved by re-seeding, summed over the rounds. */
  reseeded: number;
  /** Clusters merged away. */
  merged: number;
  /** Clusters topped up by the constrained assignment. */
  toppedUp: number;
};

/** Smallest number of rows a cluster may hold under `minShare`. */
export function minClusterSize(n: number, minShare: number): number {
  return minShare > 0 ? max(1, ceil(minShare * n - 1e-9)) : 0;
}

function smallClusters(fit: KmeansResult, minSize: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < fit.k; j++) if (fit.sizes[j] < minSize) out.push(j);
  return out;
}

/** Applies the file comment's rule to a converged fit of `m`; returns the fit unchanged when nothing is small. */
export function enforceMinShare(
  m: MatrixInput,
  fit: KmeansResult,
  options: MinShareOptions = {},
): MinShareResult {
  const minSize = minClusterSize(m.n, options.minShare ?? DEFAULT_MIN_SHARE);
  const run = { engine: options.engine, maxIterations: options.maxIterations, tolerance: options.tolerance };
  const random = createRandom(options.seed ?? 1);
  let current = fit;
  let reseeded = 0;
  let merged = 0;
  const rounds = options.reseedRounds ?? 3;
  // k clusters of minSize rows need k · minSize rows; otherwise re-seeding cannot succeed.
  for (let round = 0; round < rounds && current.k * minSize <= m.n; round++) {
    const small = smallClusters(current, minSize);
    if (small.length === 0) break;
    const centres = Float64Array.from(current.centroids);
    if (!reseed(m, centres, current, small, minSize, random)) break;
    reseeded += small.length;
    current = runKmeans(m, current.k, { ...run, initialCentroids: centres });
  }
  let toppedUp = 0;
  if (options.still === 'top-up' && current.k * minSize <= m.n) {
    const small = smallClusters(current, minSize);
    if (small.length > 0) {
      toppedUp = small.length;
      current = topUp(m, current, minSize);
    }
  }
  if (options.still === 'merge') {
    for (;;) {
      const small = smallClusters(current, minSize);
      if (small.length === 0 || current.k <= 1) break;
      let drop = small[0];
      for (const j of small) if (current.sizes[j] < current.sizes[drop]) drop = j;
      const d = m.d;
      const centres = new Float64Array((current.k - 1) * d);
      for (let j = 0, r = 0; j < current.k; j++) {
        if (j === drop) continue;
        centres.set(current.centroids.subarray(j * d, j * d + d), r++ * d);
      }
      current = runKmeans(m, current.k - 1, { ...run, initialCentroids: centres });
      merged++;
    }
  }
  return { fit: current, minSize, reseeded, merged, toppedUp };
}

/** Step 2b of the file comment: constrained assignment and centre update, alternated. */
function topUp(m: MatrixInput, fit: KmeansResult, minSize: number, rounds = 20): KmeansResult {
  const { n, d, values: x } = m;
  const k = fit.k;
  const centres = Float64Array.from(fit.centroids);
  let labels: Int32Array = new Int32Array(n);
  const own = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  const cost = new Float64Array(n);
  for (; iterations < rounds; iterations++) {
    const next = assignNearest(m, centres, k).labels;
    const sizes = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      sizes[next[i]]++;
      own[i] = squaredDistance(x, i * d, centres, next[i] * d, d);
    }
    const order = [...Array(k).keys()].filter((j) => sizes[j] < minSize).sort((a, b) => sizes[a] - sizes[b]);
    for (const j of order) {
      let eligible = 0;
      for (let i = 0; i < n; i++) {
        if (next[i] === j || sizes[next[i]] <= minSize) {
          cost[i] = Infinity;
          continue;
        }
        cost[i] = squaredDistance(x, i * d, centres, j * d, d) - own[i];
        eligible++;
      }
      // The cheapest rows first; only a few times what is needed is sorted (a comparator sort of a million
      // indices would cost a second), more when donors run out.
      const sorted = cost.slice().sort();
      for (let take = 4 * (minSize - sizes[j]) + 64; sizes[j] < minSize; take *= 2) {
        const threshold = sorted[Math.min(take, eligible) - 1];
        const rows: number[] = [];
        for (let i = 0; i < n; i++) if (cost[i] <= threshold && next[i] !== j) rows.push(i);
        rows.sort((a, b) => cost[a] - cost[b] || a - b);
        for (const i of rows) {
          if (sizes[j] >= minSize) break;
          const from = next[i];
          if (sizes[from] <= minSize) continue;
          sizes[from]--;
          sizes[j]++;
          next[i] = j;
          own[i] += cost[i];
        }
        if (take >= eligible) break;
      }
    }
    const same = iterations > 0 && next.every((v, i) => v === labels[i]);
    labels = next;
    // Centres to their members' means.
    centres.fill(0);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) centres[labels[i] * d + t] += x[i * d + t];
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) centres[j * d + t] /= Math.max(sizes[j], 1);
    if (same) {
      converged = true;
      break;
    }
  }
  const sizes = new Int32Array(k);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    sizes[labels[i]]++;
    inertia += squaredDistance(x, i * d, centres, labels[i] * d, d);
  }
  return { ...fit, centroids: centres, labels, sizes, inertia, iterations, converged };
}

function squaredDistance(x: Float64Array, a: number, y: Float64Array, b: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = x[a + t] - y[b + t];
    s += diff * diff;
  }
  return s;
}

/**
 * Moves the centres of the `small` clusters (in place) onto rows of the large clusters, each drawn by greedy D²
 * sampling against the centres kept so far. False when every eligible row already sits on a centre.
 */
function reseed(
  m: MatrixInput,
  centres: Float64Array,
  fit: KmeansResult,
  small: number[],
  minSize: number,
  random: SeededRandom,
): boolean {
  const { n, d, values: x } = m;
  // D² of each eligible row: its distance to its own (large) cluster's centre; 0 for the small clusters' rows.
  const rows = d2Rows(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    const a = fit.labels[i];
    if (fit.sizes[a] < minSize) continue;
    rows.closest[i] = squaredDistance(x, i * d, centres, a * d, d);
    potential += rows.closest[i];
  }
  const trials = 2 + floor(log(fit.k));
  for (const j of small) {
    if (!(potential > 0)) return false;
    const picked = greedyD2Pick(x, n, d, rows, potential, trials, random);
    centres.set(x.subarray(picked.row * d, picked.row * d + d), j * d);
    potential = picked.potential;
  }
  return true;
}
