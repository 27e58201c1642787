/**
 * Bench: scoring throughput of 1 and of W worker processes over T tenants (a multi-tenant night of rescoring).
 * Each tenant is a seeded HubSpot sandbox portal synced into a private Redis; then the same T score jobs are
 * run by 1 worker process, and again by W, each a real `crm-clv worker`-style process (startWorkers with the
 * score stage in a worker thread, concurrency 1) on that Redis. Prints wall time per worker count and the
 * speed-up. One tenant's score is one job, so this measures scaling across tenants, not within one.
 *
 * Usage: node dist/bench/stages/score-scaling.js [tenants=4] [contacts=3000] [workers=2]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import { createHubSpotSandbox, DEFAULT_OBSERVATION_END } from '../../connectors/hubspot/sandbox';
import { crmTenantId, type TenantId } from '../../domain/tenant';
import { inProcessStageLocks } from '../../worker/locks';
import { runInline } from '../../worker/queue/inline-runner';
import { enqueueRun, runStatus } from '../../worker/queue/pipeline-runs';
import type { StageContext } from '../../worker/queue/stage-processors';
import { startWorkers } from '../../worker/queue/start-workers';
import { RedisRecordStore } from '../../worker/state';
import { benchRedis } from '../private-redis';

const TOKEN = 'bench-token';
const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10);
const RUN_DATA = { observationEnd: OBSERVATION_END, currency: 'USD', rates: { EUR: 1.08, GBP: 1.27 } };

/** V8 flags of the worker processes, from SCALING_GC_FLAGS (e.g. --single-threaded-gc), to compare GC modes. */
const GC_FLAGS = (process.env.SCALING_GC_FLAGS ?? '').split(' ').filter((f) => f !== '');

type ChildOptions = { url: string; prefix: string; queuePrefix: string };

/** The worker process: score jobs only (no CRM calls), in a worker thread, one at a time. */
function serveWorker(options: ChildOptions): void {
  const redis = new Redis(options.url, { maxRetriesPerRequest: null });
  const store = new RedisRecordStore({ redis, prefix: options.prefix });
  const locks = inProcessStageLocks();
  const running = startWorkers({
    connection: redis,
    prefix: options.queuePrefix,
    concurrency: 1,
    threads: { redisUrl: options.url, redisPrefix: options.prefix, engineVersion: 'bench' },
    context: (job) => ({
      store,
      engineVersion: 'bench',
      progress: (value) => job.updateProgress(value),
      lock: (stage, tenant) => locks.acquire(tenant, stage),
      adapterFor: () => Promise.reject(new Error('the score bench makes no CRM call')),
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

async function seedTenant(store: RedisRecordStore, tenant: TenantId, seed: number, contacts: number) {
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
    // Synced and scored once, as a tenant is before its nightly rescore (the model version then exists).
    await runInline(['sync', 'score'], { tenant, runId: 'seed', mode: 'full', ...RUN_DATA }, () => context);
  } finally {
    await running.close();
  }
}

async function startChildren(count: number, options: ChildOptions): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () =>
    fork(__filename, ['--child', JSON.stringify(options)], { stdio: 'inherit', execArgv: GC_FLAGS }),
  );
  await Promise.all(children.map((c) => new Promise((resolve) => c.once('message', resolve))));
  return children;
}

async function timeRound(
  redis: Redis,
  queuePrefix: string,
  tenants: readonly TenantId[],
  runId: string,
): Promise<number> {
  const started = performance.now();
  for (const tenant of tenants)
    await enqueueRun(redis, queuePrefix, { tenant, runId, stages: ['score'], data: RUN_DATA });
  const jobSeconds: number[] = [];
  for (const tenant of tenants)
    for (;;) {
      const status = await runStatus(redis, queuePrefix, tenant, runId, ['score']);
      const { startedAt, finishedAt } = status.stages[0];
      if (status.state === 'completed') {
        jobSeconds.push((Date.parse(finishedAt!) - Date.parse(startedAt!)) / 1000);
        break;
      }
      if (status.state === 'failed') throw new Error(`${tenant}: ${status.stages[0].failedReason}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  console.log(`  job times (s): ${jobSeconds.map((t) => t.toFixed(2)).join(', ')}`);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const [tenantCount = 4, contacts = 3000, workers = 2] = process.argv.slice(2).map(Number);
  const r = await benchRedis('score-scaling');
  const store = new RedisRecordStore({ redis: r.redis, prefix: r.prefix });
  const tenants = Array.from({ length: tenantCount }, (_, i) => crmTenantId('hubspot', String(7001 + i)));
  const seeding = performance.now();
  for (const [i, tenant] of tenants.entries()) await seedTenant(store, tenant, 100 + i, contacts);
  const customers = (await Promise.all(tenants.map((t) => store.readScoreRun(t)))).reduce(
    (n, run) => n + (run?.scores.length ?? 0),
    0,
  );
  console.log(
    `${tenantCount} tenants of ${contacts} contacts (${customers} scored customers) seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s; Redis: ${r.info.private ? `private redis-server ${r.info.version}` : r.info.reason}`,
  );
  const options = { url: r.url, prefix: r.prefix, queuePrefix: r.queuePrefix };
  const times: Record<number, number> = {};
  for (const w of [1, workers]) {
    const children = await startChildren(w, options);
    times[w] = await timeRound(r.redis, r.queuePrefix, tenants, `round-${w}`);
    for (const c of children) c.send('stop');
    await Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve))));
    console.log(
      `${w} worker process${w > 1 ? 'es' : ''}: ${tenantCount} score jobs in ${times[w].toFixed(2)} s`,
    );
  }
  console.log(`speed-up with ${workers} worker processes: ${(times[1] / times[workers]).toFixed(2)}×`);
  await r.stop();
}

if (process.argv[2] === '--child') serveWorker(JSON.parse(process.argv[3]) as ChildOptions);
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
