/**
 * Everything the scores need per customer from a fitted transaction model and (optionally) a fitted spend
 * model: expected purchases over a horizon, P(alive), expected order value, discounted CLV and the time of
 * the next purchase. Shared by `crm-clv predict` and the `score` pipeline so both give the same numbers.
 */
import { discountedClvs, MONTH_LENGTH, type TimeUnit } from './clv';
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
  const base = model.predictAll(params, data, settings.horizon);
  const averageValue = expectedOrderValues(data, spendParams, warnings);
  const { clv, clvNet } = discountedClvs({
    expectedPurchases: (t) => model.predictAll(params, data, t).expectedPurchases,
    averageValues: averageValue,
    months: settings.months,
    monthlyDiscountRate: settings.monthlyDiscountRate,
    timeUnit: settings.timeUnit,
    margin: settings.margin,
    acquisitionCost: settings.acquisitionCost,
  });
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
