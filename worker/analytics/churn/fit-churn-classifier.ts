/**
 * Fitting the churn classifier at one back-dated cutoff, and applying it at another. Training: features at
 * the cutoff (./churn-features), labels from the window after it (./churn-labels), labelable customers
 * only. Before anything is fitted the leakage guard (./feature-availability) checks that every feature's
 * value at the cutoff is known from the events up to it. The logistic regression holds each column's
 * coefficient to its feature's business direction (./feature-definition, ./logistic-regression). A seeded
 * random `calibrationShare` of the labelled customers (default 25%) is held out; the regression is fitted on
 * the rest and the calibration map (Platt 1999 by default, ./calibration) on the held-out part, so the
 * calibration sees scores of customers the model was not fitted to. The model is kept as fitted on the
 * 75%: refitting on everything would change the scores the calibration was fitted for.
 */
import { calibrate, fitCalibration, type Calibration, type CalibrationMethod } from './calibration';
import { churnLabels, type ChurnLabels } from './churn-labels';
import {
  candidateFeatures,
  computeChurnFeatures,
  isContextOf,
  type ChurnFeatures,
  type ChurnFeatureSpec,
} from './churn-features';
import type { CustomerHistories } from './customer-histories';
import { assertKnownAsOf, featureAvailability, type FeatureAvailability } from './feature-availability';
import type { ChurnFeatureDefinition } from './feature-definition';
import { fitLogisticRegression, logisticLogits, type LogisticModel } from './logistic-regression';
import { createRandom } from '../math/random';
import { ChurnError, type ChurnInput } from './types';

export type ChurnTrainingOptions = {
  windowDays?: number;
  gapMultiple?: number;
  /** Ridge λ (default 1). */
  l2?: number;
  calibration?: CalibrationMethod;
  /** Share of labelable customers held out for calibration (default 0.25). */
  calibrationShare?: number;
  /** spend_trend period (default windowDays). */
  trendDays?: number;
  seed?: number;
  /**
   * Days of data needed before a training cutoff (default windowDays): a model fitted on customers seen
   * for a few days learns nothing that holds later.
   */
  minHistoryDays?: number;
  /** Most customers the regression is fitted on (seeded sample; default 100,000). */
  maxTrainingRows?: number;
  /** Features defined by the caller (checked by the leakage guard like the built-in ones). */
  extraFeatures?: readonly ChurnFeatureDefinition[];
};

export type ChurnModel = {
  spec: ChurnFeatureSpec;
  logistic: LogisticModel;
  calibration: Calibration;
  /** Day the features were taken at; labels from (cutoffDay, cutoffDay + w_i]. */
  cutoffDay: number;
  windowDays: number;
  gapMultiple: number;
  trendDays: number;
  training: { labelable: number; fitted: number; calibration: number; churnRate: number };
  /** Every candidate feature: its as-of source and whether this model was trained on it. */
  featureAvailability: FeatureAvailability[];
};

export type ChurnScores = {
  features: ChurnFeatures;
  logits: Float64Array;
  /** Calibrated churn probability per feature row. */
  probability: Float64Array;
};

export function trainChurnModel(
  input: ChurnInput,
  h: CustomerHistories,
  cutoffDay: number,
  dataEndDay: number,
  options: ChurnTrainingOptions = {},
  pAlive?: Float64Array,
  /** Already computed at this cutoff with these options (to share them with an evaluation). */
  precomputed?: { labels: ChurnLabels; features: ChurnFeatures },
): { model: ChurnModel; labels: ChurnLabels; features: ChurnFeatures } {
  const windowDays = options.windowDays ?? 90;
  const gapMultiple = options.gapMultiple ?? 2;
  const trendDays = options.trendDays ?? windowDays;
  const minHistory = options.minHistoryDays ?? windowDays;
  if (!(cutoffDay - h.firstDay >= minHistory)) {
    throw new ChurnError(
      'NOT_ENOUGH_CHURN_DATA',
      `the data start ${cutoffDay - h.firstDay} days before the training cutoff (day ${cutoffDay}); the churn ` +
        `model needs ${minHistory} days of history there: use a shorter window or more history.`,
    );
  }
  const labels = precomputed?.labels ?? churnLabels(h, cutoffDay, dataEndDay, { windowDays, gapMultiple });
  const extraFeatures = options.extraFeatures;
  const features =
    precomputed?.features ??
    computeChurnFeatures(input, h, cutoffDay, { trendDays, pAlive, extraFeatures, keepColumns: true });
  // The leakage guard, before any fitting: every column's value at the cutoff must be known then. The
  // features' own columns are its values with the later events (computed from this very context).
  const context = features.context;
  const sameContext = isContextOf(context, input, h, cutoffDay, trendDays, pAlive);
  assertKnownAsOf(
    features.spec,
    input,
    h,
    cutoffDay,
    trendDays,
    pAlive,
    sameContext ? context : undefined,
    sameContext ? features.byFeature : undefined,
  );
  // Features computed here are not read again at this cutoff: their columns go.
  if (!precomputed) delete features.byFeature;
  const p = features.names.length;
  const rows = labelableRows(features, labels);
  const y = new Uint8Array(features.customer.length);
  for (let r = 0; r < y.length; r++) y[r] = labels.churned[features.customer[r]];
  let churners = 0;
  for (let i = 0; i < rows.length; i++) churners += y[rows[i]];
  if (rows.length < 20 || churners === 0 || churners === rows.length) {
    throw new ChurnError(
      'NOT_ENOUGH_CHURN_DATA',
      `only ${rows.length} labelable customers (${churners} churned) at day ${cutoffDay}: the churn model ` +
        'needs at least 20 with both outcomes; use a shorter window or more history.',
    );
  }
  const share = options.calibration === 'none' ? 0 : (options.calibrationShare ?? 0.25);
  const random = createRandom(options.seed ?? 1);
  const inCalibration = new Uint8Array(rows.length);
  let calCount = 0;
  for (let i = 0; i < rows.length; i++) {
    if (random.uniform() < share) {
      inCalibration[i] = 1;
      calCount++;
    }
  }
  const fitRows = new Int32Array(rows.length - calCount);
  const calRows = new Int32Array(calCount);
  for (let i = 0, a = 0, b = 0; i < rows.length; i++) {
    if (inCalibration[i]) calRows[b++] = rows[i];
    else fitRows[a++] = rows[i];
  }
  const logistic = fitLogisticRegression(features.values, features.names, y, {
    l2: options.l2,
    maxRows: options.maxTrainingRows,
    seed: options.seed,
    rows: fitRows,
    signs: columnSigns(features.spec),
  });
  let calibration: Calibration = { method: 'none' };
  if (options.calibration !== 'none' && calRows.length > 0) {
    const calValues = new Float64Array(calRows.length * p);
    const calY = new Uint8Array(calRows.length);
    for (let i = 0; i < calRows.length; i++) {
      const r = calRows[i];
      for (let j = 0; j < p; j++) calValues[i * p + j] = features.values[r * p + j];
      calY[i] = y[r];
    }
    calibration = fitCalibration(options.calibration ?? 'platt', logisticLogits(logistic, calValues), calY);
  }
  return {
    model: {
      spec: features.spec,
      logistic,
      calibration,
      cutoffDay,
      windowDays,
      gapMultiple,
      trendDays,
      training: {
        labelable: rows.length,
        fitted: fitRows.length,
        calibration: calRows.length,
        churnRate: churners / rows.length,
      },
      featureAvailability: featureAvailability(
        candidateFeatures(input, { pAlive, extraFeatures }),
        features.spec,
      ),
    },
    labels,
    features,
  };
}

/** Features at `cutoffDay` with the model's columns, logits and calibrated probabilities. */
export function scoreChurnModel(
  model: ChurnModel,
  input: ChurnInput,
  h: CustomerHistories,
  cutoffDay: number,
  pAlive?: Float64Array,
  /** Features already computed at this cutoff; used when their columns are the model's. */
  precomputed?: ChurnFeatures,
): ChurnScores {
  const shared = isContextOf(precomputed?.context, input, h, cutoffDay, model.trendDays, pAlive)
    ? { context: precomputed!.context, byFeature: precomputed!.byFeature }
    : {};
  const features =
    precomputed && sameColumns(precomputed.spec, model.spec) && precomputed.cutoffDay === cutoffDay
      ? precomputed
      : // Another model's columns at a cutoff whose features are known: the same features, expanded anew.
        computeChurnFeatures(input, h, cutoffDay, {
          trendDays: model.trendDays,
          spec: model.spec,
          pAlive,
          ...shared,
        });
  const logits = logisticLogits(model.logistic, features.values);
  const probability = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) probability[i] = calibrate(model.calibration, logits[i]);
  return { features, logits, probability };
}

/** Feature rows whose customer has a label. */
export function labelableRows(features: ChurnFeatures, labels: ChurnLabels): Int32Array {
  let k = 0;
  for (let r = 0; r < features.customer.length; r++) if (labels.labelable[features.customer[r]]) k++;
  const rows = new Int32Array(k);
  for (let r = 0, i = 0; r < features.customer.length; r++)
    if (labels.labelable[features.customer[r]]) rows[i++] = r;
  return rows;
}

/** The sign each column's coefficient is held to: its feature's business direction (0 = free). */
export function columnSigns(spec: ChurnFeatureSpec): Int8Array {
  const direction = new Map(spec.features.map((d) => [d.name, d.direction]));
  return Int8Array.from(spec.columnFeature, (f) => direction.get(f) ?? 0);
}

function sameColumns(a: ChurnFeatureSpec, b: ChurnFeatureSpec): boolean {
  const sameList = (x: readonly number[], y: readonly number[]) =>
    x.length === y.length && x.every((v, j) => v === y[j]);
  return (
    a.names.length === b.names.length &&
    a.names.every((name, j) => name === b.names[j]) &&
    a.features.every((d, j) => d === b.features[j]) &&
    sameList(a.channelColumns, b.channelColumns) &&
    a.features.every((d) => sameList(a.knots[d.name] ?? [], b.knots[d.name] ?? []))
  );
}
