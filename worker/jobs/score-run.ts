/**
 * The score stage: the engine on a tenant's transactions, its Scores and segment model into the store (the
 * hand-off to write-back and the card), and the run exported to a directory when one is given.
 *
 * A run that fails, at any step (bad input, a non-finite score, a failed write), removes the previous run's
 * result files from the output directory, so nothing there can pass for this run's results; the error says
 * which were removed. The exports themselves are written all or nothing (write-score-outputs).
 */
import type { RecordSource } from '../../domain/records';
import type { Score, ScoreRun } from '../../domain/score';
import { assertValidRun, assertValidScores, buildScores } from '../pipeline/build-scores';
import { measurePrograms } from '../programs/measure-programs';
import type { AcquisitionSpend } from '../analytics/performance';
import { runSalesFigures } from './run-sales-figures';
import { nextVersion, reusableModel, trainedVersion } from '../pipeline/model-versions';
import { previousRunFromState } from '../pipeline/previous-run';
import {
  scoreTransactions,
  type ScoreHooks,
  type ScoreResult,
  type ScoreRunSettings,
} from '../pipeline/score-transactions';
import { removeScoreResults, writeScoreOutputs, type WrittenOutputs } from '../pipeline/write-score-outputs';
import type { ModelVersion, RecordStore, StoredModel } from '../state/record-store';

export type ScoreRunRequest = {
  settings: ScoreRunSettings;
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
  /** The tenant's acquisition spend (its registry entry), for the report's channel CAC; none: CLV only. */
  acquisitionSpend?: readonly AcquisitionSpend[];
};

export type ScoreRunResult = {
  result: ScoreResult;
  run: ScoreRun;
  /** Without a store, built when first read: a run that only exports files never holds them all. */
  scores: Score[];
  outputs?: WrittenOutputs;
};

export async function runScore(request: ScoreRunRequest): Promise<ScoreRunResult> {
  try {
    return await scoreAndExport(request);
  } catch (error) {
    if (request.outDir !== undefined) await removePreviousResults(request.outDir, error);
    throw error;
  }
}

/** A scored run before anything is stored: what the single-process path and the sharded flow both start from. */
export type PreparedRun = {
  result: ScoreResult;
  run: ScoreRun;
  settings: ScoreRunSettings;
  /** What the tenant's stored model becomes when this run is committed (merged into the model stored then). */
  modelUpdate: ModelUpdate | null;
};

/** A run's part of the stored model: a retrain between scoring and committing keeps its promoted versions. */
export type ModelUpdate = {
  version: string;
  trainedAt: string;
  segmentModel?: unknown;
  /** The tenant's first version, made by this run when the tenant had none. */
  firstVersion?: ModelVersion;
};

/** Scores the tenant's data with its promoted model and last segments (when stored); stores nothing. */
export async function prepareScoreRun(request: ScoreRunRequest): Promise<PreparedRun> {
  const { tenant, hooks = {} } = request;
  // A stored tenant scores with its promoted model version (the worker and `crm-clv score --tenant` alike, so
  // switching between them rewrites nothing); its first run becomes v1. A model named explicitly is fitted.
  const stored = request.store === undefined ? undefined : await request.store.getModel(tenant);
  const reuse =
    request.settings.reuseModel ??
    (request.settings.model === 'auto' && stored?.current ? reusableModel(stored.current) : undefined);
  // Segment ids stay those of the tenant's last run unless the caller named a previous run (--previous-run).
  const previous =
    request.settings.previous ??
    (request.store !== undefined && stored?.segmentModel !== undefined
      ? previousRunFromState(
          stored.segmentModel,
          // Only the segments: the last run's Scores whole would be ~2.5 GB at a million customers.
          await request.store.readScoreSegments(tenant),
          `the stored model of ${tenant}`,
        )
      : undefined);
  const settings = {
    ...request.settings,
    ...(reuse === undefined ? {} : { reuseModel: reuse }),
    ...(previous === undefined ? {} : { previous }),
  };
  const version =
    reuse?.version ??
    (request.store !== undefined && stored?.current === undefined ? nextVersion(undefined) : undefined);
  const result = await scoreTransactions(settings, hooks);
  const scoredAt = (request.now ?? (() => new Date()))().toISOString();
  const run: ScoreRun = {
    runId: `run-${Date.parse(scoredAt)}`,
    tenant,
    source: request.source,
    scoredAt,
    modelVersion: `${version ? `${version}-` : ''}${result.report.selectedModel}/${request.engineVersion}`,
    clvMonths: settings.clvMonths,
    currency: settings.baseCurrency,
    customers: result.summary.ids.length,
  };
  const modelUpdate: ModelUpdate | null =
    request.store === undefined
      ? null
      : {
          version: run.modelVersion,
          trainedAt: scoredAt,
          segmentModel: result.insights?.segments?.model,
          // The promoted versions stay as they are (a retrain replaces them); a tenant's first run is its v1.
          ...(stored?.current === undefined
            ? { firstVersion: trainedVersion(result, nextVersion(undefined), scoredAt, null) }
            : {}),
        };
  return { result, run, settings, modelUpdate };
}

/**
 * The store with the tenant's last-run segments already read (when its stored model has segments, the only
 * case prepareScoreRun asks for them): a score job calls this before it reads the tenant's orders. Read after
 * them, the run's Scores (~1.7 GB at a million customers) stream through a heap holding ~2 GB of orders and
 * customers, and every collection they set off marks all of it: ~50 s instead of ~5 s.
 */
export async function segmentsReadFirst(store: RecordStore, tenant: string): Promise<RecordStore> {
  if ((await store.getModel(tenant))?.segmentModel === undefined) return store;
  const segments = store.readScoreSegments(tenant);
  // Awaited here, so a bad stored Score fails now; a later read in this job gets the same answer.
  await segments;
  return withScoreSegments(store, tenant, segments);
}

/** The store answering readScoreSegments for the tenant with segments already read (by the caller, or in parts). */
export function withScoreSegments(
  store: RecordStore,
  tenant: string,
  segments: Promise<Map<string, string> | undefined>,
): RecordStore {
  return new Proxy(store, {
    get(target, name) {
      if (name === 'readScoreSegments')
        return (t: string) => (t === tenant ? segments : target.readScoreSegments(t));
      const value: unknown = Reflect.get(target, name);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The stored model with a committed run's part applied to it. */
export function withRunModel(stored: StoredModel | undefined, update: ModelUpdate): StoredModel {
  return {
    ...stored,
    version: update.version,
    trainedAt: update.trainedAt,
    segmentModel: update.segmentModel,
    current: stored?.current ?? update.firstVersion,
  };
}

async function scoreAndExport(request: ScoreRunRequest): Promise<ScoreRunResult> {
  const { tenant, hooks = {} } = request;
  const { result, run, settings, modelUpdate } = await prepareScoreRun(request);
  // Scores are checked before anything is put in place: a non-finite one stops the run with nothing exported.
  // A file-only run checks them slice by slice as its files are written (the files are swapped in only after
  // the last slice passed) and builds the array only if a caller asks for it.
  let scores: Score[] | null = null;
  if (request.store !== undefined) {
    scores = buildScores(result, run);
    assertValidScores(scores);
  } else if (request.outDir === undefined) assertValidRun(result, run);
  let outputs: WrittenOutputs | undefined;
  if (request.outDir !== undefined) {
    hooks.stage?.('Writing outputs');
    const programs = request.store && (await measurePrograms(request.store, tenant, new Date(run.scoredAt)));
    // A run from a file has no deals, owners or campaigns: its report says so (null) rather than leaving them out.
    const sales =
      request.store === undefined || scores === null
        ? null
        : await runSalesFigures(request.store, run, scores, {
            rates: settings.currencyRates,
            spend: request.acquisitionSpend,
          });
    outputs = await writeScoreOutputs(request.outDir, result, run, settings.previous?.dir, {
      validate: request.store === undefined,
      ...(programs ? { programs } : {}),
      sales,
    });
  }
  if (request.store !== undefined && modelUpdate !== null) {
    hooks.stage?.('Storing scores');
    await request.store.putScoreRun(tenant, run, scores ?? buildScores(result, run));
    await request.store.putModel(tenant, withRunModel(await request.store.getModel(tenant), modelUpdate));
  }
  return {
    result,
    run,
    get scores() {
      return (scores ??= buildScores(result, run));
    },
    outputs,
  };
}

/** Removes the previous results after a failed run and adds to the error's message what was removed. */
async function removePreviousResults(dir: string, error: unknown): Promise<void> {
  let note: string;
  try {
    const removed = await removeScoreResults(dir);
    if (removed.length === 0) return;
    note = `(removed the previous run's ${removed.join(', ')} from ${dir}, so they cannot pass for this run's results)`;
  } catch (cleanup) {
    const why = cleanup instanceof Error ? cleanup.message : String(cleanup);
    note = `(the previous run's results could not all be removed from ${dir}; what is left there is not this run's: ${why})`;
  }
  if (error instanceof Error) error.message += `\n${note}`;
}
