/**
 * The stages as plain async functions over job data, so the BullMQ worker, the inline runner (no Redis) and
 * tests run the same code. A processor names no CRM: the adapter comes from the context, and so does the
 * tenant's stage lock (Redis in a worker, in-process inline), taken before anything is read.
 */
import type { z } from 'zod';
import { CallThrottledError } from '../../connectors/call-limiter';
import type { CrmAdapter, SyncReport } from '../../connectors/crm-adapter';
import { CrmClvError } from '../../domain/errors';
import { parseCrmTenantId, type TenantId } from '../../domain/tenant';
import { retrainModels } from '../jobs/retrain-models';
import type { ScoreRun } from '../../domain/score';
import { segmentsReadFirst, withScoreSegments, type ScoreRunRequest } from '../jobs/score-run';
import type { CleanedPart } from '../jobs/cleaned-part';
import { mergeCleanedParts } from '../jobs/merge-cleaned-parts';
import {
  partsRefused,
  planPrepare,
  prepareCleaning,
  prepareShard,
  readParts,
  segmentsFromParts,
  type PrepareOutcome,
  type PreparePlan,
} from '../jobs/score-prepare';
import {
  commitShardedRun,
  fitShardedRun,
  scoreShard,
  SHARD_CUSTOMERS,
  stagedRun,
  type ShardOutcome,
} from '../jobs/score-shards';
import { syncTenant } from '../jobs/sync-tenant';
import { assertRates, tenantScoreInput } from '../jobs/tenant-score-input';
import { productLookups, TenantEmptyError } from '../jobs/tenant-transactions';
import type { OwnerTaskSettings } from '../jobs/owner-tasks';
import { writeBackScores } from '../jobs/write-back-scores';
import type { StageLock } from '../locks/stage-lock';
import { adapterWhileHeld, storeWhileHeld } from '../locks/while-held';
import { STANDARD_SCORE_SETTINGS } from '../pipeline/score-settings';
import type { ScoreRunSettings } from '../pipeline/score-transactions';
import type { RecordStore } from '../state/record-store';
import {
  prepareShardJobData,
  retrainJobData,
  scoreJobData,
  scoreShardJobData,
  syncJobData,
  writebackJobData,
  type ScoreJobData,
} from './stage-data';
import type { Stage } from './stages';

const DAY_MS = 86_400_000;

export class WritebackIncompleteError extends CrmClvError<'WRITEBACK_INCOMPLETE'> {
  constructor(tenant: string, unwritten: number, why: string) {
    super(
      'WRITEBACK_INCOMPLETE',
      `${tenant}: write-back stopped with ${unwritten} contacts unwritten (${why}); it is retried`,
    );
  }
}

export type StageContext = {
  store: RecordStore;
  /** The tenant's adapter, connected; closed by the processor when done. */
  adapterFor(tenant: TenantId): Promise<CrmAdapter>;
  /** 0–100, or a small object the status command shows. */
  progress(value: number | Record<string, number | string>): Promise<void>;
  /** `<model>/<crm-clv version>`'s second half. */
  engineVersion: string;
  now?: () => Date;
  /**
   * Takes the tenant's lock for a stage, or throws StageLockHeldError when another run holds it (a worker
   * then delays the job). The processor releases it.
   */
  lock(stage: Stage, tenant: TenantId): Promise<StageLock>;
  /**
   * The tenant's owner-task setting (its registry entry's `ownerTasks`), read when its write-back runs, so a
   * `tenant add --owner-tasks` counts from the next write-back; absent or undefined: off.
   */
  ownerTasks?(tenant: TenantId): Promise<OwnerTaskSettings | undefined>;
};

/**
 * Runs `work` holding the tenant's lock for `stage`, with a store and adapters that stop writing if the lock
 * is lost on the way.
 */
async function whileLocked<T>(
  ctx: StageContext,
  stage: Stage,
  tenant: TenantId,
  work: (held: StageContext) => Promise<T>,
): Promise<T> {
  const lock = await ctx.lock(stage, tenant);
  try {
    return await work({
      ...ctx,
      store: storeWhileHeld(ctx.store, lock),
      adapterFor: async (t) => adapterWhileHeld(await ctx.adapterFor(t), lock),
    });
  } finally {
    // A release that fails (Redis gone) must not hide the stage's own outcome: the lock expires by itself.
    await lock.release().catch(() => false);
  }
}

export type SyncOutcome = Pick<
  SyncReport,
  'mode' | 'read' | 'written' | 'removed' | 'apiCalls' | 'rateLimitWaits'
> & {
  skipped: number;
};

export async function processSync(raw: unknown, ctx: StageContext): Promise<SyncOutcome> {
  const data = syncJobData.parse(raw);
  return whileLocked(ctx, 'sync', data.tenant, (held) => syncLocked(data, held));
}

async function syncLocked(data: z.infer<typeof syncJobData>, ctx: StageContext): Promise<SyncOutcome> {
  const adapter = await ctx.adapterFor(data.tenant);
  try {
    let reads = 0;
    const report = await syncTenant({
      adapter,
      store: ctx.store,
      mode: data.mode,
      onProgress: ({ phase, read }) => {
        // Progress is a Redis write: every 1,000 records is plenty for a progress bar.
        if (++reads % 1000 === 0) void ctx.progress({ phase, read });
      },
    });
    const { mode, read, written, removed, apiCalls, rateLimitWaits } = report;
    const skipped = Object.values(report.skipped).reduce((n, list) => n + list.length, 0);
    return { mode, read, written, removed, apiCalls, rateLimitWaits, skipped };
  } finally {
    adapter.close();
  }
}

export type ScoreOutcome = {
  runId: string;
  customers: number;
  modelVersion: string;
  scoredAt: string;
  shards?: number;
  /** Why the fit read and cleaned the tenant whole instead of merging the prepare shards' parts. */
  cleanedWhole?: string;
};

/** The run's observation end: the job's, or the day before the job runs (a whole day of data). */
function observationEndOf(data: ScoreJobData, ctx: StageContext): string {
  const now = (ctx.now ?? (() => new Date()))();
  return data.observationEnd ?? new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
}

/** The tenant's stored history as scoring settings (the standard ones, its currency, yesterday's end). */
async function tenantSettings(data: ScoreJobData, ctx: StageContext): Promise<ScoreRunSettings> {
  const input = await tenantScoreInput(ctx.store, data.tenant, {
    currency: data.currency,
    rates: data.rates,
    where: `the store of ${data.tenant}`,
  });
  return {
    ...STANDARD_SCORE_SETTINGS,
    transactions: `${data.tenant} (synced store)`,
    rows: input.rows,
    observationEnd: observationEndOf(data, ctx),
    baseCurrency: input.baseCurrency,
    currencyRates: input.rates,
    productCategories: input.productCategories,
    productNames: input.productNames,
    crm: input.crm,
  };
}

/**
 * The same settings from the run's prepare shards: their parts merged stand for the tenant's rows cleaned (what
 * the fit would otherwise read and clean itself), and their segments for the last run's. Refused, with the
 * reason, when the parts cannot stand for them (./score-prepare partsRefused) or the run has none (a job
 * enqueued before them); the parts' segments are used still when they are whole.
 */
async function settingsFromParts(
  data: z.infer<typeof scoreJobData>,
  ctx: StageContext,
): Promise<{ settings: ScoreRunSettings; store: RecordStore } | { refused: string; store: RecordStore }> {
  if (
    data.prepareShards === undefined ||
    data.baseCurrency === undefined ||
    data.observationEnd === undefined
  )
    return {
      refused: 'the run has no prepare shards',
      store: await segmentsReadFirst(ctx.store, data.tenant),
    };
  const prepare = {
    observationEnd: data.observationEnd,
    baseCurrency: data.baseCurrency,
    rates: data.rates ?? {},
  };
  void ctx.progress({ stage: 'Merging the prepared parts' });
  const prepared = await readParts(ctx.store, data.tenant, data.runId, data.prepareShards);
  const whole = prepared.every((p) => p !== undefined)
    ? segmentsFromParts(prepared, (await ctx.store.readScoreRunHeader(data.tenant))?.commit)
    : undefined;
  const store =
    whole === undefined
      ? await segmentsReadFirst(ctx.store, data.tenant)
      : withScoreSegments(ctx.store, data.tenant, Promise.resolve(whole.segments));
  const parts = prepared.map((p) => p?.cleaned);
  prepared.length = 0;
  const refused = partsRefused(parts, prepare, data.currency);
  if (refused !== null) return { refused, store };
  const merged = mergeCleanedParts(parts as CleanedPart[], prepareCleaning(prepare));
  parts.length = 0;
  if (merged.storedOrders === 0) throw new TenantEmptyError(data.tenant, `the store of ${data.tenant}`);
  assertRates(data.tenant, merged.currencies, prepare.baseCurrency, prepare.rates);
  const { productCategories, productNames } = productLookups(
    await ctx.store.readRecords(data.tenant, 'product'),
  );
  return {
    store,
    settings: {
      ...STANDARD_SCORE_SETTINGS,
      transactions: `${data.tenant} (synced store)`,
      observationEnd: prepare.observationEnd,
      baseCurrency: prepare.baseCurrency,
      currencyRates: prepare.rates,
      productCategories,
      productNames,
      crm: merged.crm,
      cleaned: merged.clean,
    },
  };
}

export type PlanOutcome = PreparePlan & { observationEnd: string };

/**
 * The score stage's plan (./score-flow): the observation end, the base currency and the number of prepare
 * shards, decided once for every shard of the run.
 */
export async function processScorePlan(raw: unknown, ctx: StageContext): Promise<PlanOutcome> {
  const data = scoreJobData.parse(raw);
  const plan = await planPrepare(ctx.store, data.tenant, {
    currency: data.currency,
    shardCustomers: data.shardCustomers ?? SHARD_CUSTOMERS,
  });
  return { ...plan, observationEnd: observationEndOf(data, ctx) };
}

/**
 * One prepare shard's part of the tenant. No tenant lock: it writes only its own scratch, which nothing but
 * its run's fit reads, and the fit holds the lock.
 */
export async function processScorePrepare(raw: unknown, ctx: StageContext): Promise<PrepareOutcome> {
  const data = prepareShardJobData.parse(raw);
  return prepareShard(ctx.store, data.tenant, data.runId, data.shard, data.shards, {
    observationEnd: data.observationEnd,
    baseCurrency: data.baseCurrency,
    rates: data.rates ?? {},
  });
}

/** The score stage whole in one process: plan, every prepare shard, the fit, every shard, the commit. */
export async function processScore(raw: unknown, ctx: StageContext): Promise<ScoreOutcome> {
  const data = scoreJobData.parse(raw);
  return whileLocked(ctx, 'score', data.tenant, async (held) => {
    const plan = await processScorePlan(data, held);
    for (let s = 0; s < plan.prepareShards; s++)
      await prepareShard(held.store, data.tenant, data.runId, s, plan.prepareShards, {
        observationEnd: plan.observationEnd,
        baseCurrency: plan.baseCurrency,
        rates: data.rates ?? {},
      });
    const fitted = await fitLocked({ ...data, ...plan }, held);
    for (let s = 0; s < fitted.shards; s++) await scoreShard(held.store, data.tenant, data.runId, s);
    const { run } = await commitShardedRun(held.store, data.tenant, data.runId, fitted.runId);
    return { ...outcomeOf(run), ...(fitted.cleanedWhole ? { cleanedWhole: fitted.cleanedWhole } : {}) };
  });
}

/** The score stage's fit step (./score-flow): merge the prepared parts, fit and stage the shards. */
export async function processScoreFit(raw: unknown, ctx: StageContext): Promise<ScoreOutcome> {
  const data = scoreJobData.parse(raw);
  return whileLocked(ctx, 'score', data.tenant, (held) => fitLocked(data, held));
}

async function fitLocked(
  data: z.infer<typeof scoreJobData>,
  ctx: StageContext,
): Promise<ScoreOutcome & { shards: number }> {
  const staged = await stagedRun(ctx.store, data.tenant, data.runId);
  if (staged) return { ...outcomeOf(staged.run), shards: staged.shards };
  // The score run starts from the tenant's promoted model version and its last run's segments; those are
  // read before the tenant's records (segmentsReadFirst), or were read by the prepare shards.
  const fromParts = await settingsFromParts(data, ctx);
  const held = { ...ctx, store: fromParts.store };
  let cleanedWhole: string | undefined;
  let settings: ScoreRunSettings;
  if ('settings' in fromParts) settings = fromParts.settings;
  else {
    cleanedWhole = fromParts.refused;
    void ctx.progress({ stage: `Reading the tenant whole: ${cleanedWhole}` });
    settings = await tenantSettings(data, held);
  }
  const { run, shards } = await fitShardedRun(
    scoreRequest(data, held, settings),
    data.runId,
    data.shardCustomers,
  );
  return { ...outcomeOf(run), shards, ...(cleanedWhole ? { cleanedWhole } : {}) };
}

/**
 * One shard's Scores, or a prepare shard's part. No tenant lock: a shard writes only its own part of a pending
 * run (or its scratch), which nothing reads until the commit (the fit), and those hold the lock.
 */
export async function processScoreShard(
  raw: unknown,
  ctx: StageContext,
): Promise<ShardOutcome | PrepareOutcome> {
  if ((raw as { task?: unknown } | null)?.task === 'prepare') return processScorePrepare(raw, ctx);
  const data = scoreShardJobData.parse(raw);
  return scoreShard(ctx.store, data.tenant, data.runId, data.shard);
}

/** The score stage's last step: the shards made current together. */
export async function processScoreCommit(raw: unknown, ctx: StageContext): Promise<ScoreOutcome> {
  const data = scoreJobData.parse(raw);
  return whileLocked(ctx, 'score', data.tenant, async (held) => {
    const { run } = await commitShardedRun(held.store, data.tenant, data.runId, data.scoreRunId);
    return { ...outcomeOf(run), ...(data.cleanedWhole ? { cleanedWhole: data.cleanedWhole } : {}) };
  });
}

function scoreRequest(
  data: z.infer<typeof scoreJobData>,
  ctx: StageContext,
  settings: ScoreRunSettings,
): ScoreRunRequest & { store: RecordStore } {
  return {
    settings,
    tenant: data.tenant,
    source: parseCrmTenantId(data.tenant)?.crm ?? 'hubspot',
    engineVersion: ctx.engineVersion,
    store: ctx.store,
    now: ctx.now,
    hooks: { stage: (name) => void ctx.progress({ stage: name }) },
  };
}

const outcomeOf = (run: ScoreRun): ScoreOutcome => ({
  runId: run.runId,
  customers: run.customers,
  modelVersion: run.modelVersion,
  scoredAt: run.scoredAt,
});

export type RetrainOutcomeSummary = {
  version: string;
  promoted: boolean;
  reasons: string[];
  drift: Record<string, number>;
};

/** Fits a candidate model version and promotes it unless it is clearly worse (jobs/retrain-models). */
export async function processRetrain(raw: unknown, ctx: StageContext): Promise<RetrainOutcomeSummary> {
  const data = retrainJobData.parse(raw);
  // Scoring and retraining both replace the tenant's model: one lock keeps them from crossing.
  return whileLocked(ctx, 'score', data.tenant, (held) => retrainLocked(data, held));
}

async function retrainLocked(
  data: z.infer<typeof retrainJobData>,
  ctx: StageContext,
): Promise<RetrainOutcomeSummary> {
  void ctx.progress({ stage: 'retraining' });
  const outcome = await retrainModels({
    store: ctx.store,
    tenant: data.tenant,
    settings: await tenantSettings(data, ctx),
    holdoutDays: data.holdoutDays,
    now: ctx.now,
  });
  return {
    version: outcome.version,
    promoted: outcome.promoted,
    reasons: outcome.reasons,
    drift: outcome.drift,
  };
}

export type WritebackOutcome = {
  scores: number;
  /** Customers an interrupted write-back had sent that already held the values (recorded, not resent). */
  settled: number;
  changed: number;
  written: number;
  failed: number;
  writeCalls: number;
  /** Owner tasks, when the tenant has them on: created, skipped as already open, created without an owner. */
  tasks?: { created: number; alreadyOpen: number; noOwner: number; failed: number; unknown: number };
};

export async function processWriteback(raw: unknown, ctx: StageContext): Promise<WritebackOutcome> {
  const data = writebackJobData.parse(raw);
  return whileLocked(ctx, 'writeback', data.tenant, (held) => writebackLocked(data, held));
}

async function writebackLocked(
  data: z.infer<typeof writebackJobData>,
  ctx: StageContext,
): Promise<WritebackOutcome> {
  const ownerTasks = await ctx.ownerTasks?.(data.tenant);
  const adapter = await ctx.adapterFor(data.tenant);
  try {
    const result = await writeBackScores({
      adapter,
      store: ctx.store,
      ownerTasks,
      now: ctx.now,
      onProgress: (p) => {
        if ('batchesDone' in p) void ctx.progress({ batches: p.batchesDone, of: p.batchesInRound });
      },
    });
    const w = result.written;
    // The tenant gave its turn away at its rate limit: resume later with what is left (the rest is recorded).
    if (w.stopped?.code === 'CALL_THROTTLED')
      throw new CallThrottledError('API', Date.parse(w.stopped.resetAt ?? '') || Date.now());
    // A limit stopped the run: fail the job so BullMQ retries it later; what was confirmed is recorded, so the
    // retry sends only the rest.
    if (w.stopped) throw new WritebackIncompleteError(data.tenant, w.failed.length, w.stopped.message);
    const t = result.tasks;
    if (t?.stopped?.code === 'CALL_THROTTLED')
      throw new CallThrottledError('API', Date.parse(t.stopped.resetAt ?? '') || Date.now());
    // Tasks stopped at a limit, or sent with no answer: the retry creates the rest and settles those.
    if (t !== undefined && (t.stopped !== undefined || t.unknown > 0))
      throw new WritebackIncompleteError(
        data.tenant,
        0,
        `owner tasks: ${t.stopped?.message ?? `${t.unknown} creates unanswered`}`,
      );
    return {
      scores: result.scores,
      settled: result.settled.confirmed,
      changed: w.customersChanged,
      written: w.customersWritten,
      failed: w.failed.length,
      writeCalls: w.writeCalls,
      ...(t === undefined
        ? {}
        : {
            tasks: {
              created: t.created,
              alreadyOpen: t.alreadyOpen,
              noOwner: t.noOwner,
              failed: t.failed.length,
              unknown: t.unknown,
            },
          }),
    };
  } finally {
    adapter.close();
  }
}

export const STAGE_PROCESSORS = {
  sync: processSync,
  score: processScore,
  writeback: processWriteback,
} as const;

/** Every queue's processor: the pipeline's stages and the retrain, which runs on its own schedule. */
export const QUEUE_PROCESSORS = { ...STAGE_PROCESSORS, retrain: processRetrain } as const;
