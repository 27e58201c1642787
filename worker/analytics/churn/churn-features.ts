/**
 * The churn feature matrix at a cutoff: one row per customer with an order on or before it, the features of
 * ./feature-catalogue (plus any the caller defines) turned into model columns.
 * - A plain feature is one column.
 * - A spline feature (recency, orders, quiet-for-k-gaps) is a monotone piecewise-linear function: one column
 *   per segment between the quartiles of its values at the training cutoff, b_0 = min(x, k_1),
 *   b_i = clamp(x, k_i, k_{i+1}) − k_i, b_m = max(x, k_m) − k_m. With every segment's slope held to the
 *   feature's direction the fitted effect is monotone in any shape (steep for the first quiet weeks, flat
 *   after a year), where a single straight line in log days has to compromise. The knots are part of the
 *   spec, so scoring at a later cutoff rebuilds exactly the training columns.
 * - The main channel is one-hot, the most common channel being the baseline (no column).
 * Only 'history' features go into a spec: a 'snapshot' one has no value at a back-dated cutoff
 * (./feature-availability lists it as not used).
 */
import { builtInFeatures, BUILT_IN_FEATURE_NAMES, rowsAt } from './feature-catalogue';
import type { ChurnFeatureDefinition, FeatureContext } from './feature-definition';
import type { CustomerHistories } from './customer-histories';
import { orderStatistics, type OrderStatistics } from './order-statistics';
import { ChurnError, type ChurnInput } from './types';

/** The columns a model was trained on; scoring at a later cutoff must rebuild exactly these. */
export type ChurnFeatureSpec = {
  /** Column names, in column order. */
  names: string[];
  /** The feature (definition name) of each column. */
  columnFeature: string[];
  /** orders.channel values that got a one-hot column, in column order. */
  channelColumns: number[];
  /** Knots (on the model-value scale) of each spline feature; empty → one linear column. */
  knots: Record<string, number[]>;
  /** The features the columns come from, in order. */
  features: ChurnFeatureDefinition[];
};

export type ChurnFeatures = {
  /** Column names (spec.names). */
  names: string[];
  spec: ChurnFeatureSpec;
  cutoffDay: number;
  /** Customer index of each row. */
  customer: Int32Array;
  /** rows × names.length, row-major: the model's values. */
  values: Float64Array;
  /** Feature names (spec.features), the columns of `raw`. */
  featureNames: string[];
  /** rows × featureNames.length: the untransformed values the driver texts quote. */
  raw: Float64Array;
  /**
   * What the features were computed from (its order statistics are computed once): the leakage check and the
   * risk bands at the same cutoff read it again rather than recomputing it.
   */
  context?: FeatureContext;
  /**
   * With keepColumns: each feature's raw and model values, as computed from `context` (its definition
   * name → columns), for what reads the same cutoff's features again: the leakage check, scoring another
   * model's columns. Several hundred MB at millions of customers: drop it once read (delete).
   */
  byFeature?: Map<string, FeatureColumns>;
};

/** One feature's values per row: quoted (`raw`) and used by the model (`value`). */
export type FeatureColumns = { raw: Float64Array; value: Float64Array };

export type ChurnFeatureOptions = {
  /** Length of each of the two periods the trend features compare; default 90. */
  trendDays?: number;
  /** P(alive) per customer index at this cutoff. */
  pAlive?: Float64Array;
  /** Reuse a trained model's columns (required when scoring with it). */
  spec?: ChurnFeatureSpec;
  /** Most one-hot channel columns when no spec is given (default 8; rarer channels share the baseline). */
  maxChannels?: number;
  /** Features defined by the caller, after the built-in ones (ignored when a spec is given). */
  extraFeatures?: readonly ChurnFeatureDefinition[];
  /** A context already made for this input, histories, cutoff, trendDays and pAlive (reused as is). */
  context?: FeatureContext;
  /** Features already computed from `context` (ChurnFeatures.byFeature): not computed again. */
  byFeature?: ReadonlyMap<string, FeatureColumns>;
  /** Return the per-feature columns as byFeature. */
  keepColumns?: boolean;
};

/** Quartiles: the spline's knots. */
const KNOT_PROBABILITIES = [0.25, 0.5, 0.75];

export function computeChurnFeatures(
  input: ChurnInput,
  h: CustomerHistories,
  cutoffDay: number,
  options: ChurnFeatureOptions = {},
): ChurnFeatures {
  if (h.customers !== input.customers) {
    throw new ChurnError('INVALID_CHURN_INPUT', 'the order grouping was built for another customer count.');
  }
  const context =
    options.context ?? featureContext(input, h, cutoffDay, options.trendDays ?? 90, options.pAlive);
  const definitions = options.spec?.features ?? candidateFeatures(input, options);
  if (options.spec) checkSpec(options.spec, input, options);
  const rawByFeature = new Map<string, Float64Array>();
  const valueByFeature = new Map<string, Float64Array>();
  const rows = context.customer.length;
  const known = options.context && options.byFeature ? options.byFeature : undefined;
  for (const def of definitions) {
    if (!options.spec && def.asOf !== 'history') continue;
    const { raw, value } = known?.get(def.name) ?? computeFeature(def, context);
    rawByFeature.set(def.name, raw);
    valueByFeature.set(def.name, value);
  }
  const spec =
    options.spec ?? defaultSpec(definitions, valueByFeature, rawByFeature, input.channels, options);
  const p = spec.names.length;
  const q = spec.features.length;
  const values = new Float64Array(rows * p);
  const raw = new Float64Array(rows * q);
  // One plan entry per model column, then one row-major pass: writing column by column strides the whole
  // matrix once per column (a cache miss per value at a million rows).
  const columnSource: Float64Array[] = [];
  /** 0: the value, 1: one-hot of `lo`, 2: spline segment [lo, hi]. */
  const columnKind = new Uint8Array(p);
  const columnLo = new Float64Array(p);
  const columnHi = new Float64Array(p);
  const rawSource = spec.features.map((def) => rawByFeature.get(def.name)!);
  for (const def of spec.features) {
    const r0 = rawByFeature.get(def.name)!;
    const v0 = valueByFeature.get(def.name)!;
    if (def.categorical) {
      for (const level of spec.channelColumns) {
        columnKind[columnSource.length] = 1;
        columnLo[columnSource.length] = level;
        columnSource.push(r0);
      }
      continue;
    }
    const knots = spec.knots[def.name] ?? [];
    if (knots.length === 0) {
      columnSource.push(v0);
      continue;
    }
    for (let s = 0; s <= knots.length; s++) {
      const j = columnSource.length;
      columnKind[j] = 2;
      columnLo[j] = s === 0 ? -Infinity : knots[s - 1];
      columnHi[j] = s === knots.length ? Infinity : knots[s];
      columnSource.push(v0);
    }
  }
  // Column by column within blocks of rows: one source stream at a time and a block of the matrix that stays
  // in cache. Row by row across all sources (35 streams at once) missed the cache on most reads.
  for (let from = 0; from < rows; from += TRANSPOSE_BLOCK) {
    const to = Math.min(rows, from + TRANSPOSE_BLOCK);
    for (let f = 0; f < q; f++) {
      const source = rawSource[f];
      for (let r = from; r < to; r++) raw[r * q + f] = source[r];
    }
    for (let j = 0; j < p; j++) {
      const source = columnSource[j];
      const kind = columnKind[j];
      const lo = columnLo[j];
      const hi = columnHi[j];
      if (kind === 0) for (let r = from; r < to; r++) values[r * p + j] = source[r];
      else if (kind === 1) for (let r = from; r < to; r++) values[r * p + j] = source[r] === lo ? 1 : 0;
      else if (lo === -Infinity) for (let r = from; r < to; r++) values[r * p + j] = Math.min(source[r], hi);
      else for (let r = from; r < to; r++) values[r * p + j] = Math.min(Math.max(source[r], lo), hi) - lo;
    }
  }
  const byFeature = options.keepColumns
    ? new Map(
        spec.features.map((def) => [
          def.name,
          { raw: rawByFeature.get(def.name)!, value: valueByFeature.get(def.name)! },
        ]),
      )
    : undefined;
  return {
    names: spec.names,
    spec,
    cutoffDay,
    customer: context.customer,
    values,
    featureNames: spec.features.map((d) => d.name),
    raw,
    context,
    ...(byFeature ? { byFeature } : {}),
  };
}

/** Rows of the feature matrix transposed at a time: 512 rows × ~35 columns of doubles stay in L2. */
const TRANSPOSE_BLOCK = 512;

/** True when `context` was made from these inputs (its features can be read instead of computed again). */
export function isContextOf(
  context: FeatureContext | undefined,
  input: ChurnInput,
  h: CustomerHistories,
  cutoffDay: number,
  trendDays: number,
  pAlive: Float64Array | undefined,
): context is FeatureContext {
  return (
    context !== undefined &&
    context.input === input &&
    context.h === h &&
    context.cutoffDay === cutoffDay &&
    context.trendDays === trendDays &&
    context.pAlive === pAlive
  );
}

/** The context the features read at one cutoff; the order statistics are computed once, on first use. */
export function featureContext(
  input: ChurnInput,
  h: CustomerHistories,
  cutoffDay: number,
  trendDays: number,
  pAlive?: Float64Array,
): FeatureContext {
  const { customer, end, rowOf } = rowsAt(h, cutoffDay);
  let stats: OrderStatistics | null = null;
  return {
    input,
    h,
    cutoffDay,
    customer,
    end,
    rowOf,
    trendDays,
    pAlive,
    stats: () => (stats ??= orderStatistics(input, h, cutoffDay, customer, end, trendDays)),
  };
}

/** Raw and model values of one feature, checked: one finite model value per row. */
export function computeFeature(
  def: ChurnFeatureDefinition,
  context: FeatureContext,
): { raw: Float64Array; value: Float64Array } {
  const out = def.compute(context);
  const value = out.value ?? out.raw;
  const rows = context.customer.length;
  if (out.raw.length !== rows || value.length !== rows) {
    throw new ChurnError(
      'INVALID_CHURN_INPUT',
      `feature "${def.name}" gave ${value.length} values for ${rows} customers at day ${context.cutoffDay}.`,
      def.name,
    );
  }
  if (!def.categorical) {
    for (let r = 0; r < rows; r++) {
      if (!Number.isFinite(value[r])) {
        throw new ChurnError(
          'INVALID_CHURN_INPUT',
          `feature "${def.name}" is ${value[r]} for customer ${context.customer[r]} at day ${context.cutoffDay}: ` +
            'a model value must be a finite number.',
          def.name,
        );
      }
    }
  }
  return { raw: out.raw, value };
}

/** Every feature the inputs allow (built-in, then the caller's), history and snapshot alike. */
export function candidateFeatures(
  input: ChurnInput,
  options: Pick<ChurnFeatureOptions, 'pAlive' | 'extraFeatures'>,
): ChurnFeatureDefinition[] {
  const extra = options.extraFeatures ?? [];
  const seen = new Set<string>();
  for (const def of extra) {
    if (!/^[a-z][a-z0-9_]*$/.test(def.name) || BUILT_IN_FEATURE_NAMES.has(def.name) || seen.has(def.name)) {
      throw new ChurnError(
        'INVALID_CHURN_INPUT',
        `extra feature name "${def.name}" must be lower_snake_case and differ from the built-in and other extra features.`,
        def.name,
      );
    }
    seen.add(def.name);
  }
  return [...builtInFeatures(input, options.pAlive !== undefined), ...extra];
}

function defaultSpec(
  definitions: readonly ChurnFeatureDefinition[],
  valueByFeature: ReadonlyMap<string, Float64Array>,
  rawByFeature: ReadonlyMap<string, Float64Array>,
  channels: readonly string[] | undefined,
  options: ChurnFeatureOptions,
): ChurnFeatureSpec {
  const names: string[] = [];
  const columnFeature: string[] = [];
  const knots: Record<string, number[]> = {};
  let channelColumns: number[] = [];
  const features: ChurnFeatureDefinition[] = [];
  for (const def of definitions) {
    const value = valueByFeature.get(def.name);
    if (!value) continue; // a snapshot feature
    if (def.categorical) {
      const counts = new Map<number, number>();
      for (const k of rawByFeature.get(def.name)!) if (k >= 0) counts.set(k, (counts.get(k) ?? 0) + 1);
      // Most common first; it is the baseline (no column), the next ones get columns.
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([k]) => k);
      channelColumns = ranked.slice(1, 1 + (options.maxChannels ?? 8));
      if (channelColumns.length === 0) continue;
      features.push(def);
      for (const k of channelColumns) {
        names.push(`channel=${channels?.[k] ?? String(k)}`);
        columnFeature.push(def.name);
      }
      continue;
    }
    features.push(def);
    const k = def.spline ? quantileKnots(value) : [];
    knots[def.name] = k;
    if (k.length === 0) {
      names.push(def.name);
      columnFeature.push(def.name);
    } else {
      for (let s = 0; s <= k.length; s++) {
        names.push(`${def.name}[s${s + 1}]`);
        columnFeature.push(def.name);
      }
    }
  }
  return { names, columnFeature, channelColumns, knots, features };
}

/** Distinct quartiles strictly inside the range (a knot at the minimum or maximum adds nothing). */
function quantileKnots(value: Float64Array): number[] {
  const sorted = Float64Array.from(value).sort();
  const n = sorted.length;
  if (n < 2) return [];
  const out: number[] = [];
  for (const prob of KNOT_PROBABILITIES) {
    const k = sorted[Math.floor(prob * (n - 1))];
    if (k > sorted[0] && k < sorted[n - 1] && !out.includes(k)) out.push(k);
  }
  return out;
}

function checkSpec(spec: ChurnFeatureSpec, input: ChurnInput, options: ChurnFeatureOptions): void {
  const present = new Set(builtInFeatures(input, options.pAlive !== undefined).map((d) => d.name));
  for (const def of spec.features) {
    if (!BUILT_IN_FEATURE_NAMES.has(def.name) || present.has(def.name)) continue;
    const needs: Record<string, string> = {
      lines_per_order: 'orders.lineCount',
      main_channel: 'orders.channel',
      refunds_count: 'cancellations',
      refunds_value: 'cancellations',
      support_tickets: 'serviceCases',
      support_max_priority: 'serviceCases.priority',
      p_alive: 'pAlive',
    };
    throw new ChurnError(
      'INVALID_CHURN_INPUT',
      `the model uses ${needs[def.name] ?? def.name}; pass it to score with this model.`,
      def.name,
    );
  }
}
