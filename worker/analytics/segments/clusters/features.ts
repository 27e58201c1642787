/**
 * Behavioural features for k-means. Counts and money are heavy-tailed (a few customers with hundreds of orders
 * or a hundred times the median spend would own the squared distances), so frequency, monetary, average order
 * value and engagement counts go through log1p. Recency too: it is right-skewed (most customers bought
 * recently), and 5 vs 60 days since the last order matters far more than 250 vs 300. Tenure is bounded by the
 * data's span and fairly flat, so it stays linear. Every column is then standardised (z-score) with a mean and sd that are stored, so a later run applies
 * the same transform to new customers. Columns with no spread are dropped. Category shares are many correlated
 * columns: each is weighted √(categoryWeight / c) so that the whole block carries the variance of
 * `categoryWeight` behavioural features (default 2) however many categories there are.
 */
import type { RfmSummary } from '../../rfm/types';
import { ClusterError } from './errors';
import type { CustomerBehaviour, FeatureColumn, FeatureKind, FeatureMatrix, FeatureTransform } from './types';

const { log1p, sqrt, max } = Math;

export type FeatureOptions = {
  /** Total variance the category-share block carries, in units of one standardised feature. Default 2. */
  categoryWeight?: number;
};

type RawColumn = { name: string; kind: FeatureKind; log1p: boolean; get: (i: number) => number };

/** Per-customer behaviour from a lifetimes RFM summary taken WITHOUT calibrationEnd (purchases = purchase days). */
export function behaviourFromSummary(summary: RfmSummary): CustomerBehaviour {
  const n = summary.ids.length;
  const unit = summary.period === 'week' ? 7 : 1;
  const recencyDays = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  const tenureDays = new Float64Array(n);
  const averageOrderValue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // lifetimes' recency is last − first purchase; "days since last purchase" is T − recency.
    recencyDays[i] = (summary.T[i] - summary.recency[i]) * unit;
    tenureDays[i] = summary.T[i] * unit;
    frequency[i] = summary.frequency[i] + 1;
    monetary[i] = summary.totalRevenue[i];
    averageOrderValue[i] = monetary[i] / frequency[i];
  }
  return { recencyDays, frequency, monetary, tenureDays, averageOrderValue };
}

function rawColumns(b: CustomerBehaviour): { n: number; columns: RawColumn[] } {
  const n = b.recencyDays.length;
  for (const [name, a] of [
    ['frequency', b.frequency],
    ['monetary', b.monetary],
    ['tenureDays', b.tenureDays],
  ] as const) {
    if (a.length !== n) {
      throw new ClusterError(
        'INVALID_CLUSTER_INPUT',
        `${name} has ${a.length} entries but recencyDays has ${n}: pass one entry per customer in every array.`,
      );
    }
  }
  const aov = b.averageOrderValue;
  const columns: RawColumn[] = [
    { name: 'recency', kind: 'recency', log1p: true, get: (i) => b.recencyDays[i] },
    { name: 'frequency', kind: 'frequency', log1p: true, get: (i) => b.frequency[i] },
    { name: 'monetary', kind: 'monetary', log1p: true, get: (i) => b.monetary[i] },
    { name: 'tenure', kind: 'tenure', log1p: false, get: (i) => b.tenureDays[i] },
    {
      name: 'aov',
      kind: 'aov',
      log1p: true,
      get: aov ? (i) => aov[i] : (i) => (b.frequency[i] > 0 ? b.monetary[i] / b.frequency[i] : 0),
    },
  ];
  if (b.categoryShares) {
    const { names, values } = b.categoryShares;
    const c = names.length;
    if (values.length !== n * c) {
      throw new ClusterError(
        'INVALID_CLUSTER_INPUT',
        `categoryShares.values has ${values.length} entries, expected customers × categories = ${n * c}.`,
      );
    }
    names.forEach((name, j) =>
      columns.push({
        name: `category:${name}`,
        kind: 'category',
        log1p: false,
        get: (i) => values[i * c + j],
      }),
    );
  }
  for (const e of b.engagement ?? []) {
    if (e.values.length !== n) {
      throw new ClusterError(
        'INVALID_CLUSTER_INPUT',
        `engagement "${e.name}" needs ${n} entries, got ${e.values.length}.`,
      );
    }
    columns.push({ name: `engagement:${e.name}`, kind: 'engagement', log1p: true, get: (i) => e.values[i] });
  }
  return { n, columns };
}

/** Non-negative, finite, log1p'd when the column says so; missing/invalid values count as 0. */
function prepared(column: { log1p: boolean }, x: number): number {
  const v = x === x && x !== Infinity && x !== -Infinity ? x : 0;
  return column.log1p ? log1p(max(0, v)) : v;
}

/** Fits the transform (log1p, mean, sd, weight per kept column) on this population. */
export function fitFeatureTransform(
  behaviour: CustomerBehaviour,
  options: FeatureOptions = {},
): FeatureTransform {
  const { n, columns } = rawColumns(behaviour);
  if (n < 2) throw new ClusterError('TOO_FEW_CUSTOMERS', `Clustering needs at least 2 customers, got ${n}.`);
  const categoryCount = columns.filter((c) => c.kind === 'category').length;
  const categoryWeight = options.categoryWeight ?? 2;
  const kept: FeatureColumn[] = [];
  for (const c of columns) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += prepared(c, c.get(i));
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const dev = prepared(c, c.get(i)) - mean;
      ss += dev * dev;
    }
    const sd = sqrt(ss / n);
    // A constant column carries no information and would divide by zero.
    if (!(sd > 1e-12 * max(1, Math.abs(mean)))) continue;
    const weight = c.kind === 'category' ? sqrt(categoryWeight / categoryCount) : 1;
    kept.push({ name: c.name, kind: c.kind, log1p: c.log1p, mean, sd, weight });
  }
  if (kept.length === 0) {
    throw new ClusterError(
      'INVALID_CLUSTER_INPUT',
      'Every feature is constant across customers: nothing to cluster on.',
    );
  }
  return { columns: kept };
}

/**
 * The transform applied to (possibly new) customers. A category the model knows but the input lacks counts as a
 * zero share; categories the model does not know are ignored.
 */
export function applyFeatureTransform(
  transform: FeatureTransform,
  behaviour: CustomerBehaviour,
): FeatureMatrix {
  const { n, columns } = rawColumns(behaviour);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const d = transform.columns.length;
  const values = new Float64Array(n * d);
  transform.columns.forEach((t, j) => {
    const raw = byName.get(t.name);
    if (!raw && t.kind !== 'category') {
      throw new ClusterError(
        'INCOMPATIBLE_CLUSTER_MODEL',
        `The model uses feature "${t.name}" but the input does not provide it: pass it, or fit a new model.`,
      );
    }
    const scale = t.weight / t.sd;
    for (let i = 0; i < n; i++) {
      const x = raw ? prepared(t, raw.get(i)) : 0;
      values[i * d + j] = (x - t.mean) * scale;
    }
  });
  return { n, d, values, names: transform.columns.map((c) => c.name) };
}

/** Inverse of one column's transform: a value in model space back to original units. */
export function toOriginalUnits(column: FeatureColumn, z: number): number {
  const x = (z * column.sd) / column.weight + column.mean;
  return column.log1p ? Math.expm1(x) : x;
}

/** fitFeatureTransform then applyFeatureTransform. */
export function buildFeatures(
  behaviour: CustomerBehaviour,
  options: FeatureOptions = {},
): { transform: FeatureTransform; matrix: FeatureMatrix } {
  const transform = fitFeatureTransform(behaviour, options);
  return { transform, matrix: applyFeatureTransform(transform, behaviour) };
}
