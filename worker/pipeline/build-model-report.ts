/** Assembles report.json's content from the pipeline's results. */

import { MONTH_LENGTH } from '../analytics/clv/clv';
import { observedMeanSpend, populationMeanSpend, type GammaGammaFit } from '../analytics/clv/gamma-gamma';
import { type CustomerPredictions } from '../analytics/clv/predict-customers';
import { TRANSACTION_MODELS } from '../analytics/clv/transaction-models';
import type { TransactionModelName } from '../analytics/clv/types';
import { type RfmSummary } from '../analytics/rfm';
import type { ScoreSettings } from './score-settings';
import type { ModelReport, ReportedFit } from '../report/model-report';
import { frequencyFit, valueHistogram } from '../report/distributions';
import { datasetName } from '../report/format';
import { compareWithPrevious, summarizeCustomers } from '../report/manager-summary';
import { reportChecks } from '../report/report-checks';

import type { CustomerInsights } from './customer-insights';
import type { CalibrationOutcome } from './transaction-model-choice';
import { failedFit, reportFit } from './transaction-model-choice';

export function buildReport(
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
  insights: CustomerInsights | null,
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
  const input: ModelReport['input'] = {
    file: settings.transactions,
    format: settings.format,
    observationEnd: settings.observationEnd,
    calibrationEnd: settings.calibrationEnd ?? null,
    period: settings.period,
  };
  const calibrationPart = calibration ? (calibrationReport as NonNullable<ModelReport['calibration']>) : null;
  const selectedFit = fits.find((f) => f.model === selected && !f.error) ?? null;
  return {
    summary: managerSummary(settings, summary, p, selected, selectedFit, insights),
    checks: reportChecks({ fits, calibration: calibrationPart, selectedModel: selected, input }),
    distributions: {
      clv: valueHistogram(p.clv),
      frequency: selectedFit && {
        model: selected,
        buckets: frequencyFit(summary.frequency, summary.T, (n, t) =>
          TRANSACTION_MODELS[selected].probabilityOfPurchases(selectedFit.params, n, t),
        ),
      },
    },
    input,
    customers: { scored: summary.ids.length, repeatBuyers },
    calibration: calibrationPart,
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
    segments: insights ? segmentReport(insights) : null,
    churn: insights ? churnReport(insights) : null,
    warnings,
    timings,
  };
}

/** The manager's summary: totals, value by risk band and segment, change since the previous run. */
function managerSummary(
  settings: ScoreSettings,
  summary: RfmSummary,
  p: CustomerPredictions,
  selected: TransactionModelName,
  selectedFit: ReportedFit | null,
  insights: CustomerInsights | null,
): ModelReport['summary'] {
  const n = summary.ids.length;
  const nextMonth = selectedFit
    ? TRANSACTION_MODELS[selected].predictAll(selectedFit.params, summary, MONTH_LENGTH[settings.period])
        .expectedPurchases
    : new Float64Array(n).fill(NaN);
  const segments = insights?.segments ?? null;
  const totals = summarizeCustomers({
    revenue: summary.totalRevenue,
    predictedValue: p.clv,
    expectedOrdersNextMonth: nextMonth,
    risk: insights?.churn ? insights.churnRisk : null,
    segment: segments?.segmentName ?? insights?.rfm.segmentName ?? null,
  });
  let first = Infinity;
  for (let i = 0; i < n; i++) first = Math.min(first, summary.firstPurchase[i]);
  return {
    dataset: datasetName(settings.transactions),
    currency: settings.baseCurrency,
    observationEnd: settings.observationEnd,
    firstOrder: Number.isFinite(first) ? new Date(first).toISOString().slice(0, 10) : null,
    months: settings.clvMonths,
    margin: settings.margin,
    ...totals,
    segmentKind: segments ? 'behavioural' : insights ? 'RFM' : null,
    previous:
      settings.previous && segments
        ? compareWithPrevious(
            {
              ids: summary.ids,
              segmentId: segments.segmentId,
              segmentName: segments.segmentName,
              stayedShare: segments.migration?.stayedShare ?? null,
            },
            settings.previous,
          )
        : null,
  };
}

function churnReport(insights: CustomerInsights): ModelReport['churn'] {
  const churn = insights.churn;
  if (!churn) return null;
  return {
    windowDays: churn.model.windowDays,
    gapMultiple: churn.model.gapMultiple,
    trainedAtDay: churn.model.cutoffDay,
    training: churn.model.training,
    riskCutPoints: churn.riskCutPoints,
    riskCounts: churn.riskCounts,
    calibration: churn.model.calibration.method,
    evaluation: churn.evaluation,
    reusedFrom: insights.churnReusedFrom,
  };
}

function segmentReport(insights: CustomerInsights): ModelReport['segments'] {
  const m = insights.segments?.model;
  const products = (insights.recommend?.segments ?? []).map((sp) => ({
    segment: sp.segmentName,
    customers: sp.customers,
    byRevenue: sp.byRevenue.slice(0, 5).map((p) => ({
      productId: p.productId,
      productName: p.productName.trim(),
      revenue: p.revenue,
      buyers: p.buyers,
    })),
    byLift: sp.byLift.slice(0, 5).map((p) => ({
      productId: p.productId,
      productName: p.productName.trim(),
      lift: p.lift,
      buyers: p.buyers,
    })),
  }));
  if (!m) return { ...insights.profiles, model: null, migration: null, products };
  return {
    ...insights.profiles,
    model: {
      k: m.k,
      silhouette: m.silhouette,
      ids: m.ids,
      names: m.names,
      coarse: m.coarse.map((g) => ({ id: g.id, name: g.name, members: g.members })),
    },
    migration: insights.segments?.migration ?? null,
    products,
  };
}
