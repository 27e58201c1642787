/**
 * Bench stage hubspot-writeback-redis (issue P5): the write-back of N changed contacts at HubSpot's OAuth
 * limit (110 per 10 s) by W worker processes that share one Redis limiter (redisLimiterFactory), as worker
 * processes of one deployment share a tenant's account.
 *
 * One tenant's write-back is one job, run by one worker; two workers write to one account at once only when
 * two jobs of that account overlap. The stage stands for that case: each worker process writes its share of the
 * contacts (the ids split into W equal parts) through the same Redis limiter, so the figures show whether the
 * shared limit holds (429s counted at the sandbox) and how close the total time stays to the floor the limit
 * sets, ⌈N / 100⌉ batch calls ÷ 11 per second (1,000 calls → 90.9 s).
 *
 * A private redis-server holds the limiter and the store (written values); the sandbox runs in a child
 * process. The properties are ensured once beforehand; each worker then runs ensureFields (reads only), reports
 * ready, and all start writing together one rate window later.
 *
 * Each worker writes as the job does (writeChangedValues' default 4 batches in flight).
 *
 * Args: <contacts> <seed> <perTenSeconds> <in-process|child> <workers>
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import { crmTenantId } from '../../domain/tenant';
import { redisLimiterFactory } from '../../worker/limits/redis-call-limiter';
import { RedisRecordStore } from '../../worker/state';
import {
  BENCH_INTERESTS,
  BENCH_SEGMENTS,
  clvDigest,
  diffCounts,
  maxInWindow,
  totalCounts,
  type RequestCounts,
} from '../hubspot-bench-kit';
import { hostSandbox, type SandboxMode } from '../hubspot-sandbox-host';
import { benchRedis, type BenchRedisInfo } from '../private-redis';
import { peakRssMiB, runAsStage, runInChild } from '../stage-protocol';
import type { WritebackWorkerOptions, WritebackWorkerResult } from '../writeback-worker-process';

const TOKEN = 'bench-token';
const PORTAL = '1000';
/** One rate window and a margin: the ensure calls have left the window when writing starts. */
const QUIET_MS = 10_500;

export type WritebackRedisStageResult = {
  contacts: number;
  seed: number;
  perTenSeconds: number;
  sandboxMode: SandboxMode;
  workers: number;
  server: BenchRedisInfo;
  seedMs: number;
  ensure: { calls: number; created: number; existing: number };
  /** First worker's start to last worker's end, ms. */
  ms: number;
  perWorker: WritebackWorkerResult[];
  /** What the sandbox saw from the first start to the last end. */
  sandbox: RequestCounts;
  sandboxUpdateCalls: number;
  sandbox429: number;
  /** Most accepted batch updates arriving at the sandbox in any rolling 10 s. */
  maxPerTenSecondsAtSandbox: number;
  /** The sandbox holds exactly the values the store records as written, for every contact. */
  digestMatches: boolean;
  writtenInStore: number;
  peakRss: { stage: number; sandbox: number };
};

export async function runWritebackRedisStage(
  contacts: number,
  seed: number,
  perTenSeconds: number,
  mode: SandboxMode,
  workers: number,
): Promise<WritebackRedisStageResult> {
  const server = await benchRedis('wb');
  const { redis, prefix } = server;
  const tenant = crmTenantId('hubspot', PORTAL);
  const benchKey = `${prefix}:bench-writeback`;
  try {
    const host = await hostSandbox({ token: TOKEN, portalId: PORTAL, seed, contacts, perTenSeconds }, mode);
    try {
      // The properties are created once, through the same shared limiter, before any worker starts.
      const adapter = createHubSpotAdapter({
        portalId: PORTAL,
        connection: createHubSpotConnection({
          accessToken: TOKEN,
          baseUrl: host.url,
          account: { auth: 'oauth' },
          limiterFactory: redisLimiterFactory({ redis, prefix, tenant }),
        }),
      });
      const ensured = await adapter.ensureFields({ segments: BENCH_SEGMENTS, interests: BENCH_INTERESTS });

      const ids = await host.contactIds();
      const share = Math.ceil(ids.length / workers);
      const options: WritebackWorkerOptions[] = [];
      for (let w = 0; w < workers; w++) {
        const idsKey = `${benchKey}:ids:${w}`;
        const part = ids.slice(w * share, (w + 1) * share);
        for (let i = 0; i < part.length; i += 10_000) await redis.rpush(idsKey, ...part.slice(i, i + 10_000));
        options.push({
          sandboxUrl: host.url,
          redisUrl: server.url,
          prefix,
          token: TOKEN,
          portalId: PORTAL,
          seed,
          idsKey,
          readyKey: `${benchKey}:ready`,
          goKey: `${benchKey}:go`,
        });
      }
      const running = options.map((o, w) =>
        runInChild<WritebackWorkerResult>(
          path.join(__dirname, '..', 'writeback-worker-process.js'),
          `hubspot-writeback-redis (worker ${w + 1})`,
          [JSON.stringify(o)],
        ),
      );
      const failed = Promise.all(running).then(
        () => new Promise<never>(() => undefined),
        (error: unknown) => Promise.reject(error),
      );
      await Promise.race([waitForReady(redis, `${benchKey}:ready`, workers), failed]);
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      const before = await host.snapshot();
      await redis.rpush(`${benchKey}:go`, ...options.map((_, w) => String(w)));
      const perWorker = await Promise.all(running);
      const after = await host.snapshot();

      const sandbox = diffCounts(after.counts, before.counts);
      const updates = after.updateArrivals.slice(before.updateArrivals.length);
      const update = sandbox['batch update contacts'];
      const store = new RedisRecordStore({ redis, prefix });
      const written = await store.getWrittenValues(tenant);
      return {
        contacts: ids.length,
        seed,
        perTenSeconds,
        sandboxMode: mode,
        workers,
        server: server.info,
        seedMs: host.seedMs,
        ensure: { calls: ensured.calls, created: ensured.created.length, existing: ensured.existing.length },
        ms: Math.max(...perWorker.map((r) => r.endedAt)) - Math.min(...perWorker.map((r) => r.startedAt)),
        perWorker,
        sandbox,
        sandboxUpdateCalls: update ? update.requests - update.rateLimited - update.errors : 0,
        sandbox429: totalCounts(sandbox).rateLimited,
        maxPerTenSecondsAtSandbox: maxInWindow(
          updates
            .filter((u) => u.status !== 429)
            .map((u) => u.at)
            .sort((a, b) => a - b),
        ),
        digestMatches: (await host.digest()) === clvDigest(ids, (id) => written[id]),
        writtenInStore: Object.keys(written).length,
        peakRss: { stage: peakRssMiB(), sandbox: await host.peakRssMiB() },
      };
    } finally {
      await host.close();
    }
  } finally {
    await server.stop();
  }
}

async function waitForReady(redis: Redis, key: string, workers: number): Promise<void> {
  while (Number((await redis.get(key)) ?? 0) < workers) await new Promise((r) => setTimeout(r, 50));
}

if (require.main === module) {
  runAsStage(([contacts, seed, perTen, mode, workers]) =>
    runWritebackRedisStage(
      Number(contacts ?? 100_000),
      Number(seed ?? 42),
      Number(perTen ?? 110),
      (mode ?? 'child') as SandboxMode,
      Number(workers ?? 2),
    ),
  );
}
