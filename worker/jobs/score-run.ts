/**
 * The score stage: the engine on a tenant's transactions, its Scores and segment model into the store (the
 * hand-off to write-back and the card), and the run exported to a directory when one is given.
 */
import type { RecordSource } from '../../domain/records';
import type { Score, ScoreRun } from '../../domain/score';
import { assertValidScores, buildScores } from '../pipeline/build-scores';
import { scoreTransactions, type ScoreHooks, type ScoreResult } from '../pipeline/score-transactions';
import { type ScoreSettings } from '../pipeline/score-settings';
import { writeScoreOutputs, type WrittenOutputs } from '../pipeline/write-score-outputs';
import type { RecordStore } from '../state/record-store';

export type ScoreRunRequest = {
  settings: ScoreSettings;
  tenant: string;
  source: RecordSource;
  /** `<model>/<crm-clv version>`'s second half. */
  engineVersion: string;
  /** Where to export scores.csv and the reports; nothing is exported when absent. */
  outDir?: string;
  /** Where the Scores go for write-back; a file-only run (CSV import) may have none. */
  store?: RecordStore;
  hooks?: ScoreHooks;
  now?: () => Date;
};

export type ScoreRunResult = {
  result: ScoreResult;
  run: ScoreRun;
  scores: Score[];
  outputs?: WrittenOutputs;
};

export async function runScore(request: ScoreRunRequest): Promise<ScoreRunResult> {
  const { settings, tenant, hooks = {} } = request;
  const result = await scoreTransactions(settings, hooks);
  const scoredAt = (request.now ?? (() => new Date()))().toISOString();
  const run: ScoreRun = {
    runId: `run-${Date.parse(scoredAt)}`,
    tenant,
    source: request.source,
    scoredAt,
    modelVersion: `${result.report.selectedModel}/${request.engineVersion}`,
    clvMonths: settings.clvMonths,
    currency: settings.baseCurrency,
    customers: result.summary.ids.length,
  };
  // Scores are checked before anything is written, so a bad run leaves the previous one in place.
  const scores = buildScores(result, run);
  assertValidScores(scores);
  let outputs: WrittenOutputs | undefined;
  if (request.outDir !== undefined) {
    hooks.stage?.('Writing outputs');
    outputs = await writeScoreOutputs(request.outDir, result, run);
  }
  if (request.store !== undefined) {
    hooks.stage?.('Storing scores');
    await request.store.putScoreRun(tenant, run, scores);
    const segmentModel = result.insights?.segments?.model;
    await request.store.putModel(tenant, { version: run.modelVersion, trainedAt: scoredAt, segmentModel });
  }
  return { result, run, scores, outputs };
}
