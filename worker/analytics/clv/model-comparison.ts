/**
 * Calibration/holdout comparison of fitted transaction models, the validation design of Fader, Hardie & Lee
 * (2005, "Counting your customers the easy way", §4 and Figures 2–4): per-customer holdout error, conditional
 * means by calibration frequency, and the cumulative tracking curve of repeat purchases.
 */
import type { FittedModel, PurchaseHistory, TransactionModel, TransactionModelName } from './types';

export type AnyTransactionModel = TransactionModel<TransactionModelName, Record<string, number>>;
export type AnyFittedTransactionModel = FittedModel<TransactionModelName, Record<string, number>>;

export type HoldoutData = {
  /** Distinct purchase periods per customer in the holdout window (same order as the calibration summary). */
  frequency: Float64Array;
  /** Length of the holdout window in the model's time unit. */
  duration: number;
};

export type FrequencyBucket = {
  /** Calibration frequency; the last bucket is "maxFrequency or more". */
  frequency: number;
  label: string;
  customers: number;
  actualMean: number;
  predictedMean: number;
};

export type HoldoutMetrics = {
  model: TransactionModelName;
  actualTotal: number;
  predictedTotal: number;
  /** (predicted − actual) / actual over all customers, as a fraction. */
  totalError: number;
  mae: number;
  rmse: number;
  correlation: number;
  byCalibrationFrequency: FrequencyBucket[];
};

export type TrackingPoint = { period: number; actual: number; predicted: Record<string, number> };

/** Predicted holdout purchases per customer for one fitted model. */
export function predictHoldout(
  model: AnyTransactionModel,
  fitted: AnyFittedTransactionModel,
  calibration: PurchaseHistory,
  duration: number,
): Float64Array {
  const n = calibration.frequency.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = model.conditionalExpectedPurchases(
      fitted.params,
      duration,
      calibration.frequency[i],
      calibration.recency[i],
      calibration.T[i],
    );
  }
  return out;
}

/** Error metrics of predicted against actual holdout purchases, with conditional means by calibration frequency. */
export function holdoutMetrics(
  modelName: TransactionModelName,
  calibrationFrequency: Float64Array,
  actual: Float64Array,
  predicted: Float64Array,
  maxFrequency = 7,
): HoldoutMetrics {
  const n = actual.length;
  if (predicted.length !== n || calibrationFrequency.length !== n) {
    throw new RangeError(
      'holdoutMetrics: actual, predicted and calibration frequency must have the same length',
    );
  }
  let actualTotal = 0;
  let predictedTotal = 0;
  let absErr = 0;
  let sqErr = 0;
  for (let i = 0; i < n; i++) {
    actualTotal += actual[i];
    predictedTotal += predicted[i];
    const e = predicted[i] - actual[i];
    absErr += Math.abs(e);
    sqErr += e * e;
  }
  const buckets: FrequencyBucket[] = [];
  const count = new Float64Array(maxFrequency + 1);
  const sumActual = new Float64Array(maxFrequency + 1);
  const sumPredicted = new Float64Array(maxFrequency + 1);
  for (let i = 0; i < n; i++) {
    const k = Math.min(maxFrequency, Math.floor(calibrationFrequency[i]));
    count[k]++;
    sumActual[k] += actual[i];
    sumPredicted[k] += predicted[i];
  }
  for (let k = 0; k <= maxFrequency; k++) {
    buckets.push({
      frequency: k,
      label: k === maxFrequency ? `${k}+` : String(k),
      customers: count[k],
      actualMean: count[k] > 0 ? sumActual[k] / count[k] : NaN,
      predictedMean: count[k] > 0 ? sumPredicted[k] / count[k] : NaN,
    });
  }
  return {
    model: modelName,
    actualTotal,
    predictedTotal,
    totalError: actualTotal > 0 ? (predictedTotal - actualTotal) / actualTotal : NaN,
    mae: n > 0 ? absErr / n : NaN,
    rmse: n > 0 ? Math.sqrt(sqErr / n) : NaN,
    correlation: pearson(actual, predicted),
    byCalibrationFrequency: buckets,
  };
}

/**
 * Cumulative repeat purchases of the cohort by period, actual against each model's expectation
 * Σ_i E[X(τ − t0_i)] for a new customer who made the first purchase at t0_i (FHL 2005, Figure 2).
 * Times are in the model's unit, measured from a common origin (e.g. the first day of the data).
 */
export function trackingCurve(
  firstPurchase: Float64Array,
  repeatPurchaseTimes: Float64Array,
  end: number,
  step: number,
  models: { name: string; expectedPurchasesNewCustomer: (t: number) => number }[],
): TrackingPoint[] {
  const sortedRepeats = Float64Array.from(repeatPurchaseTimes).sort();
  // E[X(t)] is smooth; tabulate it on a fine grid once per model and interpolate, so the curve costs
  // O(periods × customers) additions rather than as many model evaluations.
  const gridStep = step / 8;
  const gridSize = Math.ceil(end / gridStep) + 2;
  const tables = models.map((m) => {
    const table = new Float64Array(gridSize);
    for (let g = 0; g < gridSize; g++) table[g] = m.expectedPurchasesNewCustomer(g * gridStep);
    return table;
  });
  const points: TrackingPoint[] = [];
  let repeatIndex = 0;
  for (let tau = step; tau <= end + 1e-9; tau += step) {
    while (repeatIndex < sortedRepeats.length && sortedRepeats[repeatIndex] <= tau + 1e-9) repeatIndex++;
    const predicted: Record<string, number> = {};
    models.forEach((m, j) => {
      const table = tables[j];
      let total = 0;
      for (let i = 0; i < firstPurchase.length; i++) {
        const age = tau - firstPurchase[i];
        if (age <= 0) continue;
        const pos = age / gridStep;
        const g = Math.min(gridSize - 2, Math.floor(pos));
        const w = pos - g;
        total += table[g] * (1 - w) + table[g + 1] * w;
      }
      predicted[m.name] = total;
    });
    points.push({ period: tau, actual: repeatIndex, predicted });
  }
  return points;
}

/** Picks the model with the lowest per-customer holdout RMSE: the conditional mean is the forecast that
 * minimises squared error, so RMSE rewards exactly what the models claim to predict. */
export function pickBestModel(metrics: HoldoutMetrics[]): TransactionModelName {
  if (metrics.length === 0) throw new RangeError('pickBestModel needs at least one model');
  let best = metrics[0];
  for (const m of metrics) if (m.rmse < best.rmse) best = m;
  return best.model;
}

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}
