/**
 * A trained churn model on a later time split: its scores at a later cutoff against the labels that
 * followed, with the measures of ./churn-evaluation and the global predictors (standardised coefficients;
 * permutation importance on a seeded sample of the evaluated customers, capped so a million customers stay
 * cheap).
 */
import { calibrate } from './calibration';
import type { ChurnLabels } from './churn-labels';
import { labelableRows, type ChurnModel, type ChurnScores } from './churn-model';
import {
  permutationImportance,
  scoreMeasures,
  type CalibrationBin,
  type PermutationImportance,
} from './churn-evaluation';
import { logisticLogits } from './logistic-regression';
import { createRandom } from '../math/random';

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
  /** β on the standardised scale, largest |β| first (positive = more churn). */
  coefficients: { feature: string; coefficient: number }[];
  permutationImportance: PermutationImportance[];
};

export type EvaluationOptions = { permutationSample?: number; permutationRepeats?: number; seed?: number };

export function evaluateChurnModel(
  model: ChurnModel,
  scores: ChurnScores,
  labels: ChurnLabels,
  options: EvaluationOptions = {},
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
  const importance =
    sampleSize > 1
      ? permutationImportance(sampleValues, features.names, sampleY, score, {
          repeats: options.permutationRepeats ?? 3,
          seed: options.seed ?? 1,
        })
      : [];
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
    permutationImportance: importance,
  };
}
