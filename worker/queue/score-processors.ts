/**
 * The score stage's processors (./score-flow): plan, a prepare shard, the fit, a score shard, the commit, and
 * all of them in a row for one process (inline runs). Plain async functions over job data, as every stage's.
 */
import type { z } from 'zod';
import { parseCrmTenantId } from '../../domain/tenant';
import type { ScoreRun } from '../../domain/score';
import { storeSalesPerformance } from '../jobs/store-sales-performance';
import type { CleanedPart } from '../jobs/cleaned-part';
import { mergeCleanedParts } from '../jobs/merge-cleaned-parts';
import { segmentsReadFirst, withScoreSegments, type ScoreRunRequest } from '../jobs/score-run';
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
import { assertRates, tenantScoreInput } from '../jobs/tenant-score-input';
import { productLookups, TenantEmptyError } from '../jobs/tenant-transactions';
import { STANDARD_SCORE_SETTINGS } from '../pipeline/score-settings';
import type { ScoreRunSettings } from '../pipeline/score-transactions';
import type { RecordStore } from '../state/record-store';
import { whileLocked, type StageContext } from './stage-context';
import { prepareShardJobData, scoreJobData, scoreShardJobData, type ScoreJobData } from './stage-data';

const DAY_MS = 86_400_000;

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
export async function tenantSettings(data: ScoreJobData, ctx: StageContext): Promise<ScoreRunSettings> {
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
    await storeSalesPerformance(held, data.tenant, data.rates);
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
    await storeSalesPerformance(held, data.tenant, data.rates);
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
