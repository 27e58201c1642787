/**
 * The churn stage of the score pipeline in one call. With E = the observation end day and W = windowDays:
 * - evaluation: a model trained at E − 2W (labels from (E − 2W, E − W]) scores the customers at E − W and
 *   is measured against what they did in (E − W, E]: a genuine out-of-time test of the procedure;
 * - scoring: the model is retrained at E − W (labels from (E − W, E], the latest labels the data have) and
 *   applied to the features at E, giving each customer's probability of no order in (E, E + w_i].
 * Both models use the same options; with the personal window (gapMultiple > 0) customers whose w_i > W
 * cannot be labelled on these splits and are left out of training and evaluation (they are still scored).
 * Orders after E are ignored. When the data are too short for the evaluation split, `evaluation` is null
 * and a warning says why; when they are too short for the scoring model, a ChurnError is thrown.
 */
import { parseTimestamp, MS_PER_DAY } from '../clean/parse-timestamp';
import {
  churnDriverTable,
  describeRowDrivers,
  riskBand,
  DEFAULT_RISK_CUT_POINTS,
  type RiskCutPoints,
} from './churn-drivers';
import { churnLabels, DEFAULT_GAP_MULTIPLE } from './churn-labels';
import { computeChurnFeatures } from './churn-features';
import { scoreChurnModel, trainChurnModel, type ChurnModel, type ChurnTrainingOptions } from './churn-model';
import { groupOrdersByCustomer } from './customer-histories';
import { evaluateChurnModel, type ChurnEvaluation, type EvaluationOptions } from './evaluate-churn-model';
import { ChurnError, type ChurnDriver, type ChurnInput, type ChurnRisk } from './types';

export type ChurnOptions = ChurnTrainingOptions &
  EvaluationOptions & {
    riskCutPoints?: RiskCutPoints;
    /** Drivers per customer (default 3). */
    drivers?: number;
  };

export type TrainAndScoreChurnInput = ChurnInput & {
  /** Last day of data, included: 'yyyy-mm-dd', epoch ms or Date (its UTC day). */
  observationEnd: string | number | Date;
  /**
   * P(alive) per customer index at a cutoff day (e.g. ./transaction-model-p-alive): called at each cutoff
   * the models use, so training and scoring see the feature as it was then. Absent → no p_alive feature.
   */
  pAlive?: (cutoffDay: number) => Float64Array;
  options?: ChurnOptions;
};

export type ChurnPerCustomer = {
  /** Per customer index; NaN for customers with no order on or before the observation end. */
  probability: Float64Array;
  risk: (ChurnRisk | null)[];
  /**
   * The customer's top drivers with their texts, made on each call (empty when not scored): call it while
   * writing each customer's row rather than keeping the texts of a million customers.
   */
  drivers(customer: number): ChurnDriver[];
  /** The same drivers as numbers: feature column (−1 none) and contribution, `driverCount` per customer. */
  driverFeature: Int32Array;
  driverContribution: Float64Array;
  driverCount: number;
  /** Personal churn window w_i in days (0 when not scored). */
  windowDays: Float64Array;
};

export type ChurnResult = {
  model: ChurnModel;
  perCustomer: ChurnPerCustomer;
  evaluation: ChurnEvaluation | null;
  riskCutPoints: RiskCutPoints;
  /** Customers per risk band among the scored. */
  riskCounts: Record<ChurnRisk, number>;
  warnings: string[];
};

export function trainAndScoreChurn(input: TrainAndScoreChurnInput): ChurnResult {
  const options = input.options ?? {};
  const windowDays = options.windowDays ?? 90;
  if (!(windowDays > 0)) {
    throw new ChurnError(
      'INVALID_CHURN_INPUT',
      `windowDays must be a positive number of days, got ${windowDays}.`,
    );
  }
  const cuts = options.riskCutPoints ?? DEFAULT_RISK_CUT_POINTS;
  if (!(cuts.medium > 0 && cuts.medium <= cuts.high && cuts.high < 1)) {
    throw new ChurnError('INVALID_CHURN_INPUT', 'riskCutPoints need 0 < medium ≤ high < 1.');
  }
  const endDay = toDay(input.observationEnd);
  const h = groupOrdersByCustomer(input.orders, input.customers);
  const warnings: string[] = [];
  const trainingOptions = { ...options, windowDays };

  const early = endDay - 2 * windowDays;
  const late = endDay - windowDays;
  // Features and labels at E − W serve twice: as the evaluation's test set and as the final training set.
  const pAliveLate = input.pAlive?.(late);
  const lateData = {
    labels: churnLabels(h, late, endDay, {
      windowDays,
      gapMultiple: options.gapMultiple ?? DEFAULT_GAP_MULTIPLE,
    }),
    features: computeChurnFeatures(input, h, late, {
      trendDays: options.trendDays ?? windowDays,
      pAlive: pAliveLate,
    }),
  };
  let evaluation: ChurnEvaluation | null = null;
  try {
    const trained = trainChurnModel(input, h, early, late, trainingOptions, input.pAlive?.(early));
    const scores = scoreChurnModel(trained.model, input, h, late, pAliveLate, lateData.features);
    evaluation = evaluateChurnModel(trained.model, scores, lateData.labels, options);
  } catch (error) {
    if (!(error instanceof ChurnError)) throw error;
    warnings.push(`churn evaluation split skipped: ${error.message}`);
  }

  const { model } = trainChurnModel(input, h, late, endDay, trainingOptions, pAliveLate, lateData);
  const scores = scoreChurnModel(model, input, h, endDay, input.pAlive?.(endDay));
  const n = input.customers;
  const probability = new Float64Array(n).fill(NaN);
  const risk: (ChurnRisk | null)[] = new Array<ChurnRisk | null>(n).fill(null);
  const k = options.drivers ?? 3;
  const table = churnDriverTable(model.logistic, scores.features, k);
  const rowOf = new Int32Array(n).fill(-1);
  const driverFeature = new Int32Array(n * k).fill(-1);
  const driverContribution = new Float64Array(n * k);
  const riskCounts: Record<ChurnRisk, number> = { low: 0, medium: 0, high: 0 };
  const customer = scores.features.customer;
  for (let r = 0; r < customer.length; r++) {
    const c = customer[r];
    rowOf[c] = r;
    probability[c] = scores.probability[r];
    const band = riskBand(scores.probability[r], cuts);
    risk[c] = band;
    riskCounts[band]++;
    driverFeature.set(table.feature.subarray(r * k, (r + 1) * k), c * k);
    driverContribution.set(table.contribution.subarray(r * k, (r + 1) * k), c * k);
  }
  const drivers = (c: number): ChurnDriver[] =>
    c >= 0 && c < n && rowOf[c] >= 0
      ? describeRowDrivers(model.logistic, scores.features, table, rowOf[c])
      : [];
  // The personal window at E (no labels needed: dataEnd is irrelevant to w_i).
  const windows = churnLabels(h, endDay, endDay, { windowDays, gapMultiple: model.gapMultiple }).windowDays;
  return {
    model,
    perCustomer: {
      probability,
      risk,
      drivers,
      driverFeature,
      driverContribution,
      driverCount: k,
      windowDays: windows,
    },
    evaluation,
    riskCutPoints: cuts,
    riskCounts,
    warnings,
  };
}

function toDay(value: string | number | Date): number {
  const ms =
    typeof value === 'string' ? parseTimestamp(value) : typeof value === 'number' ? value : value.getTime();
  if (!Number.isFinite(ms)) {
    throw new ChurnError(
      'INVALID_CHURN_INPUT',
      `observationEnd "${String(value)}" is not a date; use YYYY-MM-DD.`,
    );
  }
  return Math.floor(ms / MS_PER_DAY);
}
