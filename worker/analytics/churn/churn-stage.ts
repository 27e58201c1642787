/**
 * The churn stage of the score pipeline in one call. With E = the observation end day and W = windowDays:
 * - out-of-time check: a model trained at E − 2W (labels from (E − 2W, E − W]) scores the customers at E − W
 *   and is measured against what they did in (E − W, E], the risk bands included: a genuine out-of-time
 *   test of the whole procedure;
 * - scoring: the model is retrained at E − W (labels from (E − W, E], the latest labels the data have) and
 *   applied to the features at E, giving each customer's probability of no order in (E, E + w_i], a risk
 *   band (./risk-bands) and the drivers behind it (./churn-drivers).
 * Both models use the same options and pass the same leakage guard (./feature-availability); features
 * known only as today's snapshot are listed, not used. With the personal window (gapMultiple > 0) customers
 * whose w_i > W cannot be labelled on these splits and are left out of training and evaluation (they are
 * still scored). Orders after E are ignored. When the data are too short for the evaluation split,
 * `evaluation` is null and a warning says why; when they are too short for the scoring model, a ChurnError
 * is thrown.
 */
import { parseTimestamp, MS_PER_DAY } from '../clean/parse-timestamp';
import { churnDriverTable, describeRowDrivers, peerGrid, type DriverTextBasis } from './churn-drivers';
import { churnLabels, DEFAULT_GAP_MULTIPLE } from './churn-labels';
import { computeChurnFeatures, featureContext } from './churn-features';
import { groupOrdersByCustomer, type CustomerHistories } from './customer-histories';
import type { FeatureAvailability } from './feature-availability';
import {
  scoreChurnModel,
  trainChurnModel,
  type ChurnModel,
  type ChurnScores,
  type ChurnTrainingOptions,
} from './fit-churn-classifier';
import { evaluateChurnModel, type ChurnEvaluation, type EvaluationOptions } from './out-of-time-check';
import { assignRiskBands, type RiskBandOptions, type RiskBands, type RiskCutPoints } from './risk-bands';
import { ChurnError, type ChurnDriver, type ChurnInput, type ChurnRisk } from './types';

export type ChurnOptions = ChurnTrainingOptions &
  EvaluationOptions & {
    /**
     * Fixed probability cut points for the bands instead of the tenant's distribution (the cycle cap of
     * ./risk-bands still applies).
     */
    riskCutPoints?: RiskCutPoints;
    /** The tenant's band shares (default: high at most 20%, medium the next 30%). */
    riskBands?: RiskBandOptions;
    /** Drivers per customer (default 3). */
    drivers?: number;
    /**
     * A model trained earlier (a tenant's promoted version, ./stored-churn-model): scored with as it is, with
     * no training and no out-of-time check (its own check was made when it was trained).
     */
    reuse?: ChurnModel;
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
   * The customer's top drivers with their texts, made on each call (empty when not scored): for a medium or
   * high risk what raises it, for a low risk why they look safe ("looks safe: …"). Call it while writing
   * each customer's row rather than keeping the texts of a million customers.
   */
  drivers(customer: number): ChurnDriver[];
  /**
   * The same drivers as numbers: feature (index into model.spec.features, −1 none) and contribution to the
   * logit, `driverCount` per customer.
   */
  driverFeature: Int32Array;
  driverContribution: Float64Array;
  driverCount: number;
  /** What the driver texts need besides a customer's values: drivers can be told elsewhere (a score shard). */
  driverBasis: DriverTextBasis;
  /** Customer c's raw value of each driverBasis feature (a view, not a copy), or null when not scored. */
  featureRow(customer: number): Float64Array | null;
  /** What featureRow reads: the raw values, one row of driverBasis.featureNames per scored customer, and each customer's row (−1: not scored). */
  featureTable: { raw: Float64Array; rowOf: Int32Array };
  /** Personal churn window w_i in days (0 when not scored). */
  windowDays: Float64Array;
};

export type ChurnResult = {
  model: ChurnModel;
  perCustomer: ChurnPerCustomer;
  evaluation: ChurnEvaluation | null;
  /** The probability cut points in force for this tenant (before the cycle cap of the rule). */
  riskCutPoints: RiskCutPoints;
  /** The band rule as one sentence, with this tenant's numbers (for the report). */
  riskRule: string;
  /** Customers per risk band among the scored. */
  riskCounts: Record<ChurnRisk, number>;
  /** Every candidate feature: history or snapshot, and whether the model was trained on it. */
  featureAvailability: FeatureAvailability[];
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
  const cuts = options.riskCutPoints;
  if (cuts && !(cuts.medium > 0 && cuts.medium <= cuts.high && cuts.high < 1)) {
    throw new ChurnError('INVALID_CHURN_INPUT', 'riskCutPoints need 0 < medium ≤ high < 1.');
  }
  const shares = options.riskBands;
  const high = shares?.highShare ?? 0.2;
  const medium = shares?.mediumShare ?? 0.3;
  if (!(high > 0 && medium >= 0 && high + medium < 1)) {
    throw new ChurnError(
      'INVALID_CHURN_INPUT',
      'riskBands need 0 < highShare, 0 ≤ mediumShare and highShare + mediumShare < 1.',
    );
  }
  const bandOptions: RiskBandOptions = { ...shares, ...(cuts ? { cutPoints: cuts } : {}) };
  const endDay = toDay(input.observationEnd);
  const h = groupOrdersByCustomer(input.orders, input.customers);
  const warnings: string[] = [];
  const trainingOptions = { ...options, windowDays };
  const trendDays = options.trendDays ?? windowDays;

  let evaluation: ChurnEvaluation | null = null;
  const model = options.reuse ?? trainWithCheck();
  function trainWithCheck(): ChurnModel {
    const early = endDay - 2 * windowDays;
    const late = endDay - windowDays;
    // Features and labels at E − W serve twice: as the evaluation's test set and as the final training set.
    // Their per-feature columns serve the evaluation model's columns at E − W and the final model's leakage
    // check; they go with lateData.
    const pAliveLate = input.pAlive?.(late);
    const lateData = {
      labels: churnLabels(h, late, endDay, {
        windowDays,
        gapMultiple: options.gapMultiple ?? DEFAULT_GAP_MULTIPLE,
      }),
      features: computeChurnFeatures(input, h, late, {
        trendDays,
        pAlive: pAliveLate,
        extraFeatures: options.extraFeatures,
        keepColumns: true,
      }),
    };
    try {
      // Only the model is kept: the training features at E − 2W (hundreds of MB at millions of customers)
      // can go while the evaluation runs.
      const { model: trained } = trainChurnModel(
        input,
        h,
        early,
        late,
        trainingOptions,
        input.pAlive?.(early),
      );
      const scores = scoreChurnModel(trained, input, h, late, pAliveLate, lateData.features);
      const bands = bandsOf(scores, input, h, windowDays, trendDays, bandOptions);
      evaluation = evaluateChurnModel(trained, scores, lateData.labels, options, bands.risk);
    } catch (error) {
      // A leaking feature is refused outright, not skipped: the scoring model would use it too.
      if (!(error instanceof ChurnError) || error.code === 'FEATURE_LEAKS_FUTURE') throw error;
      warnings.push(`churn evaluation split skipped: ${error.message}`);
    }
    return trainChurnModel(input, h, late, endDay, trainingOptions, pAliveLate, lateData).model;
  }
  const snapshots = model.featureAvailability.filter((f) => f.source === 'snapshot').map((f) => f.name);
  if (snapshots.length > 0) {
    warnings.push(
      `${snapshots.map((s) => s.replace(/_/g, ' ')).join(', ')}: CRM snapshots with no history, so their ` +
        'values at the training cutoff are unknown; the churn model is not trained on them.',
    );
  }
  const scores = scoreChurnModel(model, input, h, endDay, input.pAlive?.(endDay));
  const bands = bandsOf(scores, input, h, windowDays, model.trendDays, bandOptions);
  // Nothing reads the order statistics any more; the features themselves stay (the driver texts quote them).
  scores.features.context = undefined;
  const n = input.customers;
  const probability = new Float64Array(n).fill(NaN);
  const risk: (ChurnRisk | null)[] = new Array<ChurnRisk | null>(n).fill(null);
  const k = options.drivers ?? 3;
  const safe = Uint8Array.from(bands.risk, (b) => (b === 'low' ? 1 : 0));
  const table = churnDriverTable(model.logistic, scores.features, k, safe);
  const peers = peerGrid(scores.features);
  const rowOf = new Int32Array(n).fill(-1);
  const driverFeature = new Int32Array(n * k).fill(-1);
  const driverContribution = new Float64Array(n * k);
  const customer = scores.features.customer;
  for (let r = 0; r < customer.length; r++) {
    const c = customer[r];
    rowOf[c] = r;
    probability[c] = scores.probability[r];
    risk[c] = bands.risk[r];
    // Element copies, not set(subarray): two typed-array views per customer were millions of objects.
    for (let t = 0; t < k; t++) {
      driverFeature[c * k + t] = table.feature[r * k + t];
      driverContribution[c * k + t] = table.contribution[r * k + t];
    }
  }
  const textOptions = { trendDays: model.trendDays, channels: input.channels };
  const drivers = (c: number): ChurnDriver[] =>
    c >= 0 && c < n && rowOf[c] >= 0
      ? describeRowDrivers(scores.features, table, rowOf[c], peers, textOptions)
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
      driverBasis: { featureNames: scores.features.featureNames, peers, ...textOptions },
      featureTable: { raw: scores.features.raw, rowOf },
      featureRow: (c) => {
        const q = scores.features.featureNames.length;
        return c >= 0 && c < n && rowOf[c] >= 0
          ? scores.features.raw.subarray(rowOf[c] * q, (rowOf[c] + 1) * q)
          : null;
      },
      windowDays: windows,
    },
    evaluation,
    riskCutPoints: bands.cutPoints,
    riskRule: bands.rule,
    riskCounts: bands.counts,
    featureAvailability: model.featureAvailability,
    warnings,
  };
}

/** The tenant's band rule applied to scores at one cutoff, with each customer's cycle at that cutoff. */
function bandsOf(
  scores: ChurnScores,
  input: ChurnInput,
  h: CustomerHistories,
  windowDays: number,
  trendDays: number,
  options: RiskBandOptions,
): RiskBands {
  const known = scores.features.context;
  const context =
    known && known.input === input && known.h === h && known.trendDays === trendDays
      ? known
      : featureContext(input, h, scores.features.cutoffDay, trendDays);
  const stats = context.stats();
  return assignRiskBands(
    scores.probability,
    {
      ownGap: stats.ownGap,
      recency: stats.recency,
      typicalGap: stats.populationGap,
    },
    windowDays,
    options,
  );
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
