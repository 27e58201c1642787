/**
 * `crm-clv status [--tenant T] [--json]`: the tenants' recent runs with each stage's state and progress, the
 * model version in use, the last error, and when each of the tenant's schedules next ticks.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { recentRuns, runStatus, type RunStatus } from '../../worker/queue/pipeline-runs';
import {
  connectClient,
  DEFAULT_REDIS_URL,
  queuePrefix,
  redisForClient,
  redisPrefix,
} from '../../worker/queue/redis-connection';
import { nextScheduledTimes, type ScheduleKind } from '../../worker/queue/tenant-schedules';
import { RedisRecordStore } from '../../worker/state';
import { openTenantRegistry } from '../../worker/tenants';

const StatusOptions = z.object({
  tenant: z.string().min(1).optional(),
  runs: z.coerce.number().int().min(1).max(50).default(5),
  json: z.boolean().default(false),
});

export type TenantStatus = {
  tenant: string;
  modelVersion?: string;
  trainedAt?: string;
  runs: RunStatus[];
  lastError?: string;
  /** When each schedule next ticks (ISO, UTC); empty until the worker or `tenant add` has made them. */
  nextScheduled: Partial<Record<ScheduleKind, string>>;
};

export function statusCommand(): Command {
  return new Command('status')
    .description(
      'Show recent pipeline runs per tenant: stages, progress, model version, last error, next scheduled runs.',
    )
    .option('--tenant <id>', 'one tenant (default: every registered tenant)')
    .option('--runs <n>', 'runs per tenant', '5')
    .option('--json', 'print JSON')
    .action(async (raw: Record<string, unknown>) => {
      const opts = StatusOptions.parse(raw);
      const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
      const redis = await connectClient(redisForClient(url), url);
      const { registry, close } = await openTenantRegistry({
        dataDir: 'data',
        redisUrl: url,
        redisPrefix: redisPrefix(),
      });
      try {
        const tenants = opts.tenant ? [opts.tenant] : (await registry.list()).map((t) => t.tenant);
        const store = new RedisRecordStore({ redis, prefix: redisPrefix() });
        const out: TenantStatus[] = [];
        for (const tenant of tenants) {
          const runs: RunStatus[] = [];
          for (const entry of await recentRuns(redis, queuePrefix(), tenant, opts.runs))
            runs.push(await runStatus(redis, queuePrefix(), tenant, entry.runId, entry.stages));
          const model = await store.getModel(tenant);
          const lastError = runs.flatMap((r) => r.stages).find((s) => s.failedReason)?.failedReason;
          out.push({
            tenant,
            runs,
            nextScheduled: await nextScheduledTimes(redis, queuePrefix(), tenant),
            ...(model ? { modelVersion: model.version, trainedAt: model.trainedAt } : {}),
            ...(lastError ? { lastError } : {}),
          });
        }
        process.stdout.write(opts.json ? `${JSON.stringify(out, null, 2)}\n` : formatStatus(out));
      } finally {
        await close();
        redis.disconnect();
      }
    });
}

export function formatRunStatus(run: RunStatus): string {
  const lines = [`  ${run.runId}: ${run.state}`];
  for (const s of run.stages)
    lines.push(
      `    ${s.stage.padEnd(9)} ${s.state.padEnd(10)}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}` +
        (s.failedReason ? ` — ${s.failedReason}` : s.result ? ` ${JSON.stringify(s.result)}` : ''),
    );
  return lines.join('\n') + '\n';
}

function formatStatus(tenants: TenantStatus[]): string {
  if (tenants.length === 0) return "No tenants registered: add one with 'crm-clv tenant add'.\n";
  return tenants
    .map(
      (t) =>
        `${t.tenant}: model ${t.modelVersion ?? 'none yet'}${t.trainedAt ? ` (trained ${t.trainedAt})` : ''}\n` +
        formatNextScheduled(t.nextScheduled) +
        (t.runs.length === 0 ? '  no runs yet\n' : t.runs.map(formatRunStatus).join('')) +
        (t.lastError ? `  last error: ${t.lastError}\n` : ''),
    )
    .join('');
}

function formatNextScheduled(next: TenantStatus['nextScheduled']): string {
  const entries = Object.entries(next);
  if (entries.length === 0)
    return '  not scheduled: `crm-clv worker` schedules the registered tenants when it starts\n';
  return `  next: ${entries.map(([kind, at]) => `${kind} ${at}`).join(', ')}\n`;
}
