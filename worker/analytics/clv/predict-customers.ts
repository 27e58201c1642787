/**
 * Everything the scores need per customer from a fitted transaction model and (optionally) a fitted spend
 * model: expected purchases over a horizon, P(alive), expected order value, discounted CLV and the time of
 * the next purchase. Shared by `crm-clv predict` and the `score` pipeline so both give the same numbers.
 */
import { evaluateByFrequency } from './chebyshev-by-frequency';
import { MONTH_LENGTH, parseSettings, type TimeUnit } from './clv';
import { expectedAverageValues, observedMeanSpend, type SpendMeanFallback } from './gamma-gamma';
import { nextPurchaseTimes } from './next-purchase';
import type { PredictingTransactionModel } from './transaction-models';
import type { GammaGammaParams, PurchaseAndSpendHistory } from './types';

export type CustomerPredictionSettings = {
  /** Horizon for expected purchases, in the data's time unit. */
  horizon: number;
  months: number;
  monthlyDiscountRate: number;
  timeUnit: TimeUnit;
  margin?: number;
  acquisitionCost?: number;
  /** Longest wait, in the data's time unit, for which a next purchase time is reported (default 3 years). */
  nextPurchaseCap?: number;
};

export type CustomerPredictions = {
  expectedPurchases: Float64Array;
  probabilityAlive: Float64Array;
  expectedAverageValue: Float64Array;
  clv: Float64Array;
  clvNet: Float64Array | null;
  /** Time from the observation end to the expected next purchase (data's unit); NaN when none is expected. */
  nextPurchase: Float64Array;
  warnings: string[];
};

export function predictCustomers(
  model: PredictingTransactionModel,
  params: Record<string, number>,
  data: PurchaseAndSpendHistory,
  spendParams: GammaGammaParams | null,
  settings: CustomerPredictionSettings,
): CustomerPredictions {
  const warnings: string[] = [];
  const clvSettings = parseSettings(settings);
  const base = model.predictAll(params, data, settings.horizon);
  const averageValue = expectedOrderValues(data, spendParams, warnings);
  const discounted = discountedPurchasesGivenAlive(model, params, data, clvSettings);
  const n = data.frequency.length;
  const clv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    clv[i] = clvSettings.margin * averageValue[i] * base.probabilityAlive[i] * discounted[i];
  }
  let clvNet: Float64Array | null = null;
  if (settings.acquisitionCost !== undefined) {
    clvNet = new Float64Array(n);
    for (let i = 0; i < n; i++) clvNet[i] = clv[i] - settings.acquisitionCost;
  }
  const cap = settings.nextPurchaseCap ?? 3 * 12 * MONTH_LENGTH[settings.timeUnit];
  const nextPurchase = nextPurchaseTimes(
    { r: params.r, alpha: params.alpha },
    data,
    base.probabilityAlive,
    cap,
  );
  return {
    expectedPurchases: base.expectedPurchases,
    probabilityAlive: base.probabilityAlive,
    expectedAverageValue: averageValue,
    clv,
    clvNet,
    nextPurchase,
    warnings,
  };
}

/**
 * Σ_{i=1..H} [g(i·month) − g((i−1)·month)] / (1+d)^i per customer, g = expected purchases given alive: the
 * discounted CLV of ../../shared/DESIGN.md divided by P(alive) × value × margin. Interpolated per frequency
 * (./chebyshev-by-frequency) so H horizons cost little more than one.
 */
function discountedPurchasesGivenAlive(
  model: PredictingTransactionModel,
  params: Record<string, number>,
  data: PurchaseAndSpendHistory,
  settings: { months: number; monthlyDiscountRate: number; timeUnit: TimeUnit },
): Float64Array {
  const month = MONTH_LENGTH[settings.timeUnit];
  const growth = 1 + settings.monthlyDiscountRate;
  const discounted = (x: number, T: number) => {
    let previous = 0;
    let discount = 1;
    let sum = 0;
    for (let i = 1; i <= settings.months; i++) {
      const current = model.expectedPurchasesGivenAlive(params, x, T, i * month);
      discount /= growth;
      sum += (current - previous) * discount;
      previous = current;
    }
    return sum;
  };
  return evaluateByFrequency(data.frequency, data.T, discounted, { offset: model.ageScale(params) }).values;
}

/**
 * Gamma-Gamma's conditional mean when a spend model is given; otherwise what was observed (the customer's
 * mean repeat spend, or the mean over repeat buyers for a customer without repeats).
 */
function expectedOrderValues(
  data: PurchaseAndSpendHistory,
  spendParams: GammaGammaParams | null,
  warnings: string[],
): Float64Array {
  const populationMean = observedMeanSpend(data);
  const observed: SpendMeanFallback = {
    kind: 'observed',
    populationMean: Number.isFinite(populationMean) ? populationMean : 0,
  };
  if (spendParams === null) {
    const out = new Float64Array(data.frequency.length);
    for (let i = 0; i < out.length; i++) {
      out[i] =
        data.frequency[i] > 0 && data.monetaryValue[i] > 0 ? data.monetaryValue[i] : observed.populationMean;
    }
    return out;
  }
  if (spendParams.q <= 1) {
    warnings.push(
      `Gamma-Gamma q = ${spendParams.q.toFixed(3)} ≤ 1: the population mean order value does not exist; ` +
        'customers for whom the model has no finite mean get their observed mean order value instead.',
    );
  }
  return expectedAverageValues(spendParams, data, observed);
}
