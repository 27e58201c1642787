/**
 * The stages as plain async functions over job data, so the BullMQ worker, the inline runner (no Redis) and
 * tests run the same code. A processor names no CRM: the adapter comes from the context.
 */
import { CallThrottledError } from '../../connectors/call-limiter';
import type { CrmAdapter, SyncReport } from '../../connectors/crm-adapter';
import { CrmClvError } from '../../domain/errors';
import type { TenantId } from '../../domain/tenant';
import { runScore } from '../jobs/score-run';
import { syncTenant } from '../jobs/sync-tenant';
import { tenantScoreInput } from '../jobs/tenant-score-input';
import { writeBackScores } from '../jobs/write-back-scores';
import { STANDARD_SCORE_SETTINGS } from '../pipeline/score-settings';
import type { RecordStore } from '../state/record-store';
import { scoreJobData, syncJobData, writebackJobData } from './stage-data';

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
};

export type SyncOutcome = Pick<
  SyncReport,
  'mode' | 'read' | 'written' | 'removed' | 'apiCalls' | 'rateLimitWaits'
> & {
  skipped: number;
};

export async function processSync(raw: unknown, ctx: StageContext): Promise<SyncOutcome> {
  const data = syncJobData.parse(raw);
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

export type ScoreOutcome = { runId: string; customers: number; modelVersion: string; scoredAt: string };

export async function processScore(raw: unknown, ctx: StageContext): Promise<ScoreOutcome> {
  const data = scoreJobData.parse(raw);
  const now = (ctx.now ?? (() => new Date()))();
  const observationEnd = data.observationEnd ?? new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
  const input = await tenantScoreInput(ctx.store, data.tenant, {
    currency: data.currency,
    rates: data.rates,
    where: `the store of ${data.tenant}`,
  });
  const source = data.tenant.startsWith('salesforce-') ? 'salesforce' : 'hubspot';
  const { run } = await runScore({
    settings: {
      ...STANDARD_SCORE_SETTINGS,
      transactions: `${data.tenant} (synced store)`,
      rows: [input.rows],
      observationEnd,
      baseCurrency: input.baseCurrency,
      currencyRates: input.rates,
      productCategories: input.productCategories,
      productNames: input.productNames,
      crm: input.crm,
    },
    tenant: data.tenant,
    source,
    engineVersion: ctx.engineVersion,
    store: ctx.store,
    now: ctx.now,
    hooks: { stage: (name) => void ctx.progress({ stage: name }) },
  });
  return {
    runId: run.runId,
    customers: run.customers,
    modelVersion: run.modelVersion,
    scoredAt: run.scoredAt,
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
};

export async function processWriteback(raw: unknown, ctx: StageContext): Promise<WritebackOutcome> {
  const data = writebackJobData.parse(raw);
  const adapter = await ctx.adapterFor(data.tenant);
  try {
    const result = await writeBackScores({
      adapter,
      store: ctx.store,
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
    return {
      scores: result.scores,
      settled: result.settled.confirmed,
      changed: w.customersChanged,
      written: w.customersWritten,
      failed: w.failed.length,
      writeCalls: w.writeCalls,
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
