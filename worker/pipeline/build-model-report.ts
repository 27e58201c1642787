/** Assembles report.json's content from the pipeline's results. */

import { observedMeanSpend, populationMeanSpend, type GammaGammaFit } from '../analytics/clv/gamma-gamma';
import { type CustomerPredictions } from '../analytics/clv/predict-customers';
import type { TransactionModelName } from '../analytics/clv/types';
import { type RfmSummary } from '../analytics/rfm';
import type { ScoreSettings } from './score-settings';
import type { ModelReport, ReportedFit } from '../report/model-report';

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
    segments: insights ? segmentReport(insights) : null,
    churn: insights ? churnReport(insights) : null,
    warnings,
    timings,
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
