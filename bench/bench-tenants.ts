/**
 * What the multi-process benches share: a seeded sandbox portal synced and scored into a store (a tenant as it
 * is before its nightly rescore: the model version exists), and a score worker process (startWorkers with the
 * fit in a worker thread, one job per queue at a time) that stops on a 'stop' message.
 */
import { Redis } from 'ioredis';
import { createHubSpotConnection } from '../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../connectors/hubspot/hubspot-adapter';
import { createHubSpotSandbox, DEFAULT_OBSERVATION_END } from '../connectors/hubspot/sandbox';
import type { TenantId } from '../domain/tenant';
import { inProcessStageLocks } from '../worker/locks';
import { runInline } from '../worker/queue/inline-runner';
import type { StageContext } from '../worker/queue/stage-processors';
import { startWorkers } from '../worker/queue/start-workers';
import { RedisRecordStore } from '../worker/state';

const TOKEN = 'bench-token';

/** The day before the sandbox's data end, and the rates its multi-currency deals need. */
export const SANDBOX_RUN_DATA = {
  observationEnd: new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10),
  currency: 'USD',
  rates: { EUR: 1.08, GBP: 1.27 },
};

/** A `hubspot-<portal>` tenant from a seeded sandbox, synced and scored once at no rate limit. */
export async function seedSandboxTenant(
  store: RedisRecordStore,
  tenant: TenantId,
  seed: number,
  contacts: number,
): Promise<void> {
  const portalId = tenant.slice('hubspot-'.length);
  const sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId,
    seed,
    contacts,
    rateLimit: { perTenSeconds: 1_000_000, searchPerSecond: 1_000_000 },
  });
  const running = await sandbox.listen(0);
  const locks = inProcessStageLocks();
  const context: StageContext = {
    store,
    engineVersion: 'bench',
    progress: async () => {},
    lock: (stage, t) => locks.acquire(t, stage),
    adapterFor: async () => {
      const connection = createHubSpotConnection({
        accessToken: TOKEN,
        baseUrl: running.url,
        account: { auth: 'oauth' },
      });
      for (const limiter of [connection.limiters.general, connection.limiters.associations])
        limiter.resize({ limit: 1_000_000, windowMs: 10_000 });
      return createHubSpotAdapter({ connection, portalId });
    },
  };
  try {
    await runInline(
      ['sync', 'score'],
      { tenant, runId: 'seed', mode: 'full', ...SANDBOX_RUN_DATA },
      () => context,
    );
  } finally {
    await running.close();
  }
}

export type ScoreWorkerOptions = { url: string; prefix: string; queuePrefix: string };

/** This process as a score worker: tells its parent 'ready', stops on 'stop'. */
export function serveScoreWorker(options: ScoreWorkerOptions): void {
  const redis = new Redis(options.url, { maxRetriesPerRequest: null });
  const store = new RedisRecordStore({ redis, prefix: options.prefix });
  const locks = inProcessStageLocks();
  const running = startWorkers({
    connection: redis,
    prefix: options.queuePrefix,
    concurrency: 1,
    name: `bench-worker-${process.pid}`,
    threads: { redisUrl: options.url, redisPrefix: options.prefix, engineVersion: 'bench' },
    context: (job) => ({
      store,
      engineVersion: 'bench',
      progress: (value) => job.updateProgress(value),
      lock: (stage, tenant) => locks.acquire(tenant, stage),
      adapterFor: () => Promise.reject(new Error('the score benches make no CRM call')),
    }),
  });
  process.send?.('ready');
  process.on('message', (message) => {
    if (message === 'stop')
      void running
        .close(1_000)
        .then(() => redis.quit())
        .then(() => process.exit(0));
  });
}
