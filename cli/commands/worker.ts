/**
 * `crm-clv worker [--concurrency N]`: a worker process. Takes sync, score and write-back jobs of every
 * registered tenant from Redis (REDIS_URL), keeps state in Redis, and stops within a bounded time on SIGTERM.
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
import { startWorkers } from '../../worker/queue/start-workers';
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
      'Run a worker process: sync, score and write-back jobs of every tenant, from Redis (REDIS_URL).',
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
      const running = startWorkers({
        connection: redis,
        prefix: queuePrefix(),
        concurrency: opts.concurrency,
        ...(opts.lockSeconds === undefined ? {} : { lockMs: opts.lockSeconds * 1000 }),
        log,
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
        }),
      });
      log(
        `worker ${process.pid} on ${redactUrl(url)}, concurrency ${opts.concurrency} per queue; Ctrl-C or SIGTERM stops it`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: finishing running jobs (at most ${opts.graceSeconds} s)…`);
          running
            .close(opts.graceSeconds * 1000)
            .then(closeRegistry)
            .then(() => redis.quit())
            .finally(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
