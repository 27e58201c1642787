/**
 * Bench stage "redis-memory": what one tenant's state costs in Redis (issue P5), measured as the change in
 * INFO memory `used_memory` around each kind of write, through the real code paths:
 *
 *   records      a full HubSpot sync of the seeded demo portal (N contacts, their deals, line items, products,
 *                tickets, owners) into RedisRecordStore, cursors included
 *   scores       the score stage's Scores for those customers (the engine on the synced store), putScoreRun
 *   model        the same run's segment model, putModel
 *   written      the write-back of those Scores to the portal: the values HubSpot confirmed, setWrittenValues
 *   jobs         K small BullMQ jobs completed with removeOnComplete false (what KEEP_JOBS' count bounds)
 *
 * A private redis-server on a free port (no persistence) keeps other clients' keys out of the figures; when the
 * binary is missing, REDIS_URL with a unique prefix is used instead and the report says the figures are noisier.
 *
 * Args: <customers> <jobs> <seed>
 */
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import { DEFAULT_OBSERVATION_END } from '../../connectors/hubspot/sandbox';
import { syncHubSpot } from '../../connectors/hubspot/sync';
import { crmTenantId } from '../../domain/tenant';
import { packageVersion } from '../../cli/version';
import { DEMO_RATES } from '../../worker/demo/hubspot-round-trip';
import { runScore } from '../../worker/jobs/score-run';
import { tenantScoreInput } from '../../worker/jobs/tenant-score-input';
import { writeBackScores } from '../../worker/jobs/write-back-scores';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';
import { RedisRecordStore } from '../../worker/state';
import { storeSink } from '../../worker/state/store-sink';
import { hostSandbox } from '../hubspot-sandbox-host';
import { benchRedis, keysMatching, type BenchRedisInfo } from '../private-redis';
import { runAsStage } from '../stage-protocol';

const TOKEN = 'bench-token';
const PORTAL = '1000';
/** Far above anything the sync or write-back sends: this stage measures memory, not rate limits. */
const UNLIMITED = 1_000_000;

export type MemoryKind = 'records' | 'scores' | 'model' | 'written' | 'jobs';

export type RedisMemoryStageResult = {
  customers: number;
  jobs: number;
  seed: number;
  /** Where the figures come from: a private server, or a shared one (noisier: other clients write too). */
  server: BenchRedisInfo;
  /** Bytes of used_memory added by each kind of write. */
  bytes: Record<MemoryKind, number>;
  /** MEMORY USAGE of the queue's events stream, left out of `bytes.jobs`. */
  jobEventsBytes: number;
  /** What was stored: records per type, Scores, contacts with written values, keys of the tenant. */
  stored: {
    records: Record<string, number>;
    scores: number;
    written: number;
    tenantKeys: number;
    /** Bytes of each tenant key as MEMORY USAGE reports it (its value and overhead, not the allocator's). */
    keyUsage: Record<string, number>;
  };
  /** used_memory with nothing of ours stored, and at the end (jobs included). */
  baseline: number;
  final: number;
  ms: number;
};

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (match === null) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}

async function memoryUsage(redis: Redis, key: string): Promise<number> {
  return Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
}

/** Completes `count` jobs shaped like a stage's (tenant, run id in, a small outcome out) and keeps them all. */
async function keepCompletedJobs(
  redis: Redis,
  prefix: string,
  count: number,
): Promise<{ eventsKey: string }> {
  const queue = new Queue('memory', { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix });
  const tenant = crmTenantId('hubspot', PORTAL);
  const worker = new Worker(
    'memory',
    async (job) => ({
      runId: (job.data as { runId: string }).runId,
      customers: 100_000,
      modelVersion: `bgnbd/${packageVersion()}`,
      scoredAt: new Date().toISOString(),
    }),
    { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix, concurrency: 50 },
  );
  for (let i = 0; i < count; i += 1000) {
    const n = Math.min(1000, count - i);
    await queue.addBulk(
      Array.from({ length: n }, (_, k) => {
        const runId = `run-${i + k}`;
        return {
          name: 'score',
          data: { tenant, runId },
          opts: { jobId: `${tenant}.${runId}.score`, removeOnComplete: false, removeOnFail: false },
        };
      }),
    );
  }
  while ((await queue.getJobCountByTypes('completed')) < count) await new Promise((r) => setTimeout(r, 200));
  await worker.close();
  await queue.close();
  return { eventsKey: `${prefix}:memory:events` };
}

export async function runRedisMemoryStage(
  customers: number,
  jobs: number,
  seed: number,
): Promise<RedisMemoryStageResult> {
  const started = performance.now();
  const server = await benchRedis('mem');
  const { prefix, queuePrefix } = server;

  const host = await hostSandbox(
    { token: TOKEN, portalId: PORTAL, seed, contacts: customers, perTenSeconds: UNLIMITED },
    'in-process',
  );
  try {
    const { redis } = server;
    const store = new RedisRecordStore({ redis, prefix });
    const connection = createHubSpotConnection({
      accessToken: TOKEN,
      baseUrl: host.url,
      account: { auth: 'oauth' },
    });
    for (const limiter of [connection.limiters.general, connection.limiters.associations])
      limiter.resize({ limit: UNLIMITED, windowMs: 10_000 });
    const adapter = createHubSpotAdapter({ connection, portalId: PORTAL });
    const tenant = adapter.tenant;

    const baseline = await usedMemory(redis);
    let last = baseline;
    const measure = async (): Promise<number> => {
      const now = await usedMemory(redis);
      const delta = now - last;
      last = now;
      return delta;
    };

    await syncHubSpot({ connection, sink: storeSink(store, tenant), tenant, mode: 'full' });
    const records = await measure();

    const input = await tenantScoreInput(store, tenant, {
      currency: 'USD',
      rates: { ...DEMO_RATES },
      where: 'redis',
    });
    const { result, run, scores } = await runScore({
      tenant,
      source: 'hubspot',
      engineVersion: packageVersion(),
      settings: {
        ...STANDARD_SCORE_SETTINGS,
        transactions: `${tenant} (synced store)`,
        rows: input.rows,
        // The last day of the seeded history, as the demo scores it.
        observationEnd: new Date(Date.parse(DEFAULT_OBSERVATION_END) - 1).toISOString().slice(0, 10),
        baseCurrency: input.baseCurrency,
        currencyRates: input.rates,
        productCategories: input.productCategories,
        productNames: input.productNames,
        crm: input.crm,
      },
    });
    // Scores and model stored apart (runScore would store both at once) so each has its own figure.
    await measure();
    await store.putScoreRun(tenant, run, scores);
    const scoresBytes = await measure();
    await store.putModel(tenant, {
      version: run.modelVersion,
      trainedAt: run.scoredAt,
      segmentModel: result.insights?.segments?.model,
    });
    const model = await measure();

    await writeBackScores({ adapter, store });
    const written = await measure();

    const keys = (await keysMatching(redis, `${prefix}:*`)).sort();
    const keyUsage: Record<string, number> = {};
    for (const key of keys) keyUsage[key] = await memoryUsage(redis, key);
    const recordCounts: Record<string, number> = {};
    for (const type of ['customer', 'order', 'product', 'rep', 'serviceCase'] as const)
      recordCounts[type] = await redis.hlen(store.keys(tenant).records(type));
    const stored = {
      records: recordCounts,
      scores: scores.length,
      written: await redis.hlen(store.keys(tenant).written),
      tenantKeys: keys.length,
      keyUsage,
    };

    await measure();
    const { eventsKey } = await keepCompletedJobs(redis, queuePrefix, jobs);
    // The events stream is capped (~10,000 entries) whatever the number of kept jobs: reported apart.
    const eventsBytes = await memoryUsage(redis, eventsKey);
    const jobsBytes = (await measure()) - eventsBytes;

    return {
      customers,
      jobs,
      seed,
      server: server.info,
      bytes: { records, scores: scoresBytes, model, written, jobs: jobsBytes },
      jobEventsBytes: eventsBytes,
      stored,
      baseline,
      final: last,
      ms: performance.now() - started,
    };
  } finally {
    await host.close();
    await server.stop();
  }
}

if (require.main === module) {
  runAsStage(([customers, jobs, seed]) =>
    runRedisMemoryStage(Number(customers ?? 100_000), Number(jobs ?? 10_000), Number(seed ?? 42)),
  );
}
