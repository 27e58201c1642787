/**
 * Fit, retrain and apply a behavioural cluster model.
 *
 * Stable ids: on a retrain with the previous model, each new cluster's centre is measured in the PREVIOUS model's
 * feature space (its members transformed with the previous transform and averaged, which is exact even for the
 * log1p'd columns), the squared Euclidean distances to the previous centroids form a cost matrix, and the
 * Hungarian algorithm matches them (rectangular when k changed). A matched cluster keeps the previous id when its
 * centre is within `maxMatchDistance` (default 1.5 standardised units) of the previous one, otherwise it is a
 * different segment and gets a fresh id; ids are never reused (model.nextId). A matched cluster keeps its
 * previous name unless its profile changed a lot: it is renamed only when its rule-derived name changed (the
 * centroid crossed a tercile level on recency, frequency, monetary or tenure, naming.ts) AND its centre moved by
 * more than `renameDistance` (default 0.5 standardised units). A centroid sitting near a tercile boundary would
 * otherwise flip between two names on every retrain (seen on Online Retail with k = 6), and a CRM user should not
 * see a segment renamed for a small drift.
 *
 * k: configured (`k`, the CLI's --segments) or chosen in 4…8 by the mean silhouette (choose-k.ts). No segment
 * holds fewer than 3 % of the customers (min-share.ts: small ones are re-seeded, and when that does not help
 * merged away with an automatic k, topped up by a constrained assignment with a configured k, which is never
 * changed); a configured k that cannot give every segment 3 % (k > 33) is reported. Names are distinct (naming.ts) and the segments are grouped into 2–3 families
 * (coarse-groups.ts). Everything worth telling the user (too few customers for 4…8 segments, fewer natural
 * groups, merged or small segments) is in `warnings`, in words.
 *
 * Clusters are ordered by id number; on a first fit ids follow the monetary centroid, highest first.
 */
import { ClusterError } from './errors';
import { chooseK, sampleRows, takeRows, type ChooseKOptions } from './choose-k';
import { coarseGroups, type CoarseOptions } from './coarse-groups';
import { applyFeatureTransform, fitFeatureTransform, toOriginalUnits, type FeatureOptions } from './features';
import { hungarian } from './hungarian';
import { runKmeans, ML_KMEANS_MAX_ROWS, type KmeansRunOptions } from './kmeans';
import { assignNearest } from './kmeans-typed';
import { DEFAULT_MIN_SHARE, enforceMinShare } from './min-share';
import { centroidTraits, clusterBaseName, populationTerciles, profileOf, distinctNames } from './naming';
import type {
  ClusterModel,
  ClusterProfile,
  CustomerBehaviour,
  FeatureMatrix,
  FeatureTransform,
  KChoice,
  PopulationTerciles,
} from './types';

export const CLUSTER_MODEL_VERSION = 1;

export type ClusterModelOptions = {
  /** Fixed k (kept as given); chosen by silhouette in kMin…kMax (default 4…8) when absent. */
  k?: number;
  chooseK?: Omit<ChooseKOptions, 'seed' | 'engine' | 'minShare'>;
  /** Smallest share of the customers a segment may hold (min-share.ts). Default 0.03; 0 turns the rule off. */
  minShare?: number;
  /** Default 42. */
  seed?: number;
  /**
   * k-means++ starts of the final fit. Default 10 up to ML_KMEANS_MAX_ROWS rows; above, one start from the
   * centres of a k-means on a 100,000-row sample (the 5 s budget, see sampleCentres).
   */
  restarts?: number;
  engine?: KmeansRunOptions['engine'];
  /** Lloyd iterations of the final fit. Default 300 up to ML_KMEANS_MAX_ROWS rows, 50 above (see sampleCentres). */
  maxIterations?: number;
  tolerance?: number;
  features?: FeatureOptions;
  /** Largest centre distance (standardised units, previous model's space) that still keeps an id. Default 1.5. */
  maxMatchDistance?: number;
  /** A matched cluster whose rule-derived name changed is renamed only beyond this centre distance. Default 0.5. */
  renameDistance?: number;
  coarse?: CoarseOptions;
};

export type ClusterFit = {
  model: ClusterModel;
  /** Cluster index (into model.ids / model.names) per customer. */
  labels: Int32Array;
  /** Per new cluster, the previous id it was matched to (null when new); empty without a previous model. */
  matchedFrom: (string | null)[];
  /** For the run report, in words (also in model.choice.warnings). */
  warnings: string[];
};

function idNumber(id: string): number {
  const m = /(\d+)$/.exec(id);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

function profilesFromCentroids(
  transform: FeatureTransform,
  centroids: Float64Array,
  k: number,
  terciles: PopulationTerciles,
): ClusterProfile[] {
  const d = transform.columns.length;
  const column = (kind: string) => transform.columns.findIndex((c) => c.kind === kind);
  const pick = (j: number, kind: string, key: keyof PopulationTerciles): number => {
    const c = column(kind);
    // A column dropped for having no spread: every customer has the population value.
    return c < 0 ? terciles[key][0] : toOriginalUnits(transform.columns[c], centroids[j * d + c]);
  };
  return Array.from({ length: k }, (_, j) =>
    profileOf(
      {
        recencyDays: pick(j, 'recency', 'recencyDays'),
        frequency: pick(j, 'frequency', 'frequency'),
        monetary: pick(j, 'monetary', 'monetary'),
        tenureDays: pick(j, 'tenure', 'tenureDays'),
      },
      terciles,
    ),
  );
}

/** Fits a model on these customers; with `previous`, ids (and names) carry over to the matching clusters. */
export function fitClusterModel(
  behaviour: CustomerBehaviour,
  options: ClusterModelOptions = {},
  previous?: ClusterModel,
): ClusterFit {
  if (previous && previous.version !== CLUSTER_MODEL_VERSION) {
    throw new ClusterError(
      'INCOMPATIBLE_CLUSTER_MODEL',
      `The previous cluster model has format version ${previous.version}; this code reads ${CLUSTER_MODEL_VERSION}. Fit without it.`,
    );
  }
  const seed = options.seed ?? 42;
  const transform = fitFeatureTransform(behaviour, options.features);
  const matrix = applyFeatureTransform(transform, behaviour);
  const { n, d } = matrix;
  const automatic = options.k === undefined;
  const minShare = options.minShare ?? DEFAULT_MIN_SHARE;
  let requested: number;
  let silhouette: { k: number; score: number }[] = [];
  let range: [number, number] | null = null;
  const warnings: string[] = [];
  if (options.k === undefined) {
    const chosen = chooseK(matrix, { ...options.chooseK, minShare, seed });
    requested = chosen.k;
    silhouette = chosen.scores;
    range = chosen.range;
    warnings.push(...chosen.warnings);
  } else requested = options.k;
  if (!Number.isInteger(requested) || requested < 1 || requested > n) {
    throw new ClusterError(
      'INVALID_CLUSTER_OPTION',
      `k must be an integer between 1 and the ${n} customers, got ${requested}.`,
    );
  }
  const large = n > ML_KMEANS_MAX_ROWS;
  const run = {
    engine: options.engine,
    maxIterations: options.maxIterations ?? (large ? LARGE_FIT_MAX_ITERATIONS : undefined),
    tolerance: options.tolerance,
  };
  const start =
    options.restarts === undefined && large
      ? { initialCentroids: sampleCentres(matrix, requested, seed) }
      : { seed, restarts: options.restarts ?? 10 };
  const repaired = enforceMinShare(matrix, runKmeans(matrix, requested, { ...run, ...start }), {
    ...run,
    minShare,
    still: automatic ? 'merge' : 'top-up',
    seed,
  });
  const fit = repaired.fit;
  const k = fit.k;
  const smallest = Math.min(...fit.sizes);
  const pct = (x: number) => `${Number((100 * x).toFixed(1))} %`;
  if (repaired.merged > 0) {
    warnings.push(
      `k = ${requested} left ${repaired.merged} segment${repaired.merged > 1 ? 's' : ''} under ${pct(minShare)} ` +
        `of the customers even after re-seeding; merged into the nearest, ${k} segments.`,
    );
  }
  if (!automatic && smallest < repaired.minSize) {
    warnings.push(
      `With k = ${k} as configured, the smallest segment holds ${smallest} customers (${pct(smallest / n)}), ` +
        `under ${pct(minShare)}: fewer segments would avoid it.`,
    );
  }
  const terciles = populationTerciles(behaviour);
  const profiles = profilesFromCentroids(transform, fit.centroids, k, terciles);
  const baseNames = profiles.map(clusterBaseName);

  // Ids and kept names.
  const ids: string[] = new Array(k);
  const fixedNames: (string | null)[] = new Array(k).fill(null);
  const matchedFrom: (string | null)[] = [];
  let nextId = previous?.nextId ?? 1;
  if (previous) {
    const { match, distance } = matchToPrevious(
      previous,
      behaviour,
      fit.labels,
      k,
      options.maxMatchDistance ?? 1.5,
    );
    const renameDistance = options.renameDistance ?? 0.5;
    // Fresh ids in the order of monetary, highest first, for the unmatched ones.
    const unmatched = [...Array(k).keys()].filter((j) => match[j] < 0);
    unmatched.sort((a, b) => profiles[b].monetary - profiles[a].monetary || a - b);
    for (let j = 0; j < k; j++) {
      const p = match[j];
      matchedFrom.push(p >= 0 ? previous.ids[p] : null);
      if (p >= 0) {
        ids[j] = previous.ids[p];
        if (previous.baseNames[p] === baseNames[j] || distance[j] <= renameDistance) {
          fixedNames[j] = previous.names[p];
        }
      }
    }
    for (const j of unmatched) ids[j] = `seg-${nextId++}`;
  } else {
    const order = [...Array(k).keys()].sort((a, b) => profiles[b].monetary - profiles[a].monetary || a - b);
    for (const j of order) ids[j] = `seg-${nextId++}`;
  }
  const names = distinctNames(baseNames, centroidTraits(transform.columns, fit.centroids, k), fixedNames);

  // Reorder everything by id number.
  const order = [...Array(k).keys()].sort((a, b) => idNumber(ids[a]) - idNumber(ids[b]));
  const position = new Int32Array(k);
  order.forEach((j, pos) => (position[j] = pos));
  const centroids: number[] = [];
  for (const j of order) for (let t = 0; t < d; t++) centroids.push(fit.centroids[j * d + t]);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = position[fit.labels[i]];
  const clusters = {
    ids: order.map((j) => ids[j]),
    names: order.map((j) => names[j]),
    profiles: order.map((j) => profiles[j]),
    sizes: order.map((j) => fit.sizes[j]),
  };
  const choice: KChoice = {
    method: automatic ? 'silhouette' : 'configured',
    range,
    requested,
    minShare,
    reseeded: repaired.reseeded,
    merged: repaired.merged,
    toppedUp: repaired.toppedUp,
    warnings,
  };
  const model: ClusterModel = {
    version: CLUSTER_MODEL_VERSION,
    transform,
    k,
    centroids,
    ids: clusters.ids,
    names: clusters.names,
    baseNames: order.map((j) => baseNames[j]),
    profiles: clusters.profiles,
    sizes: clusters.sizes,
    inertia: fit.inertia,
    terciles,
    nextId,
    silhouette,
    engine: fit.engine,
    coarse: coarseGroups(centroids, d, clusters, terciles, options.coarse, transform.columns),
    choice,
  };
  return { model, labels, matchedFrom: previous ? order.map((j) => matchedFrom[j]) : [], warnings };
}

/** Lloyd iterations of a fit on more than ML_KMEANS_MAX_ROWS rows (see sampleCentres). */
export const LARGE_FIT_MAX_ITERATIONS = 50;

/**
 * Starting centres for a large fit (above ML_KMEANS_MAX_ROWS rows): k-means (one k-means++ start, tolerance
 * 1e-4) on a 100,000-row sample, the sub-sample seeding of Bradley & Fayyad 1998 ("Refining initial points for
 * k-means clustering", ICML), after which the full fit runs at most LARGE_FIT_MAX_ITERATIONS Lloyd iterations.
 * Behavioural data are a continuum, and Lloyd's iterations creep there: on the bench's 1M synthetic customers
 * (bench/stages/segments-kmeans.ts) the fit from k-means++ seeds took 71 iterations at k = 5, 149 at k = 8 and
 * hit the 300 cap at k = 12 (up to ~8 s on a busy 2-core machine, over the 5 s budget before any choice of k).
 * From the sample's centres it took 8–79 (k = 5), 13–39 (k = 8) and 13–245 (k = 12) iterations depending on
 * the sample, with a within-cluster sum of squares as low or lower (k = 8: 1,868,150–1,872,480 against
 * 1,872,472). Capped at 50, the sum of squares was at most 0.003 % above the converged one at k = 5 and 8 and
 * 0.5 % at k = 12 (a slow walk to another optimum), for at most ~1.8 s of iterations.
 */
function sampleCentres(m: FeatureMatrix, k: number, seed: number): Float64Array {
  const sample = takeRows(m, sampleRows(m.n, 100_000, seed + 1));
  return runKmeans(sample, k, { seed, restarts: 1, engine: 'typed', tolerance: 1e-4 }).centroids;
}

/**
 * Previous cluster per new cluster (−1: none) and the centre distance of each match. New clusters' centres in the previous model's space are the
 * means of their members under the previous transform.
 */
function matchToPrevious(
  previous: ClusterModel,
  behaviour: CustomerBehaviour,
  labels: Int32Array,
  k: number,
  maxMatchDistance: number,
): { match: Int32Array; distance: Float64Array } {
  const inPrevious = applyFeatureTransform(previous.transform, behaviour);
  const d = inPrevious.d;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < inPrevious.n; i++) {
    const j = labels[i];
    counts[j]++;
    for (let t = 0; t < d; t++) sums[j * d + t] += inPrevious.values[i * d + t];
  }
  const kp = previous.k;
  const cost = new Float64Array(k * kp);
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < kp; p++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const mean = counts[j] > 0 ? sums[j * d + t] / counts[j] : 0;
        const diff = mean - previous.centroids[p * d + t];
        s += diff * diff;
      }
      cost[j * kp + p] = s;
    }
  }
  const { rowToColumn } = hungarian(cost, k, kp);
  const match = new Int32Array(k).fill(-1);
  const distance = new Float64Array(k).fill(Infinity);
  for (let j = 0; j < k; j++) {
    const p = rowToColumn[j];
    if (p < 0) continue;
    const dist = Math.sqrt(cost[j * kp + p]);
    if (dist <= maxMatchDistance) {
      match[j] = p;
      distance[j] = dist;
    }
  }
  return { match, distance };
}

/** Nearest-centroid cluster of (new) customers under a stored model. */
export function assignClusters(
  model: ClusterModel,
  behaviour: CustomerBehaviour,
): { labels: Int32Array; ids: string[]; names: string[] } {
  const matrix = applyFeatureTransform(model.transform, behaviour);
  const { labels } = assignNearest(matrix, Float64Array.from(model.centroids), model.k);
  const ids = new Array<string>(labels.length);
  const names = new Array<string>(labels.length);
  for (let i = 0; i < labels.length; i++) {
    ids[i] = model.ids[labels[i]];
    names[i] = model.names[labels[i]];
  }
  return { labels, ids, names };
}
