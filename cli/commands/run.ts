/**
 * `crm-clv run --tenant T [--stages sync,score,writeback] [--wait] [--json]`: enqueues a pipeline run of a
 * registered tenant for the workers; with --wait follows it and exits 0 when it completed, 1 when it failed.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { z } from 'zod';
import { enqueueRun, runStatus, type RunStatus } from '../../worker/queue/pipeline-runs';
import {
  connectClient,
  DEFAULT_REDIS_URL,
  queuePrefix,
  redisForClient,
  redisPrefix,
} from '../../worker/queue/redis-connection';
import { orderedStages } from '../../worker/queue/stages';
import { openTenantRegistry } from '../../worker/tenants';
import { TenantNotRegisteredError } from '../../worker/tenants/adapter-for-tenant';
import { CliOptionError } from '../errors';
import { isoDate } from '../options';
import { createStatusLine } from '../progress';
import { formatRunStatus } from './status';

const RunOptions = z.object({
  tenant: z.string().min(1),
  stages: z.string().default('sync,score,writeback'),
  mode: z.enum(['full', 'incremental']).default('incremental'),
  observationEnd: isoDate.optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'currency must be a 3-letter ISO 4217 code')
    .optional(),
  rates: z.string().optional(),
  runId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "run-id: 1–64 letters, digits, '_' or '-'")
    .optional(),
  shardCustomers: z.coerce.number().int().min(1).max(1_000_000).optional(),
  wait: z.boolean().default(false),
  json: z.boolean().default(false),
  timeoutSeconds: z.coerce.number().positive().default(3600),
});

export class RunFailedError extends Error {
  readonly code = 'RUN_FAILED';
}

export function runCommand(): Command {
  return new Command('run')
    .description('Enqueue a pipeline run (sync → score → write-back) of a registered tenant for the workers.')
    .requiredOption('--tenant <id>', 'a registered tenant, e.g. hubspot-1000')
    .option(
      '--stages <list>',
      'comma-separated stages of sync, retrain, score, writeback; run in that order',
      'sync,score,writeback',
    )
    .option('--mode <mode>', 'sync mode: full | incremental', 'incremental')
    .option('--observation-end <date>', 'last day of data for scoring, YYYY-MM-DD (default: yesterday)')
    .option('--currency <code>', 'base currency of the scores')
    .option('--rates <file.json>', 'currency rates: {"EUR": 1.08, ...} units of base currency per unit')
    .option(
      '--shard-customers <n>',
      'customers per score shard job (default 5000): smaller spreads a run wider',
    )
    .option('--run-id <id>', 'run id (default: run-<time>); the same id never runs twice')
    .option('--wait', 'follow the run until it ends; exit 0 when completed, 1 when failed')
    .option('--timeout-seconds <s>', 'with --wait, give up after this long', '3600')
    .option('--json', 'print the run (and with --wait its final status) as JSON')
    .action(async (raw: Record<string, unknown>) => {
      const opts = RunOptions.parse(raw);
      const stages = orderedStages(opts.stages.split(',').map((s) => s.trim()));
      const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
      const { registry, close } = await openTenantRegistry({
        dataDir: 'data',
        redisUrl: url,
        redisPrefix: redisPrefix(),
      });
      try {
        if ((await registry.get(opts.tenant)) === undefined) throw new TenantNotRegisteredError(opts.tenant);
      } finally {
        await close();
      }
      const redis = await connectClient(redisForClient(url), url);
      try {
        const runId = opts.runId ?? `run-${Date.now()}`;
        const data = {
          mode: opts.mode,
          observationEnd: opts.observationEnd,
          currency: opts.currency?.toUpperCase(),
          rates: opts.rates ? await readRates(opts.rates) : undefined,
          shardCustomers: opts.shardCustomers,
        };
        await enqueueRun(redis, queuePrefix(), { tenant: opts.tenant, runId, stages, data });
        if (!opts.wait) {
          process.stdout.write(
            opts.json
              ? `${JSON.stringify({ tenant: opts.tenant, runId, stages })}\n`
              : `Enqueued ${runId} for ${opts.tenant}: ${stages.join(' → ')}. Follow it with 'crm-clv status --tenant ${opts.tenant}'.\n`,
          );
          return;
        }
        const status = await follow(
          redis,
          opts.tenant,
          runId,
          stages,
          opts.timeoutSeconds * 1000,
          !opts.json,
        );
        process.stdout.write(opts.json ? `${JSON.stringify(status)}\n` : formatRunStatus(status));
        if (status.state !== 'completed')
          throw new RunFailedError(
            `run ${runId} of ${opts.tenant} ${status.state === 'failed' ? 'failed' : 'did not finish in time'}`,
          );
      } finally {
        redis.disconnect();
      }
    });
}

async function follow(
  redis: Awaited<ReturnType<typeof connectClient>>,
  tenant: string,
  runId: string,
  stages: ReturnType<typeof orderedStages>,
  timeoutMs: number,
  showProgress: boolean,
): Promise<RunStatus> {
  const line = showProgress ? createStatusLine() : undefined;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const status = await runStatus(redis, queuePrefix(), tenant, runId, stages);
      if (status.state === 'completed' || status.state === 'failed' || Date.now() > deadline) return status;
      line?.show(
        `  ${status.stages.map((s) => `${s.stage} ${s.state}${progressText(s.progress)}`).join(' → ')}`,
      );
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    line?.stop();
  }
}

function progressText(progress: unknown): string {
  if (typeof progress === 'number') return progress > 0 ? ` ${progress}%` : '';
  if (progress && typeof progress === 'object')
    return ` (${Object.entries(progress as Record<string, unknown>)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ')})`;
  return '';
}

export async function readRates(path: string): Promise<Record<string, number>> {
  const parsed = z
    .record(z.string().regex(/^[A-Za-z]{3}$/), z.number().positive())
    .safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success)
    throw new CliOptionError(
      `--rates ${path} must be a JSON object of 3-letter currency codes to positive numbers`,
    );
  return Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k.toUpperCase(), v]));
}
