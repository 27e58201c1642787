/**
 * Model versions of a tenant: what a trained run records (parameters, holdout accuracy, churn AUC, the
 * training population's feature bins), drift of today's population against them, and whether a retrained
 * candidate may replace the current version.
 *
 * "Clearly worse" is judged on the same holdout: the candidate's calibration fit and the current version's
 * parameters both predict the candidate's holdout window (Fader, Hardie & Lee 2005, §4: per-customer error of
 * holdout purchases). The current version saw part of that window when it was trained, so the comparison
 * favours it; a margin of 10% keeps noise from refusing every retrain. Churn AUCs come from different windows,
 * so only a large drop (0.05) counts.
 */
import {
  holdoutMetrics,
  predictHoldout,
  type AnyFittedTransactionModel,
} from '../analytics/clv/model-comparison';
import { TRANSACTION_MODELS } from '../analytics/clv/transaction-models';
import type { TransactionModelName } from '../analytics/clv/types';
import { populationStability, referenceBins, stabilityWords } from '../analytics/drift/population-stability';
import { storeChurnModel, type StoredChurnModel } from '../analytics/churn';
import type { RfmSummary } from '../analytics/rfm/types';
import type { ModelVersion } from '../state/record-store';
import type { ScoreResult } from './score-transactions';

export const RMSE_MARGIN = 0.1;
export const AUC_DROP = 0.05;

/** The features whose drift is tracked, from the purchase summary (one value per customer). */
export function driftFeatures(summary: RfmSummary): Record<string, Float64Array> {
  const daysPerUnit = summary.period === 'week' ? 7 : 1;
  const n = summary.frequency.length;
  const orders = new Float64Array(n);
  const sinceLast = new Float64Array(n);
  const averageOrder = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    orders[i] = summary.frequency[i] + 1;
    sinceLast[i] = (summary.T[i] - summary.recency[i]) * daysPerUnit;
    averageOrder[i] = summary.totalRevenue[i] / orders[i];
  }
  return { orders, 'days since last order': sinceLast, 'average order value': averageOrder };
}

const finiteOrNull = (v: number | undefined | null) =>
  v !== undefined && v !== null && Number.isFinite(v) ? v : null;

/** The version a run trained: its selected model's parameters (fit on all data) and its figures. */
export function trainedVersion(
  result: ScoreResult,
  version: string,
  trainedAt: string,
  holdoutDays: number | null,
): ModelVersion {
  const { report } = result;
  const fit = report.fits.find((f) => f.model === report.selectedModel && f.error === undefined);
  if (fit === undefined) throw new Error(`the run has no fitted ${report.selectedModel} model to version`);
  const holdout = report.calibration?.metrics.find((m) => m.model === report.selectedModel);
  const reference: ModelVersion['reference'] = {};
  for (const [name, values] of Object.entries(driftFeatures(result.summary)))
    if (values.length > 0) reference[name] = referenceBins(values);
  return {
    version,
    trainedAt,
    observationEnd: report.input.observationEnd,
    transaction: { model: report.selectedModel, params: { ...fit.params } },
    spend:
      report.spend.error === undefined && Number.isFinite(report.spend.params.q)
        ? { ...report.spend.params }
        : null,
    metrics: {
      customers: report.customers.scored,
      holdoutRmse: finiteOrNull(holdout?.rmse),
      holdoutTotalError: finiteOrNull(holdout?.totalError),
      holdoutDays: holdout === undefined ? null : holdoutDays,
      churnAuc: finiteOrNull(report.churn?.evaluation?.rocAuc),
    },
    reference,
    churn: result.insights?.churn
      ? storeChurnModel(result.insights.churn.model, result.clean.channels)
      : null,
  };
}

/** PSI per feature of today's population against a version's training population (finite values only). */
export function driftAgainst(version: ModelVersion, summary: RfmSummary): Record<string, number> {
  const out: Record<string, number> = {};
  const today = driftFeatures(summary);
  for (const [name, bins] of Object.entries(version.reference)) {
    const values = today[name];
    if (values === undefined || values.length === 0) continue;
    const psi = populationStability(bins, values);
    if (Number.isFinite(psi)) out[name] = psi;
  }
  return out;
}

/** The current version's parameters predicting the holdout of a calibration summary: its per-customer RMSE. */
export function rmseOnHoldout(version: ModelVersion, calibration: RfmSummary): number | null {
  const holdout = calibration.holdout;
  const name = version.transaction.model as TransactionModelName;
  const model = TRANSACTION_MODELS[name];
  if (holdout === undefined || model === undefined) return null;
  const fitted = { model: name, params: version.transaction.params } as AnyFittedTransactionModel;
  const predicted = predictHoldout(model, fitted, calibration, holdout.duration);
  return finiteOrNull(holdoutMetrics(name, calibration.frequency, holdout.frequency, predicted).rmse);
}

export type PromotionDecision = { promote: boolean; reasons: string[] };

/** Promote unless the candidate is clearly worse than the current version; every reason in words. */
export function promotionDecision(
  candidate: ModelVersion,
  current: ModelVersion | undefined,
  currentRmseOnSameHoldout: number | null,
  drift: Record<string, number>,
): PromotionDecision {
  const reasons: string[] = [];
  const refusals: string[] = [];
  if (current === undefined) return { promote: true, reasons: ['first model version of the tenant'] };
  const rmse = candidate.metrics.holdoutRmse;
  if (rmse !== null && currentRmseOnSameHoldout !== null) {
    const worse = rmse > currentRmseOnSameHoldout * (1 + RMSE_MARGIN);
    const said =
      `holdout RMSE ${rmse.toFixed(3)} purchases per customer against ${currentRmseOnSameHoldout.toFixed(3)} ` +
      `for ${current.version} on the same ${candidate.metrics.holdoutDays ?? '?'} days`;
    (worse ? refusals : reasons).push(worse ? `${said}: more than ${RMSE_MARGIN * 100}% worse` : said);
  } else {
    reasons.push('no holdout comparison (history too short for a holdout window): promoted on trust');
  }
  const auc = candidate.metrics.churnAuc;
  const before = current.metrics.churnAuc;
  if (auc !== null && before !== null) {
    const said = `churn AUC ${auc.toFixed(3)} against ${before.toFixed(3)} for ${current.version}`;
    (auc < before - AUC_DROP ? refusals : reasons).push(
      auc < before - AUC_DROP ? `${said}: a drop of more than ${AUC_DROP}` : said,
    );
  }
  for (const [name, psi] of Object.entries(drift))
    if (stabilityWords(psi) !== 'stable')
      reasons.push(`${name}: ${stabilityWords(psi)} since ${current.version} (PSI ${psi.toFixed(2)})`);
  return refusals.length > 0
    ? { promote: false, reasons: [...refusals, ...reasons] }
    : { promote: true, reasons };
}

/** The next version name after the current one (v1 first). */
export function nextVersion(current: ModelVersion | undefined): string {
  const n = current === undefined ? 0 : Number(/^v(\d+)$/.exec(current.version)?.[1] ?? 0);
  return `v${n + 1}`;
}

/** A version as the scoring settings take it; refuses a model name this engine does not know. */
export function reusableModel(version: ModelVersion): {
  model: TransactionModelName;
  params: Record<string, number>;
  version: string;
  spend?: { p: number; q: number; v: number };
  churn?: StoredChurnModel;
} {
  const name = version.transaction.model as TransactionModelName;
  if (TRANSACTION_MODELS[name] === undefined)
    throw new Error(
      `model ${version.version} is a '${version.transaction.model}' model, which this engine does not know: retrain the tenant`,
    );
  const spend = version.spend;
  const hasSpend = spend != null && ['p', 'q', 'v'].every((k) => Number.isFinite(spend[k]));
  return {
    model: name,
    params: { ...version.transaction.params },
    version: version.version,
    ...(hasSpend ? { spend: { p: spend.p, q: spend.q, v: spend.v } } : {}),
    ...(version.churn ? { churn: version.churn as StoredChurnModel } : {}),
  };
}
