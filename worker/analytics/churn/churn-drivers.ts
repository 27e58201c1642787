/**
 * Per-customer explanations that are true for that customer. A feature's contribution for a customer is its
 * part of the churn logit relative to a customer at the training means, summed over its columns (a spline
 * feature has several): c_f = Σ_{j ∈ f} β_j (x_j − mean_j) / sd_j. Because every coefficient of a feature
 * is held to the feature's business direction (./feature-definition, ./logistic-regression), c_f is a
 * monotone function of the customer's value in that direction: a positive c_f for orders means fewer orders
 * than the reference customer, never more. So:
 * - a customer at medium or high risk is given only the features that raise their risk (c_f > 0), largest
 *   first; a low-risk customer only those that lower it (c_f < 0), as "looks safe: …";
 * - each text states the customer's value and, where it says something, where it stands among the scored
 *   customers ("12 orders, more than 90% of customers");
 * - an absent event (no refunds, no tickets) is never a reason either way, a channel is only mentioned for
 *   the customer's own main channel, and a value the customer does not have (a gap trend with fewer than
 *   three purchase days) is not mentioned at all.
 * Contributions under MIN_CONTRIBUTION (a 5% change in the odds) are not reasons.
 */
import type { ChurnFeatures } from './churn-features';
import { channelWords, peerPhrase } from './driver-words';
import { BUILT_IN_FEATURES } from './feature-catalogue';
import type { ChurnFeatureDefinition, DriverTextContext } from './feature-definition';
import type { LogisticModel } from './logistic-regression';
import type { ChurnDriver } from './types';

export const MIN_CONTRIBUTION = 0.05;
export const SAFE_PREFIX = 'looks safe: ';

/**
 * The top `k` drivers of every feature row, as numbers only: feature[r·k + t] is the index in
 * features.featureNames of row r's t-th driver (−1 when it has fewer), contribution[r·k + t] its signed
 * contribution. Texts are made on demand (describeRowDrivers), so a million customers do not hold three
 * million strings.
 */
export type DriverTable = { k: number; feature: Int32Array; contribution: Float64Array };

/** Per feature, a quantile grid of the scored customers' raw values: where a customer stands among them. */
export type PeerGrid = { grid: Float64Array[]; counts: number[] };

/**
 * `safe[r]` true/1: explain why row r looks safe (negative contributions); otherwise why it is at risk.
 */
export function churnDriverTable(
  model: LogisticModel,
  features: ChurnFeatures,
  k = 3,
  safe?: ArrayLike<number | boolean>,
): DriverTable {
  const p = model.names.length;
  const q = features.featureNames.length;
  const n = features.customer.length;
  const { spec } = features;
  const featureOf = Int32Array.from(spec.columnFeature, (name) => features.featureNames.indexOf(name));
  const weight = model.coefficients.map((b, j) => b / model.sd[j]);
  const contribution = new Float64Array(q);
  const candidate = new Int32Array(q);
  const tableFeature = new Int32Array(n * k).fill(-1);
  const tableContribution = new Float64Array(n * k);
  const defs = spec.features;
  const channelColumnLevel = new Set(spec.channelColumns);
  const partOf = Int32Array.from(defs, (d) =>
    d.words.partOf ? features.featureNames.indexOf(d.words.partOf) : -1,
  );
  const isCandidate = new Uint8Array(q);
  for (let r = 0; r < n; r++) {
    contribution.fill(0);
    const off = r * p;
    for (let j = 0; j < p; j++)
      contribution[featureOf[j]] += weight[j] * (features.values[off + j] - model.mean[j]);
    const wantSafe = safe ? Boolean(safe[r]) : false;
    for (let f = 0; f < q; f++) {
      const c = contribution[f];
      const side = wantSafe ? c < -MIN_CONTRIBUTION : c > MIN_CONTRIBUTION;
      isCandidate[f] = side && !silent(defs[f], features.raw[r * q + f], channelColumnLevel) ? 1 : 0;
    }
    // A feature told inside another's text joins that one's contribution when both are reasons.
    for (let f = 0; f < q; f++) {
      const g = partOf[f];
      if (isCandidate[f] && g >= 0 && isCandidate[g]) {
        contribution[g] += contribution[f];
        isCandidate[f] = 0;
      }
    }
    let found = 0;
    for (let f = 0; f < q; f++) if (isCandidate[f]) candidate[found++] = f;
    // Largest |contribution| first: a partial selection sort of the few candidates.
    const take = Math.min(k, found);
    for (let t = 0; t < take; t++) {
      let best = t;
      for (let u = t + 1; u < found; u++) {
        if (Math.abs(contribution[candidate[u]]) > Math.abs(contribution[candidate[best]])) best = u;
      }
      const f = candidate[best];
      candidate[best] = candidate[t];
      candidate[t] = f;
      tableFeature[r * k + t] = f;
      tableContribution[r * k + t] = contribution[f];
    }
  }
  return { k, feature: tableFeature, contribution: tableContribution };
}

/** Values a driver text never quotes: missing, an absent event, or a channel that is not the customer's. */
function silent(def: ChurnFeatureDefinition, raw: number, channelLevels: ReadonlySet<number>): boolean {
  if (raw !== raw) return true;
  if (def.categorical) return !channelLevels.has(raw);
  return def.words.silentAtZero === true && raw === 0;
}

/** Largest grid: 1,001 quantiles per feature whatever the number of customers. */
const GRID_POINTS = 1001;

export function peerGrid(features: ChurnFeatures): PeerGrid {
  const q = features.featureNames.length;
  const n = features.customer.length;
  const grid: Float64Array[] = [];
  const counts: number[] = [];
  const column = new Float64Array(n);
  for (let f = 0; f < q; f++) {
    let m = 0;
    for (let r = 0; r < n; r++) {
      const v = features.raw[r * q + f];
      if (v === v) column[m++] = v;
    }
    const sorted = column.slice(0, m).sort();
    counts.push(m);
    if (m <= GRID_POINTS) grid.push(sorted);
    else
      grid.push(Float64Array.from({ length: GRID_POINTS }, (_, i) => sorted[gridIndex(i, GRID_POINTS, m)]));
  }
  return { grid, counts };
}

/** Position in the sorted values of grid point i (the grid is the sorted values themselves when small). */
const gridIndex = (i: number, points: number, n: number) =>
  points === n ? i : Math.floor((i * (n - 1)) / (points - 1));

/**
 * A lower bound on the share of peers strictly below (`below` true) or strictly above `x`: exact when the
 * grid holds every value, conservative otherwise, so "more than 90% of customers" is never an overstatement.
 */
export function peerShare(peers: PeerGrid, f: number, x: number, below: boolean): number {
  const g = peers.grid[f];
  const n = peers.counts[f];
  const L = g.length;
  if (n === 0) return 0;
  if (below) {
    let lo = 0;
    let hi = L; // first index with g[i] ≥ x
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (g[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : (gridIndex(lo - 1, L, n) + 1) / n;
  }
  let lo = 0;
  let hi = L; // first index with g[i] > x
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (g[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo === L ? 0 : (n - gridIndex(lo, L, n)) / n;
}

/**
 * What driver texts need beyond a customer's own values, as plain data: a score shard on another worker makes
 * the same texts from it (the definitions are the built-in ones, found again by name).
 */
export type DriverTextBasis = {
  featureNames: string[];
  peers: PeerGrid;
  trendDays: number;
  channels?: readonly string[];
};

/** Row r's drivers with their texts. */
export function describeRowDrivers(
  features: ChurnFeatures,
  table: DriverTable,
  r: number,
  peers: PeerGrid,
  options: { trendDays: number; channels?: readonly string[] },
): ChurnDriver[] {
  const q = features.featureNames.length;
  return driversWithTexts(
    features.spec.features,
    { featureNames: features.featureNames, peers, ...options },
    features.raw.subarray(r * q, (r + 1) * q),
    table.feature.subarray(r * table.k, (r + 1) * table.k),
    table.contribution.subarray(r * table.k, (r + 1) * table.k),
  );
}

/**
 * One customer's drivers from a basis: `raw` holds the customer's raw value of each basis feature, `feature`
 * and `contribution` its row of the driver table. Throws when a feature is not built in (a caller-defined
 * feature's words exist only where it was defined).
 */
export function describeDrivers(
  basis: DriverTextBasis,
  raw: ArrayLike<number>,
  feature: ArrayLike<number>,
  contribution: ArrayLike<number>,
): ChurnDriver[] {
  return driversWithTexts(builtInDefinitions(basis.featureNames), basis, raw, feature, contribution);
}

const definitionsByNames = new WeakMap<string[], ChurnFeatureDefinition[]>();

function builtInDefinitions(names: string[]): ChurnFeatureDefinition[] {
  let defs = definitionsByNames.get(names);
  if (defs === undefined) {
    defs = names.map((name) => {
      const def = BUILT_IN_BY_NAME.get(name);
      if (def === undefined)
        throw new RangeError(`churn feature '${name}' is not built in: its driver texts cannot be made here`);
      return def;
    });
    definitionsByNames.set(names, defs);
  }
  return defs;
}

function driversWithTexts(
  definitions: readonly ChurnFeatureDefinition[],
  basis: DriverTextBasis,
  raw: ArrayLike<number>,
  feature: ArrayLike<number>,
  contribution: ArrayLike<number>,
): ChurnDriver[] {
  const text: DriverTextContext = {
    row: (name) => {
      const f = basis.featureNames.indexOf(name);
      return f < 0 ? NaN : raw[f];
    },
    trendDays: basis.trendDays,
    channelName: (k) => basis.channels?.[k] ?? String(k),
  };
  const drivers: ChurnDriver[] = [];
  for (let t = 0; t < feature.length; t++) {
    const f = feature[t];
    if (f < 0) break;
    const def = definitions[f];
    const c = contribution[t];
    drivers.push({
      feature: def.name,
      contribution: c,
      text: driverText(def, raw[f], c, text, basis.peers, f),
    });
  }
  return drivers;
}

function driverText(
  def: ChurnFeatureDefinition,
  raw: number,
  contribution: number,
  text: DriverTextContext,
  peers: PeerGrid | null,
  f: number,
): string {
  const risk = contribution > 0;
  let said = def.words.value(raw, risk, text);
  const compare = def.words.compare;
  if (compare && def.direction !== 0 && peers) {
    // Which side of the peers the contribution's sign puts the customer on, given the direction.
    const higher = def.direction > 0 === risk;
    const phrase = peerPhrase(higher ? compare[0] : compare[1], peerShare(peers, f, raw, higher));
    if (phrase) said += `, ${phrase}`;
  }
  return risk ? said : SAFE_PREFIX + said;
}

/** Top `k` drivers with texts for every feature row (for small data and tests). */
export function churnDrivers(
  model: LogisticModel,
  features: ChurnFeatures,
  k = 3,
  options: { safe?: ArrayLike<number | boolean>; trendDays?: number; channels?: readonly string[] } = {},
): ChurnDriver[][] {
  const table = churnDriverTable(model, features, k, options.safe);
  const peers = peerGrid(features);
  const textOptions = { trendDays: options.trendDays ?? 90, channels: options.channels };
  return Array.from({ length: features.customer.length }, (_, r) =>
    describeRowDrivers(features, table, r, peers, textOptions),
  );
}

const BUILT_IN_BY_NAME: ReadonlyMap<string, ChurnFeatureDefinition> = new Map(
  BUILT_IN_FEATURES.map((d) => [d.name, d]),
);

/**
 * One built-in feature's text from its raw value and contribution, without the peer comparison: the
 * words of ./feature-catalogue; `channel=<value>` gives the main-channel text. Unknown names get a
 * neutral text in words, never the raw feature name.
 */
export function describeDriver(
  name: string,
  rawValue: number,
  contribution: number,
  row: (name: string) => number = () => NaN,
  trendDays = 90,
): string {
  const risk = contribution > 0;
  if (name.startsWith('channel=')) {
    const said = `buys mainly ${channelWords(name.slice('channel='.length))}`;
    return risk ? said : SAFE_PREFIX + said;
  }
  const def = BUILT_IN_BY_NAME.get(name);
  const text: DriverTextContext = { row, trendDays, channelName: (k) => String(k) };
  if (!def) return (risk ? '' : SAFE_PREFIX) + `${name.replace(/_/g, ' ')}: ${rawValue}`;
  return driverText(def, rawValue, contribution, text, null, -1);
}
