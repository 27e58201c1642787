/**
 * The tenants' schedules as BullMQ job schedulers on a real Redis: made from the registry's list, left alone
 * when unchanged, updated, removed; and a tick turned into exactly one run however often it is processed.
 */
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { recentRuns } from '../../worker/queue/pipeline-runs';
import { QUEUE_NAMES, stageJobId } from '../../worker/queue/stages';
import {
  nextScheduledTimes,
  processTick,
  scheduleId,
  ScheduleTickError,
  startTickWorker,
  syncTenantSchedules,
  TICK_JOB,
  type TickDeps,
} from '../../worker/queue/tenant-schedules';
import type { TenantConnection, TenantSchedule } from '../../worker/tenants';
import { deleteKeys, testRedis, type TestRedis } from '../helpers/test-redis';

const NIGHTLY = { syncEveryMinutes: 15, rescoreCron: '0 2 * * *', retrainCron: '0 3 * * 0' };

function tenantOf(tenant: string, schedule: TenantSchedule = NIGHTLY): TenantConnection {
  return {
    tenant,
    crm: 'hubspot',
    accountId: tenant.replace(/^hubspot-/, ''),
    auth: 'oauth',
    schedule,
    addedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A registry whose list the test sets. */
function registryOf(tenants: TenantConnection[]) {
  return { tenants, list: async () => [...tenants] };
}

let t: TestRedis;
let n = 0;
/** A queue prefix of each test's own, so each starts with no schedulers. */
let prefix: string;
let queue: Queue;

beforeAll(async () => {
  t = await testRedis();
});
beforeEach(() => {
  prefix = `{${t.prefix}-s${++n}}`;
  queue = new Queue(QUEUE_NAMES.schedule, { connection: t.redis, prefix });
});
afterEach(async () => {
  await queue.close();
});
afterAll(async () => {
  await deleteKeys(t.redis, `{${t.prefix}-s*`);
  await t.cleanup();
});

const sync = (registry: ReturnType<typeof registryOf>) =>
  syncTenantSchedules({ connection: t.redis, prefix, registry });

async function schedulers() {
  return (await queue.getJobSchedulers()).sort((a, b) => a.key.localeCompare(b.key));
}

async function delayedTicks(): Promise<string[]> {
  return (await queue.getDelayed()).map((j) => j.id!).sort();
}

describe('syncTenantSchedules', () => {
  it('makes three schedulers per tenant: sync every N minutes, rescore and retrain on their UTC cron', async () => {
    const registry = registryOf([
      tenantOf('hubspot-1000'),
      tenantOf('hubspot-2000', {
        syncEveryMinutes: 30,
        rescoreCron: '0 4 * * 1-5',
        retrainCron: '0 5 * * 6',
      }),
    ]);
    const changes = await sync(registry);
    expect(changes.added.sort()).toEqual([
      'hubspot-1000.rescore',
      'hubspot-1000.retrain',
      'hubspot-1000.sync',
      'hubspot-2000.rescore',
      'hubspot-2000.retrain',
      'hubspot-2000.sync',
    ]);
    expect(changes).toMatchObject({ updated: [], removed: [], unchanged: [] });
    const found = (await schedulers()).map(({ key, name, every, pattern, tz, template }) => ({
      key,
      name,
      every,
      pattern,
      tz,
      data: template?.data,
    }));
    expect(found).toEqual([
      {
        key: 'hubspot-1000.rescore',
        name: TICK_JOB,
        every: undefined,
        pattern: '0 2 * * *',
        tz: 'UTC',
        data: { tenant: 'hubspot-1000', kind: 'rescore' },
      },
      {
        key: 'hubspot-1000.retrain',
        name: TICK_JOB,
        every: undefined,
        pattern: '0 3 * * 0',
        tz: 'UTC',
        data: { tenant: 'hubspot-1000', kind: 'retrain' },
      },
      {
        key: 'hubspot-1000.sync',
        name: TICK_JOB,
        every: 15 * 60_000,
        pattern: undefined,
        tz: undefined,
        data: { tenant: 'hubspot-1000', kind: 'sync' },
      },
      {
        key: 'hubspot-2000.rescore',
        name: TICK_JOB,
        every: undefined,
        pattern: '0 4 * * 1-5',
        tz: 'UTC',
        data: { tenant: 'hubspot-2000', kind: 'rescore' },
      },
      {
        key: 'hubspot-2000.retrain',
        name: TICK_JOB,
        every: undefined,
        pattern: '0 5 * * 6',
        tz: 'UTC',
        data: { tenant: 'hubspot-2000', kind: 'retrain' },
      },
      {
        key: 'hubspot-2000.sync',
        name: TICK_JOB,
        every: 30 * 60_000,
        pattern: undefined,
        tz: undefined,
        data: { tenant: 'hubspot-2000', kind: 'sync' },
      },
    ]);
    // Each scheduler has its next tick waiting, none due now: the first sync comes one interval later.
    expect(await delayedTicks()).toHaveLength(6);
    const next = await nextScheduledTimes(t.redis, prefix, 'hubspot-1000');
    const inMinutes = (iso: string | undefined) => (Date.parse(iso!) - Date.now()) / 60_000;
    expect(inMinutes(next.sync)).toBeGreaterThan(14);
    expect(inMinutes(next.sync)).toBeLessThanOrEqual(15);
    expect(next.rescore).toMatch(/T02:00:00\.000Z$/);
    expect(next.retrain).toMatch(/T03:00:00\.000Z$/);
    expect(new Date(next.retrain!).getUTCDay()).toBe(0);
  });

  it('changes nothing when called again', async () => {
    const registry = registryOf([tenantOf('hubspot-1000'), tenantOf('hubspot-2000')]);
    await sync(registry);
    const before = { schedulers: await schedulers(), ticks: await delayedTicks() };
    const again = await sync(registry);
    expect(again).toMatchObject({ added: [], updated: [], removed: [] });
    expect(again.unchanged).toHaveLength(6);
    expect({ schedulers: await schedulers(), ticks: await delayedTicks() }).toEqual(before);
  });

  it("updates a tenant's schedulers when its schedule changes, and only those that changed", async () => {
    const registry = registryOf([tenantOf('hubspot-1000'), tenantOf('hubspot-2000')]);
    await sync(registry);
    registry.tenants[0] = tenantOf('hubspot-1000', {
      ...NIGHTLY,
      syncEveryMinutes: 60,
      rescoreCron: '30 1 * * *',
    });
    const changes = await sync(registry);
    expect(changes.updated.sort()).toEqual(['hubspot-1000.rescore', 'hubspot-1000.sync']);
    expect(changes).toMatchObject({ added: [], removed: [] });
    expect(changes.unchanged).toHaveLength(4);
    const byKey = new Map((await schedulers()).map((s) => [s.key, s]));
    expect(byKey.get('hubspot-1000.sync')?.every).toBe(60 * 60_000);
    expect(byKey.get('hubspot-1000.rescore')?.pattern).toBe('30 1 * * *');
    expect(byKey.get('hubspot-2000.sync')?.every).toBe(15 * 60_000);
    // The replaced schedulers' old next ticks are gone: still one waiting tick per scheduler.
    expect(await delayedTicks()).toHaveLength(6);
    expect((await nextScheduledTimes(t.redis, prefix, 'hubspot-1000')).rescore).toMatch(/T01:30:00\.000Z$/);
  });

  it('removes the schedulers and waiting ticks of a tenant no longer registered', async () => {
    const registry = registryOf([tenantOf('hubspot-1000'), tenantOf('hubspot-2000')]);
    await sync(registry);
    registry.tenants.splice(0, 1);
    const changes = await sync(registry);
    expect(changes.removed.sort()).toEqual([
      'hubspot-1000.rescore',
      'hubspot-1000.retrain',
      'hubspot-1000.sync',
    ]);
    expect((await schedulers()).map((s) => s.key)).toEqual([
      'hubspot-2000.rescore',
      'hubspot-2000.retrain',
      'hubspot-2000.sync',
    ]);
    expect(await delayedTicks()).toHaveLength(3);
    expect((await delayedTicks()).some((id) => id.includes('hubspot-1000'))).toBe(false);
    expect(await nextScheduledTimes(t.redis, prefix, 'hubspot-1000')).toEqual({});

    registry.tenants.splice(0);
    expect((await sync(registry)).removed).toHaveLength(3);
    expect(await queue.getJobSchedulersCount()).toBe(0);
    expect(await delayedTicks()).toEqual([]);
  });

  it('gives every tenant ids of its own, with no ":" from the tenant id', async () => {
    // Not CRM tenant ids: a CSV import's free name can hold anything tenantKey escapes.
    const names = ['hubspot-1', 'hubspot-10', 'shop:1', 'shop%3a1', 'shop.sync', 'shop'];
    const registry = registryOf(names.map((name) => tenantOf(name)));
    const changes = await sync(registry);
    expect(new Set(changes.added).size).toBe(names.length * 3);
    for (const id of changes.added) expect(id).not.toContain(':');
    expect(scheduleId('shop:1', 'sync')).toBe('shop%3a1.sync');
    expect(scheduleId('shop%3a1', 'sync')).toBe('shop%253a1.sync');
    expect(scheduleId('shop.sync', 'rescore')).toBe('shop%2esync.rescore');
    expect(await queue.getJobSchedulersCount()).toBe(names.length * 3);
    const data = (await schedulers()).map((s) => s.template?.data as { tenant: string });
    expect(new Set(data.map((d) => d.tenant))).toEqual(new Set(names));
  });
});

describe('a tick', () => {
  const deps = (registered = true): TickDeps => ({
    connection: t.redis,
    prefix,
    isRegistered: async () => registered,
  });

  it('enqueues one run however often it is processed, with an id from its scheduled time', async () => {
    const tick = {
      id: `repeat:${scheduleId('hubspot-1000', 'rescore')}:1767229200000`,
      data: { tenant: 'hubspot-1000', kind: 'rescore' },
    };
    const first = await processTick(tick, deps());
    const second = await processTick(tick, deps());
    expect(first).toEqual({
      tenant: 'hubspot-1000',
      kind: 'rescore',
      runId: 'rescore-1767229200000',
      stages: ['sync', 'score', 'writeback'],
    });
    expect(second).toEqual(first);
    expect((await recentRuns(t.redis, prefix, 'hubspot-1000')).map((r) => r.runId)).toEqual([
      'rescore-1767229200000',
    ]);
    for (const stage of ['sync', 'score', 'writeback'] as const) {
      const stageQueue = new Queue(QUEUE_NAMES[stage], { connection: t.redis, prefix });
      try {
        const counts = await stageQueue.getJobCounts('waiting', 'waiting-children', 'delayed');
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
        const job = await stageQueue.getJob(stageJobId('hubspot-1000', 'rescore-1767229200000', stage));
        expect(job?.data).toMatchObject({ tenant: 'hubspot-1000', mode: 'incremental' });
      } finally {
        await stageQueue.close();
      }
    }
  });

  it('of the sync schedule runs an incremental sync only', async () => {
    const tick = {
      id: `repeat:${scheduleId('hubspot-1000', 'sync')}:1767229200000`,
      data: { tenant: 'hubspot-1000', kind: 'sync' },
    };
    expect(await processTick(tick, deps())).toMatchObject({ runId: 'sync-1767229200000', stages: ['sync'] });
  });

  it('of a tenant no longer registered runs nothing', async () => {
    const tick = {
      id: `repeat:${scheduleId('hubspot-1000', 'sync')}:1767229200000`,
      data: { tenant: 'hubspot-1000', kind: 'sync' },
    };
    expect(await processTick(tick, deps(false))).toMatchObject({
      skipped: expect.stringMatching(/registered/),
    });
    expect(await recentRuns(t.redis, prefix, 'hubspot-1000')).toEqual([]);
  });

  it('is refused when a job on the schedule queue is not a tick of ours', async () => {
    const data = { tenant: 'hubspot-1000', kind: 'sync' };
    await expect(processTick({ id: 'manual-1', data }, deps())).rejects.toThrow(ScheduleTickError);
    // A tick of another tenant's scheduler cannot pass for this tenant's.
    await expect(
      processTick({ id: `repeat:${scheduleId('hubspot-2000', 'sync')}:1767229200000`, data }, deps()),
    ).rejects.toThrow(/not a tenant schedule's tick/);
    await expect(
      processTick(
        { id: 'repeat:hubspot-1000.sync:1', data: { tenant: 'hubspot-1000', kind: 'train' } },
        deps(),
      ),
    ).rejects.toThrow(/crm-clv run/);
  });

  it('from a real BullMQ scheduler becomes one run per scheduled time', async () => {
    // The shortest tenant interval is a minute; the scheduler is made by hand here to tick every 300 ms.
    const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const completed: string[] = [];
    const worker: Worker = startTickWorker({ ...deps(), connection, log: (line) => completed.push(line) });
    try {
      await queue.upsertJobScheduler(
        scheduleId('hubspot-1000', 'sync'),
        { every: 300 },
        { name: TICK_JOB, data: { tenant: 'hubspot-1000', kind: 'sync' } },
      );
      for (let i = 0; i < 100 && completed.filter((l) => l.includes('enqueued')).length < 3; i++)
        await new Promise((r) => setTimeout(r, 50));
      await queue.removeJobScheduler(scheduleId('hubspot-1000', 'sync'));
      await worker.close();
      const runs = (await recentRuns(t.redis, prefix, 'hubspot-1000')).map((r) => r.runId);
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(new Set(runs).size).toBe(runs.length);
      for (const runId of runs) expect(runId).toMatch(/^sync-\d+$/);
      // Each run's id is its tick's scheduled time: 300 ms apart.
      const times = runs.map((r) => Number(r.slice('sync-'.length))).sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) expect((times[i] - times[i - 1]) % 300).toBe(0);
    } finally {
      await worker.close();
      await connection.quit();
    }
  });
});
