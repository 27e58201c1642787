/**
 * The stages as plain async functions over job data, so the BullMQ worker, the inline runner (no Redis) and
 * tests run the same code. A processor names no CRM: the adapter comes from the context, and so does the
 * tenant's stage lock (Redis in a worker, in-process inline), taken before anything is read.
 */
import type { z } from 'zod';
import { CallThrottledError } from '../../connectors/call-limiter';
import type { CrmAdapter, RetentionCampaignOutcome, SyncReport } from '../../connectors/crm-adapter';
import { CrmClvError } from '../../domain/errors';
import { retrainModels } from '../jobs/retrain-models';
import { syncTenant } from '../jobs/sync-tenant';
import { writeBackScores } from '../jobs/write-back-scores';
import { syncTenantSegmentLists } from '../jobs/sync-segment-lists';
import { syncTenantRetentionCampaigns } from '../jobs/sync-retention-campaigns';
import type { RecordStore } from '../state/record-store';
import { processScore, tenantSettings } from './score-processors';
import { whileLocked, type StageContext } from './stage-context';
import { retrainJobData, syncJobData, writebackJobData } from './stage-data';

// Where the score stage's steps and the context live; imported from here by the worker, the thread and tests.
export {
  processScore,
  processScoreCommit,
  processScoreFit,
  processScorePlan,
  processScorePrepare,
  processScoreShard,
  type PlanOutcome,
  type ScoreOutcome,
} from './score-processors';
export type { StageContext } from './stage-context';

export class WritebackIncompleteError extends CrmClvError<'WRITEBACK_INCOMPLETE'> {
  constructor(tenant: string, unwritten: number, why: string) {
    super(
      'WRITEBACK_INCOMPLETE',
      `${tenant}: write-back stopped with ${unwritten} contacts unwritten (${why}); it is retried`,
    );
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
  /** The segment lists step after the write: counts, or why it did not run or failed (the next run retries). */
  lists?: SegmentListsOutcome;
  /** The retention campaigns step after the lists (Salesforce): per-program counts, or why it did not run. */
  campaigns?: RetentionCampaignsOutcome;
};

export type RetentionCampaignsOutcome =
  | { status: 'synced'; programs: number; membersAdded: number; alreadyMembers: number; failed: number }
  | { status: 'unsupported' | 'no-programs' | 'failed'; reason: string };

/** As the lists: the campaigns follow the enrolments just written; a failure is reported, the next run retries. */
async function campaignsAfterWrite(
  adapter: CrmAdapter,
  store: RecordStore,
): Promise<RetentionCampaignsOutcome> {
  try {
    const step = await syncTenantRetentionCampaigns({ adapter, store });
    if (step.status !== 'synced') return step;
    const sum = (pick: (p: RetentionCampaignOutcome) => number) =>
      step.programs.reduce((total, p) => total + pick(p), 0);
    return {
      status: 'synced',
      programs: step.programs.length,
      membersAdded: sum((p) => p.membersAdded),
      alreadyMembers: sum((p) => p.alreadyMembers),
      failed: sum((p) => p.failed.length),
    };
  } catch (error) {
    return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

export type SegmentListsOutcome =
  | { status: 'synced'; created: number; updated: number; unchanged: number; skipped: number }
  | { status: 'unsupported' | 'no-run' | 'failed'; reason: string };

/**
 * Lists follow the values just written; a failure here (a portal without the lists scope, a limit) is
 * reported, not thrown, so the write-back it follows is not redone for it: the next run's step catches up.
 */
async function segmentListsAfterWrite(adapter: CrmAdapter, store: RecordStore): Promise<SegmentListsOutcome> {
  try {
    const step = await syncTenantSegmentLists({ adapter, store });
    if (step.status !== 'synced') return step;
    const { created, updated, unchanged, skipped } = step;
    return { status: 'synced', created, updated, unchanged, skipped };
  } catch (error) {
    return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

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
    const lists = await segmentListsAfterWrite(adapter, ctx.store);
    const campaigns = await campaignsAfterWrite(adapter, ctx.store);
    return {
      scores: result.scores,
      lists,
      campaigns,
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
