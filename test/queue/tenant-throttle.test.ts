/**
 * Two tenants on one worker (concurrency 1, so a held job would block the other outright), each its own
 * HubSpot sandbox portal, with the Redis rate limiter the `worker` command uses. Tenant A's account is held
 * at its limit (another process saw a 429 and paused it); A's write-back must give its slot away while B's
 * write-back runs at full speed, then finish after the pause with every value written exactly once.
 */
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import type { JournalEntry } from '../../connectors/hubspot/sandbox/journal';
import type { TenantId } from '../../domain/tenant';
import { RedisCallLimiter, redisLimiterFactory } from '../../worker/limits/redis-call-limiter';
import { runInline } from '../../worker/queue/inline-runner';
import { enqueueRun, runStatus, type RunStatus } from '../../worker/queue/pipeline-runs';
import type { StageContext } from '../../worker/queue/stage-processors';
import { startWorkers, type RunningWorkers, type TurnPolicy } from '../../worker/queue/start-workers';
import { RedisRecordStore } from '../../worker/state';
import { inProcessStageLocks } from '../../worker/locks';
import { testRedis, type TestRedis } from '../helpers/test-redis';

const locks = inProcessStageLocks();
const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10);
const RUN_DATA = {
  mode: 'full' as const,
  observationEnd: OBSERVATION_END,
  currency: 'USD',
  rates: { EUR: 1.08, GBP: 1.27 },
};
const HOLD_MS = 8_000;

type Portal = { tenant: TenantId; token: string; journal: JournalEntry[]; running: RunningSandbox };

let t: TestRedis;
let workerRedis: Redis;
let store: RedisRecordStore;
const portals = new Map<TenantId, Portal>();

async function openPortal(id: string, seed: number): Promise<Portal> {
  const journal: JournalEntry[] = [];
  const token = `token-${id}`;
  const sandbox = createHubSpotSandbox({
    token,
    portalId: id,
    seed,
    contacts: 250,
    journal: (entries) => journal.push(...entries),
  });
  return { tenant: `hubspot-${id}`, token, journal, running: await sandbox.listen(0) };
}

function contextFor(turn?: TurnPolicy, progress: StageContext['progress'] = async () => {}): StageContext {
  return {
    store,
    engineVersion: 'test',
    progress,
    lock: (stage, tenant) => locks.acquire(tenant, stage),
    adapterFor: async (tenant) => {
      const portal = portals.get(tenant)!;
      const connection = createHubSpotConnection({
        accessToken: portal.token,
        baseUrl: portal.running.url,
        account: { auth: 'oauth' },
        ...(turn
          ? {
              limiterFactory: redisLimiterFactory({
                redis: workerRedis,
                prefix: t.prefix,
                tenant,
                yieldWhen: turn.yieldWhen,
              }),
            }
          : {}),
      });
      return createHubSpotAdapter({ connection, portalId: tenant.slice('hubspot-'.length) });
    },
  };
}

/** Contact-property values written more than once to the same contact (a value written twice). */
function rewrites(journal: readonly JournalEntry[]): number {
  const seen = new Set<string>();
  let twice = 0;
  for (const entry of journal) {
    if (entry.objectType !== 'contacts') continue;
    for (const [name, value] of Object.entries(entry.properties)) {
      const key = `${entry.objectId}\u0000${name}\u0000${value}`;
      if (seen.has(key)) twice++;
      seen.add(key);
    }
  }
  return twice;
}

beforeAll(async () => {
  t = await testRedis();
  workerRedis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  store = new RedisRecordStore({ redis: t.redis, prefix: t.prefix });
  for (const [id, seed] of [
    ['1100', 11],
    ['2200', 22],
  ] as const) {
    const portal = await openPortal(id, seed);
    portals.set(portal.tenant, portal);
    // Synced and scored already: the write-back is what is measured.
    await runInline(['sync', 'score'], { tenant: portal.tenant, runId: 'prep', ...RUN_DATA }, () =>
      contextFor(),
    );
  }
});
afterAll(async () => {
  for (const p of portals.values()) await p.running.close();
  await workerRedis.quit();
  await t.cleanup();
});

describe('a tenant held at its rate limit', () => {
  let workers: RunningWorkers;
  const prefix = () => `{${t.prefix}-q}`;

  beforeAll(() => {
    workers = startWorkers({
      connection: workerRedis,
      prefix: prefix(),
      concurrency: 1,
      context: (job: Job, turn) => contextFor(turn, (value) => job.updateProgress(value)),
    });
  });
  afterAll(async () => {
    await workers.close(5_000);
  });

  const status = (tenant: TenantId) => runStatus(t.redis, prefix(), tenant, 'w1', ['writeback']);

  it('gives its slot to another tenant, whose write-back is not slowed, and resumes without rewriting', async () => {
    const [a, b] = [...portals.keys()];
    // Another process met a 429 on A: A's account pauses for HOLD_MS, in Redis, for every process.
    const heldFrom = Date.now();
    new RedisCallLimiter({
      redis: t.redis,
      prefix: t.prefix,
      tenant: a,
      name: 'general',
      window: { limit: 110, windowMs: 10_000 },
    }).pauseUntil(heldFrom + HOLD_MS);
    await new Promise((r) => setTimeout(r, 50));

    await enqueueRun(t.redis, prefix(), { tenant: a, runId: 'w1', stages: ['writeback'], data: RUN_DATA });
    let sa: RunStatus = await status(a);
    for (let i = 0; i < 1000 && sa.stages[0].state !== 'active'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      sa = await status(a);
    }
    expect(sa.stages[0].state).toBe('active');

    const bQueued = Date.now();
    await enqueueRun(t.redis, prefix(), { tenant: b, runId: 'w1', stages: ['writeback'], data: RUN_DATA });
    let sb: RunStatus = await status(b);
    while (sb.stages[0].state !== 'completed' && sb.stages[0].state !== 'failed') {
      await new Promise((r) => setTimeout(r, 50));
      sb = await status(b);
      if (Date.now() - bQueued > 60_000) throw new Error('B did not finish');
    }
    const bDone = Date.now();
    sa = await status(a);
    console.log(
      `tenant B's write-back (${(sb.stages[0].result as { written: number }).written} contacts) took ` +
        `${((bDone - bQueued) / 1000).toFixed(2)} s while tenant A was held for ${HOLD_MS / 1000} s (A: ${sa.stages[0].state})`,
    );
    expect(sb.stages[0].state).toBe('completed');
    // B finished inside A's pause: A was not holding the only slot.
    expect(bDone).toBeLessThan(heldFrom + HOLD_MS);
    expect(['delayed', 'waiting', 'active']).toContain(sa.stages[0].state);
    expect(portals.get(a)!.journal.filter((e) => e.objectType === 'contacts')).toEqual([]);

    while (sa.stages[0].state !== 'completed' && sa.stages[0].state !== 'failed') {
      await new Promise((r) => setTimeout(r, 100));
      sa = await status(a);
      if (Date.now() - heldFrom > 60_000) throw new Error('A did not finish');
    }
    expect(sa.stages[0].state).toBe('completed');
    expect(Date.parse(sa.stages[0].finishedAt!)).toBeGreaterThanOrEqual(heldFrom + HOLD_MS - 20);
    for (const [tenant, portal] of portals) {
      const run = (await store.readScoreRun(tenant))!;
      const written = new Set(
        portal.journal.filter((e) => e.objectType === 'contacts').map((e) => e.objectId),
      );
      expect(written.size).toBe(run.scores.length);
      expect(rewrites(portal.journal)).toBe(0);
    }
  });
});
