/**
 * The stage processors under the tenant's Redis lock, against the HubSpot sandbox: two write-backs of one
 * tenant at once run one after the other, a worker delays a job whose lock another holds (no failed attempt),
 * and a write-back that loses its lock stops before writing more.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type JournalEntry,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import { tenantKey } from '../../domain/tenant';
import { redisStageLocks, stageLockKey } from '../../worker/locks/redis-stage-locks';
import {
  inProcessStageLocks,
  StageLockHeldError,
  StageLockLostError,
  type AcquireOptions,
  type StageLocks,
} from '../../worker/locks/stage-lock';
import { runInline } from '../../worker/queue/inline-runner';
import { enqueueRun, runStatus } from '../../worker/queue/pipeline-runs';
import { processWriteback, type StageContext } from '../../worker/queue/stage-processors';
import { startWorkers } from '../../worker/queue/start-workers';
import { FileRecordStore } from '../../worker/state';
import { tempDir } from '../helpers/run-cli';
import { deleteKeys, testRedis, type TestRedis } from '../helpers/test-redis';

const TOKEN = 'lock-token';
const TENANT = 'hubspot-2000';
const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10);

let t: TestRedis;
let running: RunningSandbox;
let sandbox: ReturnType<typeof createHubSpotSandbox>;
let store: FileRecordStore;
const journal: JournalEntry[] = [];

function contextFor(locks: StageLocks, acquire: AcquireOptions = {}): StageContext {
  return {
    store,
    engineVersion: 'test',
    progress: async () => {},
    lock: (stage, tenant) => locks.acquire(tenant, stage, acquire),
    adapterFor: async () =>
      createHubSpotAdapter({
        connection: createHubSpotConnection({
          accessToken: TOKEN,
          baseUrl: running.url,
          account: { auth: 'oauth' },
        }),
        portalId: 2000,
      }),
  };
}

/** clv_* writes per contact in the journal since it was last emptied. */
function clvWritesPerContact(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of journal)
    if (e.objectType === 'contacts' && Object.keys(e.properties).some((p) => p.startsWith('clv_')))
      counts.set(e.objectId, (counts.get(e.objectId) ?? 0) + 1);
  return counts;
}

/** Forgets what was written, so the next write-back sends every value again. */
function forgetWrites(): void {
  rmSync(join(store.dataDir, tenantKey(TENANT), 'written-values.json'), { force: true });
  journal.length = 0;
}

let scored = 0;

beforeAll(async () => {
  t = await testRedis();
  sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId: '2000',
    seed: 9,
    contacts: 400,
    journal: (entries) => journal.push(...entries),
  });
  running = await sandbox.listen(0);
  store = new FileRecordStore(tempDir('stage-locks'));
  const data = {
    tenant: TENANT,
    runId: 'prep',
    mode: 'full' as const,
    observationEnd: OBSERVATION_END,
    currency: 'USD',
    rates: { EUR: 1.08, GBP: 1.27 },
  };
  await runInline(['sync', 'score'], data, () => contextFor(inProcessStageLocks()));
  scored = (await store.readScoreRun(TENANT))!.scores.length;
  expect(scored).toBeGreaterThan(100);
});
afterAll(async () => {
  await running.close();
  await t.cleanup();
});
beforeEach(forgetWrites);

describe('two write-backs of one tenant at once', () => {
  it('run one after the other when the second waits: each contact is written once', async () => {
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix });
    const ctx = contextFor(locks, { waitMs: 60_000 });
    const job = { tenant: TENANT, runId: 'w' };
    const [a, b] = await Promise.all([processWriteback(job, ctx), processWriteback(job, ctx)]);
    expect([a.written, b.written].sort((x, y) => x - y)).toEqual([0, scored]);
    const perContact = clvWritesPerContact();
    expect(perContact.size).toBe(scored);
    expect([...perContact.values()].every((n) => n === 1)).toBe(true);
  });

  it('the second stops at once with StageLockHeldError when it may not wait, and writes nothing', async () => {
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix });
    const ctx = contextFor(locks);
    const job = { tenant: TENANT, runId: 'w' };
    const [a, b] = await Promise.allSettled([processWriteback(job, ctx), processWriteback(job, ctx)]);
    expect(a.status).toBe('fulfilled');
    expect(b.status === 'rejected' && b.reason).toBeInstanceOf(StageLockHeldError);
    expect(clvWritesPerContact().size).toBe(scored);
    expect([...clvWritesPerContact().values()].every((n) => n === 1)).toBe(true);
  });

  it('inline, with the in-process lock, the same', async () => {
    const ctx = contextFor(inProcessStageLocks(), { waitMs: 60_000 });
    const job = { tenant: TENANT, runId: 'w' };
    await Promise.all([processWriteback(job, ctx), processWriteback(job, ctx)]);
    expect([...clvWritesPerContact().values()].every((n) => n === 1)).toBe(true);
  });
});

describe('a write-back that loses its lock', () => {
  it('stops before writing more and fails with StageLockLostError', async () => {
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix, ttlMs: { writeback: 300 } });
    const key = stageLockKey(t.prefix, TENANT, 'writeback');
    // Slow answers: ensuring the properties takes longer than a renewal tick, so the loss is known before
    // the first contact would be sent.
    sandbox.faults.latencyMs = 400;
    try {
      const outcome = processWriteback({ tenant: TENANT, runId: 'lost' }, contextFor(locks));
      while ((await t.redis.exists(key)) === 0) await new Promise((r) => setTimeout(r, 5));
      await t.redis.del(key);
      await expect(outcome).rejects.toBeInstanceOf(StageLockLostError);
      await expect(outcome).rejects.toThrow(/writeback of hubspot-2000 lost its lock/);
    } finally {
      sandbox.faults.latencyMs = 0;
    }
    expect(await store.getWrittenValues(TENANT)).toEqual({});
    expect(clvWritesPerContact().size).toBe(0);
  });
});

describe('a BullMQ worker meeting a held lock', () => {
  it('delays the job instead of failing it, and runs it once the lock is free', async () => {
    const workerRedis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const prefix = `{${t.prefix}-q}`;
    const locks = redisStageLocks({ redis: workerRedis, prefix: t.prefix });
    const other = await redisStageLocks({ redis: t.redis, prefix: t.prefix }).acquire(TENANT, 'writeback');
    const lines: string[] = [];
    const workers = startWorkers({
      connection: workerRedis,
      prefix,
      concurrency: 1,
      lockRetryMs: 200,
      log: (line) => lines.push(line),
      context: (_job: Job) => contextFor(locks),
    });
    try {
      await enqueueRun(t.redis, prefix, { tenant: TENANT, runId: 'held', stages: ['writeback'] });
      const status = () => runStatus(t.redis, prefix, TENANT, 'held', ['writeback']);
      let state = '';
      for (let i = 0; i < 100 && state !== 'delayed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        state = (await status()).state === 'running' ? (await status()).stages[0].state : 'other';
      }
      expect(state).toBe('delayed');
      expect(lines.join('\n')).toMatch(
        /writeback \S+ delayed 1 s: writeback of hubspot-2000 is already running/,
      );
      expect(clvWritesPerContact().size).toBe(0);

      await other.release();
      let final = await status();
      for (let i = 0; i < 600 && final.state === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        final = await status();
      }
      expect(final.state).toBe('completed');
      expect(final.stages[0].failedReason).toBeUndefined();
      expect((final.stages[0].result as { written: number }).written).toBe(scored);
      expect([...clvWritesPerContact().values()].every((n) => n === 1)).toBe(true);
    } finally {
      await workers.close(5_000);
      await workerRedis.quit();
      await deleteKeys(t.redis, `${prefix}:*`);
    }
  });
});
