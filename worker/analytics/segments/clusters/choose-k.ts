/**
 * Automatic k: for each k in kMin…kMax, k-means on a deterministic random sample (fitSampleSize rows), then the
 * mean silhouette of a smaller sample (silhouetteSampleSize rows, a subset of the first) labelled by its nearest
 * centre. The highest mean silhouette wins; ties go to the smaller k. Sampling keeps the cost flat in n: the
 * silhouette is O(sample²) and the per-k fits never see the full matrix.
 */
import { createRandom } from '../../math/random';
import { ClusterError } from './errors';
import { runKmeans, type KmeansRunOptions } from './kmeans';
import { assignNearest, type MatrixInput } from './kmeans-typed';
import { pairwiseDistances, silhouetteFromDistances } from './silhouette';

export type ChooseKOptions = {
  kMin?: number;
  kMax?: number;
  /** Rows the per-k k-means runs on. Default 10,000. */
  fitSampleSize?: number;
  /** Rows the silhouette is computed on. Default 3,000. */
  silhouetteSampleSize?: number;
  seed?: number;
  /** k-means++ starts per k. Default 2. */
  restarts?: number;
  /** Default 'typed' (the per-k fits dominate the cost; ml-kmeans made the choice ~3× slower). */
  engine?: KmeansRunOptions['engine'];
};

export type ChooseKResult = { k: number; scores: { k: number; score: number }[] };

/** `size` distinct row indices drawn uniformly (partial Fisher–Yates), in draw order. */
export function sampleRows(n: number, size: number, seed: number): Int32Array {
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  const take = Math.min(n, size);
  const random = createRandom(seed);
  for (let i = 0; i < take; i++) {
    const j = i + random.integer(n - i);
    const t = index[i];
    index[i] = index[j];
    index[j] = t;
  }
  return index.slice(0, take);
}

export function takeRows(m: MatrixInput, rows: Int32Array): MatrixInput {
  const { d } = m;
  const values = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) values.set(m.values.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return { n: rows.length, d, values };
}

export function chooseK(m: MatrixInput, options: ChooseKOptions = {}): ChooseKResult {
  const seed = options.seed ?? 1;
  const kMin = options.kMin ?? 2;
  const kMax = Math.min(options.kMax ?? 10, m.n - 1);
  if (kMin < 2 || kMax < kMin) {
    throw new ClusterError(
      'INVALID_CLUSTER_OPTION',
      `Choosing k needs 2 ≤ kMin ≤ kMax < customers; got kMin ${kMin}, kMax ${options.kMax ?? 10}, ${m.n} customers.`,
    );
  }
  const rows = sampleRows(m.n, options.fitSampleSize ?? 10_000, seed);
  const fitSample = takeRows(m, rows);
  // The fit sample is in random draw order, so its first rows are a random subset too.
  const silhouetteSample = takeRows(fitSample, firstRows(options.silhouetteSampleSize ?? 3000, fitSample.n));
  const distances = pairwiseDistances(silhouetteSample);
  const scores: { k: number; score: number }[] = [];
  let best = { k: kMin, score: -Infinity };
  for (let k = kMin; k <= kMax; k++) {
    const fit = runKmeans(fitSample, k, {
      seed: seed + k,
      restarts: options.restarts ?? 2,
      engine: options.engine ?? 'typed',
      // Looser than the final fit's: the silhouette does not change with the last digits of the centres.
      tolerance: 1e-4,
    });
    const { labels } = assignNearest(silhouetteSample, fit.centroids, k);
    const score = silhouetteFromDistances(distances, silhouetteSample.n, labels, k);
    scores.push({ k, score });
    if (score > best.score) best = { k, score };
  }
  return { k: best.k, scores };
}

function firstRows(size: number, n: number): Int32Array {
  const take = Math.min(size, n);
  const out = new Int32Array(take);
  for (let i = 0; i < take; i++) out[i] = i;
  return out;
}
