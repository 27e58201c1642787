/**
 * Automatic k: the highest mean silhouette (Rousseeuw 1987) within a range, 4…8 by default, the number of
 * segments marketing works with.
 *
 * Why restricted: on customer data the behaviour is a continuum (one-timers shading into regulars), and over
 * 2…10 the silhouette peaks at k = 2 on all three of our data sets (the demo, the demo HubSpot portal, UCI Online
 * Retail: 0.33 at k = 2 against 0.25–0.27 for 4…8 on Online Retail), a split into "bought once" and "came back"
 * that is too coarse to act on. Inside a fixed range the silhouette still does its job, picking the k whose
 * clusters are the most compact and separated (on 5 well-separated groups it picks 5); the range itself is the
 * business constraint. Other criteria measured on Online Retail and the demo: the Calinski–Harabasz index falls
 * monotonically from k = 2 on both (restricted to 4…8 it can only say 4), and the "kneedle" rule on the
 * within-cluster sum of squares over 2…10 lands on 4 (4 or 5 on the demo). The silhouette is kept because its
 * scale means something (the warning below relies on it) and it already runs on a bounded sample.
 *
 * Steps: k-means (`restarts` k-means++ starts) for each k from 2 to kMax on a deterministic random sample
 * (fitSampleSize rows), the small-segment rule of min-share.ts applied to each fit (with merging, as for the
 * final fit), then the mean silhouette of a smaller sample (silhouetteSampleSize rows, a subset of the first)
 * labelled by its nearest centre. The k below the range are fitted too, only to see whether the data have fewer
 * natural groups. Ties go to the smaller k. Sampling keeps the cost flat in n: the silhouette is O(sample²) and
 * the per-k fits never see the full matrix.
 *
 * Warnings (in words, for the run report):
 * - Too small data: every segment should hold at least minSegmentCustomers customers (default 30, the usual
 *   size below which a group mean such as a segment's CLV or churn rate is too noisy to act on), so the range
 *   ends at ⌊n / 30⌋ (never below 2), and a warning says so when that is under kMin.
 * - Fewer natural groups: when a k below the range has the highest silhouette of all the k tried AND that
 *   silhouette is above 0.5 (Kaufman & Rousseeuw 1990, "Finding Groups in Data", ch. 2: an average silhouette
 *   of 0.51–0.70 means a reasonable structure was found, 0.71–1.00 a strong one, 0.26–0.50 a weak one that could
 *   be artificial, ≤ 0.25 none), the data hold that many well-separated groups and the segments split some of
 *   them. At 0.5 or below the low-k peak is only the continuum's "once vs again" split (0.33–0.36 on our data)
 *   and nothing is said.
 */
import { createRandom } from '../../math/random';
import { ClusterError } from './errors';
import { runKmeans, type KmeansRunOptions } from './kmeans';
import { assignNearest, type MatrixInput } from './kmeans-typed';
import { DEFAULT_MIN_SHARE, enforceMinShare } from './min-share';
import { pairwiseDistances, silhouetteFromDistances } from './silhouette';

/** The default range of the automatic k. */
export const DEFAULT_K_RANGE: readonly [number, number] = [4, 8];
/** Fewest customers per segment the automatic range allows (see the file comment). */
export const MIN_SEGMENT_CUSTOMERS = 30;
/** Above this average silhouette Kaufman & Rousseeuw speak of a reasonable structure (see the file comment). */
export const NATURAL_GROUPS_SILHOUETTE = 0.5;

export type ChooseKOptions = {
  /** Smallest k chosen. Default 4. */
  kMin?: number;
  /** Largest k chosen. Default 8. */
  kMax?: number;
  /** Fewest customers per segment; the range ends at ⌊n / this⌋. Default 30. */
  minSegmentCustomers?: number;
  /** Smallest segment share (min-share.ts). Default 0.03. */
  minShare?: number;
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

export type ChooseKResult = {
  k: number;
  /** Mean silhouette per k tried, from 2 (the k below the range are probes for the warning) to the range's end. */
  scores: { k: number; score: number }[];
  /** The range k was chosen in. */
  range: [number, number];
  /** The k with the highest silhouette of all tried (may be below the range). */
  naturalK: number;
  warnings: string[];
};

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

/** The range the automatic k is chosen in for n customers, and a warning when the data are too small for it. */
export function kRange(
  n: number,
  options: Pick<ChooseKOptions, 'kMin' | 'kMax' | 'minSegmentCustomers'> = {},
): { range: [number, number]; warning: string | null } {
  const kMin = options.kMin ?? DEFAULT_K_RANGE[0];
  const kMax = options.kMax ?? DEFAULT_K_RANGE[1];
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 2 || kMax < kMin) {
    throw new ClusterError(
      'INVALID_CLUSTER_OPTION',
      `Choosing k needs whole numbers 2 ≤ kMin ≤ kMax; got kMin ${kMin}, kMax ${kMax}.`,
    );
  }
  if (n < 3) {
    throw new ClusterError('TOO_FEW_CUSTOMERS', `Segments need at least 3 customers, got ${n}.`);
  }
  const perSegment = options.minSegmentCustomers ?? MIN_SEGMENT_CUSTOMERS;
  const bySize = perSegment > 0 ? Math.floor(n / perSegment) : Infinity;
  const upper = Math.min(kMax, n - 1, Math.max(2, bySize));
  const lower = Math.min(kMin, upper);
  const warning =
    upper < kMin
      ? `Only ${n.toLocaleString('en-US')} customers: too few for ${kMin}–${kMax} segments of at least ` +
        `${perSegment} customers each, so k was chosen in ${lower === upper ? `{${upper}}` : `${lower}–${upper}`}.`
      : null;
  return { range: [lower, upper], warning };
}

export function chooseK(m: MatrixInput, options: ChooseKOptions = {}): ChooseKResult {
  const seed = options.seed ?? 1;
  const { range, warning } = kRange(m.n, options);
  const [lower, upper] = range;
  const rows = sampleRows(m.n, options.fitSampleSize ?? 10_000, seed);
  const fitSample = takeRows(m, rows);
  // The fit sample is in random draw order, so its first rows are a random subset too.
  const silhouetteSample = takeRows(fitSample, firstRows(options.silhouetteSampleSize ?? 3000, fitSample.n));
  const distances = pairwiseDistances(silhouetteSample);
  const engine = options.engine ?? 'typed';
  const scores: { k: number; score: number }[] = [];
  let best = { k: lower, score: -Infinity };
  let natural = { k: lower, score: -Infinity };
  for (let k = 2; k <= upper; k++) {
    const run = { engine, tolerance: 1e-4 };
    const fitted = runKmeans(fitSample, k, {
      ...run,
      seed: seed + k,
      restarts: options.restarts ?? 2,
      // Looser than the final fit's: the silhouette does not change with the last digits of the centres.
    });
    const { fit } = enforceMinShare(fitSample, fitted, {
      ...run,
      minShare: options.minShare ?? DEFAULT_MIN_SHARE,
      still: 'merge',
      seed: seed + k,
    });
    const { labels } = assignNearest(silhouetteSample, fit.centroids, fit.k);
    const score = silhouetteFromDistances(distances, silhouetteSample.n, labels, fit.k);
    scores.push({ k, score });
    if (score > natural.score) natural = { k, score };
    if (k >= lower && score > best.score) best = { k, score };
  }
  const warnings = warning ? [warning] : [];
  if (natural.k < lower && natural.score > NATURAL_GROUPS_SILHOUETTE) {
    warnings.push(
      `The data show fewer natural groups than segments: ${natural.k} well-separated groups (mean silhouette ` +
        `${natural.score.toFixed(2)} at k = ${natural.k}, against ${best.score.toFixed(2)} at the chosen ` +
        `k = ${best.k}), so some of the ${best.k} segments are parts of one group.`,
    );
  }
  return { k: best.k, scores, range, naturalK: natural.k, warnings };
}

function firstRows(size: number, n: number): Int32Array {
  const take = Math.min(size, n);
  const out = new Int32Array(take);
  for (let i = 0; i < take; i++) out[i] = i;
  return out;
}
