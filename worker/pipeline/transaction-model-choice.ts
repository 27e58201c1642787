/**
 * Which transaction model scores the customers: every model fitted on the calibration period and compared
 * on the holdout (worker/analytics/clv/model-comparison), plus the fit helpers that turn a failed fit into a
 * reported one instead of stopping the run.
 */

import { type CleanResult } from '../analytics/clean';
import { fitGammaGamma, gammaGammaLogLikelihood, type GammaGammaFit } from '../analytics/clv/gamma-gamma';
import {
  holdoutMetrics,
  pickBestModel,
  predictHoldout,
  trackingCurve,
  type HoldoutMetrics,
} from '../analytics/clv/model-comparison';
import { cohortPurchaseTimes } from '../analytics/clv/repeat-purchase-times';
import {
  TRANSACTION_MODEL_NAMES,
  TRANSACTION_MODELS,
  type PredictingTransactionModel,
} from '../analytics/clv/transaction-models';
import type { FittedModel, TransactionModelName } from '../analytics/clv/types';
import { summarizePurchases, type RfmSummary } from '../analytics/rfm';
import type { ScoreSettings } from './score-settings';
import type { ModelReport, ReportedFit } from '../report/model-report';

type AnyFit = FittedModel<TransactionModelName, Record<string, number>>;

export type CalibrationOutcome = NonNullable<ModelReport['calibration']> & {
  best: TransactionModelName | null;
};

export function compareOnHoldout(
  clean: CleanResult,
  settings: ScoreSettings,
  daysPerUnit: number,
): CalibrationOutcome {
  const cal = summarizePurchases(clean.orders, clean.customers, {
    observationEnd: settings.observationEnd,
    calibrationEnd: settings.calibrationEnd,
    period: settings.period,
  });
  const holdout = cal.holdout!;
  const fits: ReportedFit[] = [];
  const metrics: HoldoutMetrics[] = [];
  const curveModels: { name: string; expectedPurchasesNewCustomer: (t: number) => number }[] = [];
  for (const name of TRANSACTION_MODEL_NAMES) {
    const model = TRANSACTION_MODELS[name];
    const r = tryFit(name, () => model.fit(cal, { penalizer: settings.penalizer }));
    fits.push(r.reported);
    if (!r.fit) continue;
    const params = r.fit.params;
    const predicted = predictHoldout(model, r.fit, cal, holdout.duration);
    metrics.push(holdoutMetrics(name, cal.frequency, holdout.frequency, predicted));
    curveModels.push({
      name,
      expectedPurchasesNewCustomer: (t) => model.expectedPurchasesNewCustomer(params, t),
    });
  }
  const times = cohortPurchaseTimes(
    clean.orders.customer,
    clean.orders.time,
    cal.customerIndex,
    clean.customers.length,
    cal.observationEndDay,
    daysPerUnit,
  );
  const end = (cal.observationEndDay + 1 - times.originDay) / daysPerUnit;
  // Weekly points for a week unit; for days, weekly too (7 days) so the curve stays readable.
  const step = settings.period === 'week' ? 1 : 7;
  const tracking = trackingCurve(times.firstPurchase, times.repeatPurchases, end, step, curveModels);
  return {
    customers: cal.ids.length,
    fits,
    holdoutDuration: holdout.duration,
    metrics,
    tracking,
    calibrationEndPeriod: (cal.calibrationEndDay! + 1 - times.originDay) / daysPerUnit,
    best: metrics.length ? pickBestModel(metrics) : null,
  };
}

export function newCustomerOutlook(
  model: PredictingTransactionModel,
  params: Record<string, number>,
  horizon: number,
): ModelReport['newCustomer'] {
  const purchaseDistribution: ModelReport['newCustomer']['purchaseDistribution'] = [];
  let mass = 0;
  for (let n = 0; n <= 5; n++) {
    const p = model.probabilityOfPurchases(params, n, horizon);
    mass += p;
    purchaseDistribution.push({ purchases: String(n), probability: p });
  }
  purchaseDistribution.push({ purchases: '6+', probability: Math.max(0, 1 - mass) });
  return {
    horizon,
    expectedPurchases: model.expectedPurchasesNewCustomer(params, horizon),
    purchaseDistribution,
  };
}

export function tryFit(
  name: TransactionModelName,
  fit: () => AnyFit,
): { fit: AnyFit | null; reported: ReportedFit } {
  try {
    const f = fit();
    return { fit: f, reported: reportFit(f) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { fit: null, reported: failedFit(name, message) };
  }
}

/**
 * A promoted model's parameters as a fit of today's data: its log-likelihood is today's, its standard errors
 * are unknown (the information matrix belongs to the training data), and nothing was iterated.
 */
export function reusedFit(
  reuse: { model: TransactionModelName; params: Record<string, number>; version: string },
  summary: RfmSummary,
  penalizer: number,
): AnyFit {
  const model = TRANSACTION_MODELS[reuse.model];
  const params = { ...reuse.params };
  return {
    model: reuse.model,
    params,
    standardErrors: Object.fromEntries(Object.keys(params).map((k) => [k, NaN])),
    logLikelihood: model.logLikelihood(params, summary),
    n: summary.frequency.length,
    penalizer,
    diagnostics: {
      converged: true,
      iterations: 0,
      evaluations: 1,
      gradientNorm: NaN,
      message: `parameters of the promoted model ${reuse.version}, not refitted`,
      warnings: [],
    },
  };
}

/**
 * A promoted version's Gamma-Gamma parameters in place of today's fit: today's fit still says who was left out
 * and how spend and frequency correlate (the report's checks), but predictions use the version's parameters,
 * so a rescore moves a customer's value only when their own history moved.
 */
export function reusedSpendFit(
  today: GammaGammaFit,
  params: GammaGammaFit['params'],
  summary: RfmSummary,
  version: string,
): GammaGammaFit {
  return {
    ...today,
    params: { ...params },
    standardErrors: { p: NaN, q: NaN, v: NaN },
    logLikelihood: gammaGammaLogLikelihood(params, summary),
    diagnostics: {
      ...today.diagnostics,
      iterations: 0,
      message: `parameters of the promoted model ${version}, not refitted`,
    },
  };
}

export function fitSpend(summary: RfmSummary, penalizer: number, warnings: string[]): GammaGammaFit | null {
  try {
    const fit = fitGammaGamma(summary, { penalizer });
    warnings.push(...fit.diagnostics.warnings.map((w) => `gamma-gamma: ${w}`));
    return fit;
  } catch (error) {
    warnings.push(
      `gamma-gamma could not be fitted (${error instanceof Error ? error.message : String(error)}); ` +
        'expected order values are the observed means instead.',
    );
    return null;
  }
}

export function reportFit(f: {
  model: ReportedFit['model'];
  params: Record<string, number>;
  standardErrors: Record<string, number>;
  logLikelihood: number;
  n: number;
  penalizer: number;
  diagnostics: ReportedFit['diagnostics'];
}): ReportedFit {
  return {
    model: f.model,
    params: { ...f.params },
    standardErrors: { ...f.standardErrors },
    logLikelihood: f.logLikelihood,
    n: f.n,
    penalizer: f.penalizer,
    diagnostics: f.diagnostics,
  };
}

export function failedFit(model: ReportedFit['model'], error: string): ReportedFit {
  return {
    model,
    params: {},
    standardErrors: {},
    logLikelihood: NaN,
    n: 0,
    penalizer: 0,
    diagnostics: {
      converged: false,
      iterations: 0,
      evaluations: 0,
      gradientNorm: NaN,
      message: error,
      warnings: [],
    },
    error,
  };
}
