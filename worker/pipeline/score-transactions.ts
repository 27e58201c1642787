/**
 * The `score` path on a transactions file: import → cleaning → RFM summary → model choice on a
 * calibration/holdout split → fits on all data → per-customer predictions. I/O is limited to reading the
 * file; writing the outputs is ./write-score-outputs.
 */
import { cleaningDefaultsFor, readTransactionBatches, type TransactionFormat } from '../../connectors/csv';
import { createCleaner, type CleanResult } from '../analytics/clean';
import { MONTH_LENGTH } from '../analytics/clv/clv';
import {
  fitGammaGamma,
  observedMeanSpend,
  populationMeanSpend,
  type GammaGammaFit,
} from '../analytics/clv/gamma-gamma';
import {
  holdoutMetrics,
  pickBestModel,
  predictHoldout,
  trackingCurve,
  type HoldoutMetrics,
} from '../analytics/clv/model-comparison';
import { predictCustomers, type CustomerPredictions } from '../analytics/clv/predict-customers';
import { cohortPurchaseTimes } from '../analytics/clv/repeat-purchase-times';
import {
  TRANSACTION_MODEL_NAMES,
  TRANSACTION_MODELS,
  type PredictingTransactionModel,
} from '../analytics/clv/transaction-models';
import type { FittedModel, TransactionModelName } from '../analytics/clv/types';
import { summarizePurchases, type RfmSummary } from '../analytics/rfm';
import type { ModelReport, ReportedFit } from '../report/model-report';

export type ScoreSettings = {
  transactions: string;
  format: TransactionFormat;
  /** yyyy-mm-dd, included. */
  observationEnd: string;
  calibrationEnd?: string;
  period: 'day' | 'week';
  model: 'auto' | TransactionModelName;
  clvMonths: number;
  monthlyDiscountRate: number;
  margin: number;
  acquisitionCost: number;
  penalizer: number;
  baseCurrency: string;
  currencyRates: Record<string, number>;
  excludeAnomalies: boolean;
};

export type ScoreHooks = {
  stage?(name: string): void;
  progress?(done: number, total: number): void;
};

export type ScoreResult = {
  clean: CleanResult;
  summary: RfmSummary;
  predictions: CustomerPredictions;
  report: ModelReport;
};

type AnyFit = FittedModel<TransactionModelName, Record<string, number>>;

export async function scoreTransactions(
  settings: ScoreSettings,
  hooks: ScoreHooks = {},
): Promise<ScoreResult> {
  const timings: Record<string, number> = {};
  let stageStart = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (now - stageStart) / 1000;
    stageStart = now;
  };
  hooks.stage?.('Reading and cleaning transactions');
  const cleaner = createCleaner({
    ...cleaningDefaultsFor(settings.format),
    observationEnd: settings.observationEnd,
    baseCurrency: settings.baseCurrency,
    currencyRates: settings.currencyRates,
    anomaly: { exclude: settings.excludeAnomalies },
  });
  for await (const batch of readTransactionBatches(settings.transactions, settings.format, {
    onProgress: hooks.progress,
  })) {
    for (const row of batch) cleaner.add(row);
  }
  const clean = cleaner.finish();
  lap('readAndClean');

  hooks.stage?.('Fitting models');
  const warnings: string[] = [];
  const daysPerUnit = settings.period === 'week' ? 7 : 1;
  const summary = summarizePurchases(clean.orders, clean.customers, {
    observationEnd: settings.observationEnd,
    period: settings.period,
  });
  lap('summarize');
  const calibration = settings.calibrationEnd ? compareOnHoldout(clean, settings, daysPerUnit) : null;
  if (calibration) lap('holdoutComparison');

  let selected: TransactionModelName;
  let selectionReason: string;
  const fits: ReportedFit[] = [];
  if (settings.model !== 'auto') {
    selected = settings.model;
    selectionReason = 'chosen with --model';
  } else if (calibration && calibration.best) {
    selected = calibration.best;
    selectionReason = 'lowest per-customer RMSE of holdout purchases';
  } else {
    selected = 'bgnbd';
    selectionReason = 'highest log-likelihood on all data (no calibration end given)';
  }
  const toFit = settings.model === 'auto' && !calibration?.best ? TRANSACTION_MODEL_NAMES : [selected];
  const fitted = new Map<TransactionModelName, AnyFit>();
  for (const name of toFit) {
    const r = tryFit(name, () => TRANSACTION_MODELS[name].fit(summary, { penalizer: settings.penalizer }));
    fits.push(r.reported);
    if (r.fit) fitted.set(name, r.fit);
  }
  if (toFit.length > 1) {
    let bestLl = -Infinity;
    for (const [name, f] of fitted) {
      if (f.logLikelihood > bestLl) {
        bestLl = f.logLikelihood;
        selected = name;
      }
    }
  }
  const transactionFit = fitted.get(selected);
  if (!transactionFit) {
    throw fits.find((f) => f.model === selected)?.error
      ? new Error(
          `The ${selected} model could not be fitted: ${fits.find((f) => f.model === selected)!.error}`,
        )
      : new Error(`No transaction model could be fitted`);
  }
  for (const f of fits) warnings.push(...f.diagnostics.warnings.map((w) => `${f.model}: ${w}`));

  const spendFit = fitSpend(summary, settings.penalizer, warnings);
  lap('fit');

  hooks.stage?.('Predicting');
  const horizon = settings.clvMonths * MONTH_LENGTH[settings.period];
  const predictions = predictCustomers(
    TRANSACTION_MODELS[selected],
    transactionFit.params,
    summary,
    spendFit?.params ?? null,
    {
      horizon,
      months: settings.clvMonths,
      monthlyDiscountRate: settings.monthlyDiscountRate,
      timeUnit: settings.period,
      margin: settings.margin,
      acquisitionCost: settings.acquisitionCost > 0 ? settings.acquisitionCost : undefined,
    },
  );
  warnings.push(...predictions.warnings);
  lap('predict');

  const newCustomer = newCustomerOutlook(TRANSACTION_MODELS[selected], transactionFit.params, horizon);
  const report = buildReport(
    settings,
    summary,
    calibration,
    fits,
    spendFit,
    selected,
    selectionReason,
    predictions,
    horizon,
    newCustomer,
    warnings,
    timings,
  );
  return { clean, summary, predictions, report };
}

type CalibrationOutcome = NonNullable<ModelReport['calibration']> & { best: TransactionModelName | null };

function compareOnHoldout(
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

function newCustomerOutlook(
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

function tryFit(
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

function fitSpend(summary: RfmSummary, penalizer: number, warnings: string[]): GammaGammaFit | null {
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

function reportFit(f: {
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

function failedFit(model: ReportedFit['model'], error: string): ReportedFit {
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

function buildReport(
  settings: ScoreSettings,
  summary: RfmSummary,
  calibration: CalibrationOutcome | null,
  fits: ReportedFit[],
  spendFit: GammaGammaFit | null,
  selected: TransactionModelName,
  selectionReason: string,
  p: CustomerPredictions,
  horizon: number,
  newCustomer: ModelReport['newCustomer'],
  warnings: string[],
  timings: Record<string, number>,
): ModelReport {
  let repeatBuyers = 0;
  let totalHistoric = 0;
  let totalPredicted = 0;
  for (let i = 0; i < summary.ids.length; i++) {
    if (summary.frequency[i] > 0) repeatBuyers++;
    totalHistoric += summary.totalRevenue[i];
    totalPredicted += p.clv[i];
  }
  const sorted = Float64Array.from(p.clv).sort();
  const q = (f: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] : NaN;
  let populationMeanValue = observedMeanSpend(summary);
  if (spendFit && spendFit.params.q > 1) populationMeanValue = populationMeanSpend(spendFit.params);
  const spend: ModelReport['spend'] = spendFit
    ? {
        ...reportFit(spendFit),
        spendFrequencyCorrelation: spendFit.spendFrequencyCorrelation ?? NaN,
        populationMeanValue,
      }
    : { ...failedFit('gamma-gamma', 'not fitted'), spendFrequencyCorrelation: NaN, populationMeanValue };
  const { best: _best, ...calibrationReport } = calibration ?? { best: null };
  return {
    input: {
      file: settings.transactions,
      format: settings.format,
      observationEnd: settings.observationEnd,
      calibrationEnd: settings.calibrationEnd ?? null,
      period: settings.period,
    },
    customers: { scored: summary.ids.length, repeatBuyers },
    calibration: calibration ? (calibrationReport as NonNullable<ModelReport['calibration']>) : null,
    fits,
    spend,
    selectedModel: selected,
    selectionReason,
    clv: {
      months: settings.clvMonths,
      monthlyDiscountRate: settings.monthlyDiscountRate,
      margin: settings.margin,
      acquisitionCost: settings.acquisitionCost,
      totalHistoric,
      totalPredicted,
      meanPredicted: summary.ids.length ? totalPredicted / summary.ids.length : NaN,
      percentiles: { p10: q(0.1), p50: q(0.5), p90: q(0.9), p99: q(0.99) },
      expectedPurchasesHorizon: horizon,
    },
    newCustomer,
    warnings,
    timings,
  };
}
