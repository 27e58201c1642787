/**
 * A trained churn model as plain JSON, kept with a tenant's model version so a rescore scores with it instead
 * of training again (training is most of the churn stage's work, and a model refitted every night moves every
 * customer's probability a little, which rewrites CRM values for no reason). Features are kept by name (the
 * built-in definitions are found again when restored) and the channel columns by channel name: a later run
 * indexes its channels in its own order.
 */
import type { Calibration } from './calibration';
import type { ChurnFeatureSpec } from './churn-features';
import type { FeatureAvailability } from './feature-availability';
import { BUILT_IN_FEATURES } from './feature-catalogue';
import type { ChurnModel } from './fit-churn-classifier';
import type { LogisticModel } from './logistic-regression';
import { ChurnError } from './types';

export type StoredChurnModel = {
  spec: {
    names: string[];
    columnFeature: string[];
    /** Channel names of the one-hot columns, in column order. */
    channelColumns: string[];
    knots: Record<string, number[]>;
    features: string[];
  };
  logistic: LogisticModel;
  calibration: Calibration;
  cutoffDay: number;
  windowDays: number;
  gapMultiple: number;
  trendDays: number;
  training: ChurnModel['training'];
  featureAvailability: FeatureAvailability[];
};

/** No channel of a later run has this index, so a column for a channel it no longer has is always 0. */
const ABSENT_CHANNEL = -2;

export function storeChurnModel(
  model: ChurnModel,
  channels: readonly string[] | undefined,
): StoredChurnModel {
  return {
    spec: {
      names: [...model.spec.names],
      columnFeature: [...model.spec.columnFeature],
      channelColumns: model.spec.channelColumns.map((k) => channels?.[k] ?? String(k)),
      knots: Object.fromEntries(Object.entries(model.spec.knots).map(([name, k]) => [name, [...k]])),
      features: model.spec.features.map((d) => d.name),
    },
    logistic: {
      ...model.logistic,
      names: [...model.logistic.names],
      mean: [...model.logistic.mean],
      sd: [...model.logistic.sd],
      coefficients: [...model.logistic.coefficients],
    },
    calibration: model.calibration,
    cutoffDay: model.cutoffDay,
    windowDays: model.windowDays,
    gapMultiple: model.gapMultiple,
    trendDays: model.trendDays,
    training: { ...model.training },
    featureAvailability: model.featureAvailability.map((f) => ({ ...f })),
  };
}

const BY_NAME = new Map(BUILT_IN_FEATURES.map((d) => [d.name, d]));

/** The stored model for a run whose orders name channels `channels`; refuses a feature this engine lacks. */
export function restoreChurnModel(
  stored: StoredChurnModel,
  channels: readonly string[] | undefined,
): ChurnModel {
  const features = stored.spec.features.map((name) => {
    const def = BY_NAME.get(name);
    if (def === undefined)
      throw new ChurnError(
        'INVALID_CHURN_INPUT',
        `the stored churn model uses the feature '${name}', which this engine does not have: retrain the tenant`,
        name,
      );
    return def;
  });
  const index = new Map((channels ?? []).map((name, k) => [name, k]));
  const spec: ChurnFeatureSpec = {
    names: [...stored.spec.names],
    columnFeature: [...stored.spec.columnFeature],
    channelColumns: stored.spec.channelColumns.map((name) => index.get(name) ?? ABSENT_CHANNEL),
    knots: stored.spec.knots,
    features,
  };
  return {
    spec,
    logistic: stored.logistic,
    calibration: stored.calibration,
    cutoffDay: stored.cutoffDay,
    windowDays: stored.windowDays,
    gapMultiple: stored.gapMultiple,
    trendDays: stored.trendDays,
    training: stored.training,
    featureAvailability: stored.featureAvailability,
  };
}
