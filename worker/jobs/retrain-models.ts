/**
 * A tenant's retrain: fit a candidate on the stored history with a holdout window at its end, compare it with
 * the promoted version on that same window, measure feature drift since the promoted version was trained,
 * and promote the candidate unless it is clearly worse (../pipeline/model-versions). Either way the decision
 * and its reasons are stored with the model, so `status` can say why a tenant still runs an older version.
 * Segment ids stay stable: the candidate's segments start from the stored segment model.
 */
import type { RetrainRecord } from '../state/record-store';
import { summarizePurchases } from '../analytics/rfm/summarize-purchases';
import {
  driftAgainst,
  nextVersion,
  promotionDecision,
  rmseOnHoldout,
  trainedVersion,
} from '../pipeline/model-versions';
import { previousRunFromState } from '../pipeline/previous-run';
import { CalibrationEndError } from '../pipeline/score-input-checks';
import { scoreTransactions, type ScoreRunSettings } from '../pipeline/score-transactions';
import type { RecordStore } from '../state/record-store';
import { segmentsOf } from '../state/stored-scores';

const DAY_MS = 86_400_000;

export type RetrainRequest = {
  store: RecordStore;
  tenant: string;
  /** The scoring settings of the tenant (input rows, currency, observation end). */
  settings: ScoreRunSettings;
  /** Days at the end of the history held out to measure accuracy (default 90). */
  holdoutDays?: number;
  now?: () => Date;
};

export type RetrainOutcome = RetrainRecord & { version: string };

function daysBefore(isoDay: string, days: number): string {
  return new Date(Date.parse(`${isoDay}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

export async function retrainModels(request: RetrainRequest): Promise<RetrainOutcome> {
  const { store, tenant } = request;
  const holdoutDays = request.holdoutDays ?? 90;
  const at = (request.now ?? (() => new Date()))().toISOString();
  const stored = await store.getModel(tenant);
  const last = await store.readScoreRun(tenant);
  const current = stored?.current;
  const calibrationEnd = daysBefore(request.settings.observationEnd, holdoutDays);
  const settings: ScoreRunSettings = {
    ...request.settings,
    reuseModel: undefined,
    previous: previousRunFromState(
      stored?.segmentModel,
      segmentsOf(last?.scores),
      `the stored model of ${tenant}`,
    ),
  };
  let result;
  let withHoldout = true;
  try {
    result = await scoreTransactions({ ...settings, calibrationEnd });
  } catch (error) {
    // A history shorter than the holdout window: train on all of it, without an accuracy check.
    if (!(error instanceof CalibrationEndError)) throw error;
    withHoldout = false;
    result = await scoreTransactions(settings);
  }
  const candidate = trainedVersion(result, nextVersion(current), at, withHoldout ? holdoutDays : null);
  let currentRmseOnSameHoldout: number | null = null;
  if (current !== undefined && withHoldout) {
    const calibration = summarizePurchases(result.clean.orders, result.clean.customers, {
      observationEnd: settings.observationEnd,
      calibrationEnd,
      period: settings.period,
    });
    currentRmseOnSameHoldout = rmseOnHoldout(current, calibration);
  }
  const drift = current === undefined ? {} : driftAgainst(current, result.summary);
  const decision = promotionDecision(candidate, current, currentRmseOnSameHoldout, drift);
  const { reference: _reference, ...candidateFigures } = candidate;
  const record: RetrainRecord = {
    at,
    candidate: candidateFigures,
    currentRmseOnSameHoldout,
    drift,
    promoted: decision.promote,
    reasons: decision.reasons,
  };
  await store.putModel(tenant, {
    version: stored?.version ?? candidate.version,
    trainedAt: stored?.trainedAt ?? at,
    ...stored,
    ...(decision.promote
      ? {
          current: candidate,
          ...(current ? { previous: current } : {}),
          segmentModel: result.insights?.segments?.model ?? stored?.segmentModel,
        }
      : {}),
    lastRetrain: record,
  });
  return {
    ...record,
    version: decision.promote ? candidate.version : (current?.version ?? candidate.version),
  };
}
