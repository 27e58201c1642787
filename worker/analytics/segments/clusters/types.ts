/** Shapes shared by the behavioural clustering modules. */

/**
 * Per-customer behaviour, one entry per customer in every array (same order). Money in base currency, ages in
 * days at the observation end.
 */
export type CustomerBehaviour = {
  /** Days since the last purchase. */
  recencyDays: Float64Array;
  /** Purchases (orders, or purchase days: say which when you build it; ≥ 1 for a customer with a purchase). */
  frequency: Float64Array;
  /** Total revenue to date. */
  monetary: Float64Array;
  /** Days since the first purchase. */
  tenureDays: Float64Array;
  /** Average order value; monetary / frequency when absent. */
  averageOrderValue?: Float64Array;
  /** Customers × categories spend shares, row-major (rows sum to 1, or 0 without categorised spend). */
  categoryShares?: { names: readonly string[]; values: Float64Array };
  /** Extra engagement counts (email opens, page views …), heavy-tailed counts: log1p is applied. */
  engagement?: readonly { name: string; values: Float64Array }[];
};

export type FeatureKind = 'recency' | 'frequency' | 'monetary' | 'tenure' | 'aov' | 'category' | 'engagement';

/** How one column of the model's matrix is made from the raw value x: ((log1p? log1p(x) : x) − mean) / sd · weight. */
export type FeatureColumn = {
  name: string;
  kind: FeatureKind;
  log1p: boolean;
  mean: number;
  sd: number;
  weight: number;
};

/** The fitted transform: a later run applies exactly these columns (the model is reusable). */
export type FeatureTransform = { columns: FeatureColumn[] };

/** Row-major n × d matrix. */
export type FeatureMatrix = { n: number; d: number; values: Float64Array; names: string[] };

export type KmeansEngine = 'ml-kmeans' | 'typed';

export type KmeansResult = {
  k: number;
  d: number;
  /** k × d row-major. */
  centroids: Float64Array;
  /** Cluster per row from the last assignment step: the nearest final centroid (up to rows within √tolerance of a boundary). */
  labels: Int32Array;
  /** Rows per cluster. */
  sizes: Int32Array;
  /** Σ squared distance of every row to its centroid (within-cluster sum of squares). */
  inertia: number;
  iterations: number;
  converged: boolean;
  engine: KmeansEngine;
};

export type Level = 'low' | 'mid' | 'high';

/** A cluster's centre in original units and its level against the population (see naming.ts). */
export type ClusterProfile = {
  recencyDays: number;
  frequency: number;
  monetary: number;
  tenureDays: number;
  levels: { recency: Level; frequency: Level; monetary: Level; tenure: Level };
};

/** Population terciles (1/3 and 2/3 quantiles) of the raw behaviour, the reference for the levels. */
export type PopulationTerciles = Record<
  'recencyDays' | 'frequency' | 'monetary' | 'tenureDays',
  [number, number]
>;

export type CoarseGroup = { id: string; name: string; members: string[] };

/** How the model's k came about (choose-k.ts, min-share.ts). */
export type KChoice = {
  /** 'silhouette': the highest mean silhouette within `range`; 'configured': k was given. */
  method: 'silhouette' | 'configured';
  /** The range the automatic choice was made in (null when configured); narrower than 4…8 for small data. */
  range: [number, number] | null;
  /** The k asked of the final fit; model.k is lower when small segments were merged. */
  requested: number;
  /** The smallest share of customers a segment may hold (default 0.03). */
  minShare: number;
  /** Centres moved by the small-segment rule, segments merged away by it, segments topped up by it. */
  reseeded: number;
  merged: number;
  toppedUp?: number;
  /** In words, for the run report: data too small for 4…8 segments, fewer natural groups, merged segments. */
  warnings: string[];
};

export type ClusterModel = {
  /** Format version of this object. */
  version: 1;
  transform: FeatureTransform;
  k: number;
  /** k × d row-major, in the transform's space. */
  centroids: number[];
  /** Stable ids ('seg-1' …) and names, per centroid. */
  ids: string[];
  names: string[];
  /** Rule-derived name before keeping a previous name or adding a collision qualifier. */
  baseNames: string[];
  profiles: ClusterProfile[];
  sizes: number[];
  inertia: number;
  terciles: PopulationTerciles;
  /** Next fresh id number, carried across retrains so an id is never reused. */
  nextId: number;
  /** Mean silhouette per k tried, including the k below the range that are probed for a warning (empty when k was configured). */
  silhouette: { k: number; score: number }[];
  engine: KmeansEngine;
  coarse: CoarseGroup[];
  /** Absent in models stored before it existed. */
  choice?: KChoice;
};
