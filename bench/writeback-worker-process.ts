/**
 * One worker process of bench stage hubspot-writeback-redis: writes its share of the portal's contacts through
 * the HubSpot adapter with the worker's Redis limiter (redisLimiterFactory), recording what HubSpot confirms
 * in the RedisRecordStore after every batch, as the write-back job does. Its share's ids come from a Redis
 * list the stage filled; it reports ready after ensureFields and starts writing when the stage says go (a
 * Redis list too), so every worker starts at once with an empty rate window.
 *
 * Args: <WritebackWorkerOptions as JSON>
 */
import { Redis } from 'ioredis';
import { createHubSpotConnection } from '../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../connectors/hubspot/hubspot-adapter';
import { crmTenantId } from '../domain/tenant';
import { redisLimiterFactory } from '../worker/limits/redis-call-limiter';
import { RedisRecordStore } from '../worker/state';
import { BENCH_INTERESTS, BENCH_SEGMENTS, wantedScores } from './hubspot-bench-kit';
import { peakRssMiB, runAsStage } from './stage-protocol';

export type WritebackWorkerOptions = {
  sandboxUrl: string;
  redisUrl: string;
  prefix: string;
  token: string;
  portalId: string;
  seed: number;
  /** This worker's list of contact ids, the counter it increments when ready, and the list it waits on. */
  idsKey: string;
  readyKey: string;
  goKey: string;
};

export type WritebackWorkerResult = {
  pid: number;
  contacts: number;
  ensureCalls: number;
  /** Epoch ms when writeChanged started and returned. */
  startedAt: number;
  endedAt: number;
  customersChanged: number;
  customersWritten: number;
  writeCalls: number;
  rateLimitWaits: number;
  retriedInputs: number;
  failures: number;
  failuresFrom429: number;
  stopped?: string;
  peakRssMiB: number;
};

export async function runWritebackWorker(options: WritebackWorkerOptions): Promise<WritebackWorkerResult> {
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  // BLPOP holds its connection: the limiter and the store need another one meanwhile.
  const waiter = redis.duplicate();
  try {
    const tenant = crmTenantId('hubspot', options.portalId);
    const store = new RedisRecordStore({ redis, prefix: options.prefix });
    const connection = createHubSpotConnection({
      accessToken: options.token,
      baseUrl: options.sandboxUrl,
      account: { auth: 'oauth' },
      limiterFactory: redisLimiterFactory({ redis, prefix: options.prefix, tenant }),
    });
    const adapter = createHubSpotAdapter({ connection, portalId: options.portalId });
    const ids = await redis.lrange(options.idsKey, 0, -1);
    const values = wantedScores(ids, options.seed);
    const ensured = await adapter.ensureFields({ segments: BENCH_SEGMENTS, interests: BENCH_INTERESTS });
    const lastWritten = new Map(Object.entries(await store.getWrittenValues(tenant)));
    await redis.incr(options.readyKey);
    await waiter.blpop(options.goKey, 0);

    const startedAt = Date.now();
    const written = await adapter.writeChanged({
      values,
      lastWritten,
      onConfirmed: (confirmed) => store.setWrittenValues(tenant, confirmed),
    });
    const endedAt = Date.now();
    const is429 = (reason: string) => /429|rate limit|RATE_LIMIT|secondly/i.test(reason);
    return {
      pid: process.pid,
      contacts: ids.length,
      ensureCalls: ensured.calls,
      startedAt,
      endedAt,
      customersChanged: written.customersChanged,
      customersWritten: written.customersWritten,
      writeCalls: written.writeCalls,
      rateLimitWaits: written.rateLimitWaits,
      retriedInputs: written.retriedInputs,
      failures: written.failed.length,
      failuresFrom429: written.failed.filter((f) => is429(f.reason)).length,
      ...(written.stopped ? { stopped: `${written.stopped.code}: ${written.stopped.message}` } : {}),
      peakRssMiB: peakRssMiB(),
    };
  } finally {
    waiter.disconnect();
    await redis.quit().catch(() => undefined);
  }
}

if (require.main === module) {
  runAsStage(([json]) => runWritebackWorker(JSON.parse(json ?? '{}') as WritebackWorkerOptions));
}
