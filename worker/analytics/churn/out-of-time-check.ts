/**
 * The out-of-time check: a churn model trained at one cutoff, its scores at a later cutoff, against what
 * those customers then did. Reported: the ranking measures of ./ranking-metrics, the tenant's risk bands at
 * that cutoff with the churn rate observed in each (the test that the bands sort people), the global
 * predictors (standardised coefficients per model column; permutation importance per feature, a spline's
 * columns shuffled together, on a seeded sample of the evaluated customers, capped so a million customers
 * stay cheap) and which features were available to train on.
 */
import { calibrate } from './calibration';
import type { ChurnLabels } from './churn-labels';
import type { FeatureAvailability } from './feature-availability';
import { labelableRows, type ChurnModel, type ChurnScores } from './fit-churn-classifier';
import {
  permutationImportance,
  scoreMeasures,
  type CalibrationBin,
  type PermutationImportance,
} from './ranking-metrics';
import { logisticLogits } from './logistic-regression';
import { createRandom } from '../math/random';
import type { ChurnRisk } from './types';

/** One risk band at the evaluated cutoff: its size, and the churn rate among its labelled customers. */
export type BandOutcome = {
  band: ChurnRisk;
  customers: number;
  /** Of the scored customers at the evaluated cutoff. */
  share: number;
  labelled: number;
  churnRate: number;
};

export type ChurnEvaluation = {
  /** Model's training cutoff, and the cutoff it was evaluated at (days). */
  trainedAtDay: number;
  evaluatedAtDay: number;
  customers: number;
  churnRate: number;
  rocAuc: number;
  prAuc: number;
  brier: number;
  /** Brier score of always predicting the evaluation churn rate (a skill reference). */
  brierBaseline: number;
  liftTopDecile: number;
  calibration: CalibrationBin[];
  /** β per model column on the standardised scale, largest |β| first (positive = more churn). */
  coefficients: { feature: string; coefficient: number }[];
  /**
   * Per feature (a spline feature's columns shuffled together), so `feature` is a feature name: the same as
   * the column name for one-column features, the name before "[s1]" for a spline's segments.
   */
  permutationImportance: PermutationImportance[];
  /** Which features were known at the training cutoff, and which the model was trained on. */
  featureAvailability: FeatureAvailability[];
  /** low, medium, high at the evaluated cutoff (null when the caller gave no bands). */
  bands: BandOutcome[] | null;
};

export type EvaluationOptions = { permutationSample?: number; permutationRepeats?: number; seed?: number };

export function evaluateChurnModel(
  model: ChurnModel,
  scores: ChurnScores,
  labels: ChurnLabels,
  options: EvaluationOptions = {},
  /** The band of each score row (the tenant's rule at the evaluated cutoff). */
  bands?: readonly ChurnRisk[],
): ChurnEvaluation {
  const { features } = scores;
  const p = features.names.length;
  const rows = labelableRows(features, labels);
  const n = rows.length;
  const probability = new Float64Array(n);
  const y = new Uint8Array(n);
  let churners = 0;
  for (let i = 0; i < n; i++) {
    probability[i] = scores.probability[rows[i]];
    y[i] = labels.churned[features.customer[rows[i]]];
    churners += y[i];
  }
  const rate = n ? churners / n : NaN;
  const sampleSize = Math.min(n, options.permutationSample ?? 20_000);
  const random = createRandom(options.seed ?? 1);
  // Partial Fisher–Yates: a uniform sample without replacement.
  const pick = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < sampleSize; i++) {
    const k = i + random.integer(n - i);
    const t = pick[i];
    pick[i] = pick[k];
    pick[k] = t;
  }
  const sampleValues = new Float64Array(sampleSize * p);
  const sampleY = new Uint8Array(sampleSize);
  for (let i = 0; i < sampleSize; i++) {
    const r = rows[pick[i]];
    sampleValues.set(features.values.subarray(r * p, (r + 1) * p), i * p);
    sampleY[i] = y[pick[i]];
  }
  const score = (values: Float64Array) => {
    const logits = logisticLogits(model.logistic, values);
    for (let i = 0; i < logits.length; i++) logits[i] = calibrate(model.calibration, logits[i]);
    return logits;
  };
  const permutation = { repeats: options.permutationRepeats ?? 3, seed: options.seed ?? 1 };
  const groups = features.featureNames.map((name) => ({
    name,
    columns: features.spec.columnFeature.flatMap((f, j) => (f === name ? [j] : [])),
  }));

  return {
    trainedAtDay: model.cutoffDay,
    evaluatedAtDay: features.cutoffDay,
    customers: n,
    churnRate: rate,
    ...scoreMeasures(probability, y),
    brierBaseline: rate * (1 - rate),
    coefficients: model.logistic.names
      .map((feature, j) => ({ feature, coefficient: model.logistic.coefficients[j] }))
      .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient)),
    permutationImportance:
      sampleSize > 1
        ? permutationImportance(sampleValues, features.names, sampleY, score, { ...permutation, groups })
        : [],
    featureAvailability: model.featureAvailability,
    bands: bands ? bandOutcomes(bands, features.customer, labels) : null,
  };
}

function bandOutcomes(bands: readonly ChurnRisk[], customer: Int32Array, labels: ChurnLabels): BandOutcome[] {
  const order: ChurnRisk[] = ['low', 'medium', 'high'];
  const tally = new Map(order.map((b) => [b, { customers: 0, labelled: 0, churned: 0 }]));
  for (let r = 0; r < bands.length; r++) {
    const t = tally.get(bands[r])!;
    t.customers++;
    const c = customer[r];
    if (labels.labelable[c]) {
      t.labelled++;
      t.churned += labels.churned[c];
    }
  }
  return order.map((band) => {
    const t = tally.get(band)!;
    return {
      band,
      customers: t.customers,
      share: bands.length ? t.customers / bands.length : NaN,
      labelled: t.labelled,
      churnRate: t.labelled ? t.churned / t.labelled : NaN,
    };
  });
}
