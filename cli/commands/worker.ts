/**
 * `crm-clv worker [--concurrency N]`: a worker process. Takes sync, score and write-back jobs of every
 * registered tenant from Redis (REDIS_URL), keeps state in Redis, and stops within a bounded time on SIGTERM.
 * On start it makes the tenants' schedules those of the registry (tenant-schedules.ts) and turns their ticks
 * into runs.
 */
import type { Job } from 'bullmq';
import { Command } from 'commander';
import { z } from 'zod';
import { redactUrl } from '../../connectors/hubspot/redact-url';
import {
  DEFAULT_REDIS_URL,
  evictionPolicyWarning,
  redisForWorker,
  queuePrefix,
  redisPrefix,
} from '../../worker/queue/redis-connection';
import { redisLimiterFactory } from '../../worker/limits/redis-call-limiter';
import { redisStageLocks } from '../../worker/locks';
import { startWorkers } from '../../worker/queue/start-workers';
import {
  describeScheduleChanges,
  startTickWorker,
  syncTenantSchedules,
} from '../../worker/queue/tenant-schedules';
import { RedisRecordStore } from '../../worker/state';
import { adapterForTenant } from '../../worker/tenants/adapter-for-tenant';
import { openTenantRegistry } from '../../worker/tenants';
import { numberText } from '../options';
import { packageVersion } from '../version';

const WorkerOptions = z.object({
  concurrency: numberText('concurrency')
    .refine(
      (v) => Number.isInteger(v) && v >= 1 && v <= 64,
      'concurrency must be a whole number from 1 to 64',
    )
    .default('1'),
  graceSeconds: numberText('grace-seconds')
    .refine((v) => v >= 0 && v <= 600, 'grace-seconds must be from 0 to 600')
    .default('30'),
  lockSeconds: numberText('lock-seconds')
    .refine((v) => v >= 2 && v <= 3600, 'lock-seconds must be from 2 to 3600')
    .optional(),
});

export function workerCommand(): Command {
  return new Command('worker')
    .description(
      'Run a worker process: sync, score and write-back jobs of every tenant, from Redis (REDIS_URL), ' +
        "and each tenant's scheduled syncs, rescoring and retraining.",
    )
    .option('--concurrency <n>', 'jobs per stage queue at once in this process', '1')
    .option(
      '--grace-seconds <s>',
      'on SIGTERM, how long running jobs may finish before the process exits',
      '30',
    )
    .option(
      '--lock-seconds <s>',
      "how long a dead worker's job stays taken before another worker resumes it (default: 60 for sync and " +
        'write-back, 600 for scoring, which holds the event loop while it fits)',
    )
    .action(async (raw: Record<string, unknown>) => {
      const opts = WorkerOptions.parse(raw);
      const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
      const redis = redisForWorker(url);
      const warning = await evictionPolicyWarning(redis);
      if (warning) process.stderr.write(`warning: ${warning}\n`);
      const { registry, close: closeRegistry } = await openTenantRegistry({
        dataDir: 'data',
        redisUrl: url,
        redisPrefix: redisPrefix(),
      });
      const store = new RedisRecordStore({ redis, prefix: redisPrefix() });
      const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
      // --lock-seconds sets both locks a dead worker leaves behind: the BullMQ job's and the tenant's stage lock,
      // so a job resumed by another worker is not then held off by the stage lock for the default span.
      const lockMs = opts.lockSeconds === undefined ? undefined : opts.lockSeconds * 1000;
      const locks = redisStageLocks({
        redis,
        prefix: redisPrefix(),
        onLost: (error) => log(error.message),
        ...(lockMs === undefined ? {} : { ttlMs: { sync: lockMs, score: lockMs, writeback: lockMs } }),
      });
      const running = startWorkers({
        connection: redis,
        prefix: queuePrefix(),
        concurrency: opts.concurrency,
        ...(lockMs === undefined ? {} : { lockMs, lockRetryMs: lockMs }),
        log,
        // Scoring and retraining run in worker threads, so this process's loop keeps every lock renewed.
        threads: { redisUrl: url, redisPrefix: redisPrefix(), engineVersion: packageVersion() },
        context: (job: Job, turn) => ({
          store,
          engineVersion: packageVersion(),
          progress: (value) => job.updateProgress(value),
          // Every worker process counts the tenant's calls in one place, so N workers stay inside one limit.
          adapterFor: (tenant) =>
            adapterForTenant(registry, tenant, {
              limiterFactory: redisLimiterFactory({
                redis,
                prefix: redisPrefix(),
                tenant,
                yieldWhen: turn.yieldWhen,
              }),
            }),
          lock: (stage, tenant) => locks.acquire(tenant, stage),
          ownerTasks: async (tenant) => (await registry.get(tenant))?.ownerTasks,
          acquisitionSpend: async (tenant) => (await registry.get(tenant))?.acquisitionSpend,
        }),
      });
      const ticks = startTickWorker({
        connection: redis,
        prefix: queuePrefix(),
        isRegistered: async (tenant) => (await registry.get(tenant)) !== undefined,
        log,
      });
      log(
        `worker ${process.pid} on ${redactUrl(url)}, concurrency ${opts.concurrency} per queue; Ctrl-C or SIGTERM stops it`,
      );
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: finishing running jobs (at most ${opts.graceSeconds} s)…`);
          Promise.all([running.close(opts.graceSeconds * 1000), ticks.close()])
            .then(closeRegistry)
            .then(() => redis.quit())
            .finally(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      try {
        const changes = await syncTenantSchedules({ connection: redis, prefix: queuePrefix(), registry });
        log(`schedules: ${describeScheduleChanges(changes)}`);
      } catch (error) {
        // The schedules stay as they were; runs and the ticks already scheduled go on.
        log(
          `schedules not updated: ${error instanceof Error ? error.message : String(error)} ` +
            '(fix that, then restart the worker or run `crm-clv tenant add` again)',
        );
      }
      await stopped;
    });
}
