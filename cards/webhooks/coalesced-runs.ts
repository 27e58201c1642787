/**
 * Webhook runs, coalesced: every event of a portal that arrives within one time window leads to the same run,
 * `webhook-<window start ms>` (an incremental sync, then score and write-back), so a burst of a thousand changes
 * makes one run, and a repeat adds nothing (enqueueRun's job ids are derived from the run id, as a schedule
 * tick's are from its time: worker/queue/tenant-schedules.ts).
 *
 * The run's sync is delayed until the window has closed (plus `settleMs`, HubSpot's search results "may lag
 * writes", NOTES §4.1): a change that arrives late in the window is then still read by that window's sync,
 * where a run started at the window's first event could have synced before it and never seen it.
 */
import type { Redis } from 'ioredis';
import type { TenantId } from '../../domain/tenant';
import { enqueueRun } from '../../worker/queue/pipeline-runs';
import type { RunStage } from '../../worker/queue/stages';

export const WEBHOOK_RUN_STAGES: readonly RunStage[] = ['sync', 'score', 'writeback'];

export type CoalescingOptions = {
  /** Window length; default 5 minutes. */
  windowMs?: number;
  /** Extra wait after the window before the sync starts; default 15 s. */
  settleMs?: number;
  now?: () => number;
};

export type WebhookRun = { tenant: TenantId; runId: string };

/** The run a change at `at` belongs to. Example: webhookRunId(1_700_000_123_456, 300_000) → 'webhook-1700000100000'. */
export function webhookRunId(at: number, windowMs: number): string {
  return `webhook-${Math.floor(at / windowMs) * windowMs}`;
}

export type RunCoalescer = {
  /** Enqueues the tenant's run of the current window, once per window and process; resolves when it is in Redis. */
  ensureRun(tenant: TenantId): Promise<WebhookRun>;
};

export function createRunCoalescer(
  connection: () => Redis,
  queuePrefix: string,
  options: CoalescingOptions = {},
): RunCoalescer {
  const windowMs = options.windowMs ?? 5 * 60_000;
  const settleMs = options.settleMs ?? 15_000;
  const now = options.now ?? Date.now;
  // The run each tenant was last given by this process: enqueueRun again would add nothing but cost round trips.
  const enqueued = new Map<TenantId, { runId: string; done: Promise<void> }>();

  return {
    async ensureRun(tenant) {
      const at = now();
      const runId = webhookRunId(at, windowMs);
      const known = enqueued.get(tenant);
      if (known?.runId === runId) {
        await known.done;
        return { tenant, runId };
      }
      const windowEnd = Math.floor(at / windowMs) * windowMs + windowMs;
      const done = enqueueRun(connection(), queuePrefix, {
        tenant,
        runId,
        stages: WEBHOOK_RUN_STAGES,
        data: { mode: 'incremental' },
        delayMs: windowEnd + settleMs - at,
      });
      enqueued.set(tenant, { runId, done });
      try {
        await done;
      } catch (error) {
        // Not remembered: the next delivery (HubSpot's retry of this one) enqueues it again.
        if (enqueued.get(tenant)?.done === done) enqueued.delete(tenant);
        throw error;
      }
      return { tenant, runId };
    },
  };
}
