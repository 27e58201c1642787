/**
 * Owner tasks end to end: write-back against the HubSpot sandbox through the real client, with hand-built
 * Scores where who qualifies is worked out by hand (top fifth of predicted CLV and churn band high), and both
 * stores holding the episodes.
 */
import type { CrmAdapter, OwnerTaskCapability } from '../../connectors/crm-adapter';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import type { SandboxObject } from '../../connectors/hubspot/sandbox/types';
import type { ChurnRisk, Score, ScoreRun } from '../../domain/score';
import { inProcessStageLocks } from '../../worker/locks';
import { processWriteback, type StageContext } from '../../worker/queue/stage-processors';
import { FileRecordStore, RedisRecordStore, type RecordStore } from '../../worker/state';
import { writeBackScores } from '../../worker/jobs/write-back-scores';
import {
  RETRY,
  startWritebackHarness,
  type WritebackHarness,
} from '../connectors/hubspot/writeback/writeback-harness';
import { tempDir } from '../helpers/run-cli';
import { testRedis, type TestRedis } from '../helpers/test-redis';

const TENANT = 'hubspot-1000';
const ON = { enabled: true };

const runOf = (runId: string, customers: number): ScoreRun => ({
  runId,
  tenant: TENANT,
  source: 'hubspot',
  scoredAt: '2026-11-20T12:00:00.000Z',
  modelVersion: 'bgnbd/test',
  clvMonths: 12,
  currency: 'USD',
  customers,
});

/**
 * Twenty contacts, contact i with predicted CLV 100·(i + 1): the top fifth is i = 16…19. High risk: 19, 18, 16
 * (top fifth) and 10, 2 (not); 17 is top fifth but medium. So by hand exactly 16, 18 and 19 get a task.
 */
const QUALIFYING = [16, 18, 19];
const BASE_RISKS: Record<number, ChurnRisk> = {
  19: 'high',
  18: 'high',
  17: 'medium',
  16: 'high',
  10: 'high',
  2: 'high',
};

function scoresFor(ids: readonly string[], risks: Record<number, ChurnRisk> = BASE_RISKS): Score[] {
  return ids.map((customerId, i) => ({
    customerId,
    clvHistoric: 50,
    clvPredicted: 100 * (i + 1),
    expectedOrders: 1.5,
    churnProbability: risks[i] === 'high' ? 0.8 : 0.2,
    churnRisk: risks[i] ?? 'low',
    churnDrivers: [
      { feature: 'recency', contribution: 1.2, text: 'no order for 210 days, longer than 80% of customers' },
    ],
    nextBestActions: [
      {
        id: 'save-valuable-at-risk',
        title: 'Call this week: valuable and at high churn risk',
        reason: '',
        priority: 90,
      },
    ],
    modelVersion: 'bgnbd/test',
    scoredAt: '2026-11-20T12:00:00.000Z',
  }));
}

let h: WritebackHarness;
let redis: TestRedis | undefined;
afterEach(async () => {
  await h?.close();
  await redis?.cleanup();
  redis = undefined;
});

const adapterFor = (harness: WritebackHarness) =>
  createHubSpotAdapter({ connection: harness.connection, portalId: 1000, retry: RETRY });

const tasks = (): SandboxObject[] =>
  [...h.sandbox.store.objects.tasks.byId.values()].filter((t) => !t.archived);

/** The contacts each task is associated with, read from the sandbox's association table. */
const taskContacts = (taskId: string): string[] =>
  (h.sandbox.store.associations.get('tasks|contacts')?.get(taskId) ?? []).map((e) => e.toId);

async function run(store: RecordStore, runId: string, risks?: Record<number, ChurnRisk>, ownerTasks = ON) {
  const ids = h.contactIds();
  return writeBackScores({
    adapter: adapterFor(h),
    store,
    scored: { run: runOf(runId, ids.length), scores: scoresFor(ids, risks) },
    ownerTasks,
    now: () => new Date('2026-11-20T12:00:00.000Z'),
  });
}

const stores: [string, () => Promise<RecordStore>][] = [
  ['FileRecordStore', async () => new FileRecordStore(tempDir('owner-tasks'))],
  [
    'RedisRecordStore',
    async () => {
      redis = await testRedis();
      return new RedisRecordStore({ redis: redis.redis, prefix: redis.prefix });
    },
  ],
];

describe('owner tasks', () => {
  it('are off by default: a write-back creates no task', async () => {
    h = await startWritebackHarness(20);
    const store = new FileRecordStore(tempDir('owner-tasks'));
    const ids = h.contactIds();
    const result = await writeBackScores({
      adapter: adapterFor(h),
      store,
      scored: { run: runOf('run-1', 20), scores: scoresFor(ids) },
    });
    expect(result.written.customersWritten).toBe(20);
    expect(result.tasks).toBeUndefined();
    await run(store, 'run-1', undefined, { enabled: false });
    expect(tasks()).toEqual([]);
    expect(await store.getOwnerTaskEpisodes(TENANT)).toEqual({});
  });

  describe.each(stores)('with %s', (_name, makeStore) => {
    it('gives exactly the top-fifth high-risk customers one task each, owned by their owner, on their contact', async () => {
      h = await startWritebackHarness(20);
      const ids = h.contactIds();
      // Contact 16 has no owner: its task is created unassigned and counted.
      const contacts = h.sandbox.store.objects.contacts.byId;
      delete contacts.get(ids[16])!.properties.hubspot_owner_id;
      const store = await makeStore();
      const first = await run(store, 'run-1');
      expect(first.tasks).toMatchObject({
        qualifying: 3,
        created: 3,
        alreadyOpen: 0,
        noOwner: 1,
        failed: [],
        unknown: 0,
      });
      expect(first.tasks?.opened).toBe(5); // every high-risk customer's episode opens, task or not

      const made = tasks();
      expect(made).toHaveLength(3);
      expect(made.map((t) => taskContacts(t.id)).sort()).toEqual(QUALIFYING.map((i) => [ids[i]]).sort());
      for (const task of made) {
        const contact = contacts.get(taskContacts(task.id)[0])!.properties;
        expect(task.properties.hubspot_owner_id).toBe(contact.hubspot_owner_id); // undefined for contact 16
        expect(task.properties.hs_task_subject).toBe(
          `Retention call: ${contact.firstname} ${contact.lastname} — high churn risk, top 20% CLV`,
        );
        expect(task.properties).toMatchObject({ hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH' });
        expect(task.properties.hs_timestamp).toBe('2026-11-23T12:00:00.000Z');
        expect(task.properties.hs_task_body).toContain('Churn probability: 80% (high risk).');
        expect(task.properties.hs_task_body).toContain(
          'Why: no order for 210 days, longer than 80% of customers.',
        );
        expect(task.properties.hs_task_body).toContain(
          'Next best action: Call this week: valuable and at high churn risk',
        );
      }
      expect(
        made.filter((t) => t.properties.hubspot_owner_id === undefined).map((t) => taskContacts(t.id)[0]),
      ).toEqual([ids[16]]);

      // A second run (a rerun, a retried job) creates none.
      const second = await run(store, 'run-2');
      expect(second.tasks).toMatchObject({ qualifying: 3, created: 0, alreadyOpen: 3, opened: 0, closed: 0 });
      expect(tasks()).toHaveLength(3);
    });

    it('gives a customer who drops to medium and returns to high a second task', async () => {
      h = await startWritebackHarness(20);
      const ids = h.contactIds();
      const store = await makeStore();
      await run(store, 'run-1');
      const dropped = await run(store, 'run-2', { ...BASE_RISKS, 19: 'medium' });
      expect(dropped.tasks).toMatchObject({ created: 0, closed: 1, alreadyOpen: 2 });
      const back = await run(store, 'run-3');
      expect(back.tasks).toMatchObject({ created: 1, opened: 1, alreadyOpen: 2 });
      const of19 = tasks().filter((t) => taskContacts(t.id)[0] === ids[19]);
      expect(of19).toHaveLength(2);
      expect(tasks()).toHaveLength(4);
      expect(await run(store, 'run-4')).toMatchObject({ tasks: { created: 0, alreadyOpen: 3 } });
    });

    it('creates no second task after a crash between HubSpot creating it and the store recording it', async () => {
      h = await startWritebackHarness(20);
      const base = await makeStore();
      // The process dies as the confirmation is being recorded: HubSpot has the tasks, the store only the intent.
      const dying: RecordStore = Object.assign(Object.create(base) as RecordStore, {
        setOwnerTaskEpisodes: async (
          tenant: string,
          episodes: Parameters<RecordStore['setOwnerTaskEpisodes']>[1],
        ) => {
          if (Object.values(episodes).some((e) => e.task?.status === 'created')) throw new Error('killed');
          return base.setOwnerTaskEpisodes(tenant, episodes);
        },
      });
      await expect(run(dying, 'run-1')).rejects.toThrow('killed');
      expect(tasks()).toHaveLength(3);
      const pending = Object.values(await base.getOwnerTaskEpisodes(TENANT)).filter(
        (e) => e.task?.status === 'sending',
      );
      expect(pending).toHaveLength(3);

      const rerun = await run(base, 'run-1');
      expect(rerun.tasks).toMatchObject({ settled: { checked: 3, found: 3 }, created: 0, alreadyOpen: 3 });
      expect(tasks()).toHaveLength(3);
      const recorded = Object.values(await base.getOwnerTaskEpisodes(TENANT)).filter(
        (e) => e.task?.status === 'created',
      );
      expect(recorded.map((e) => (e.task as { id: string }).id).sort()).toEqual(
        tasks()
          .map((t) => t.id)
          .sort(),
      );
    });
  });

  it('creates the tasks on the rerun when the crash came before the create went out', async () => {
    h = await startWritebackHarness(20);
    const store = new FileRecordStore(tempDir('owner-tasks'));
    const real = adapterFor(h);
    const dying: CrmAdapter = {
      ...real,
      ownerTasks: {
        ...(real.ownerTasks as OwnerTaskCapability),
        createTasks: async (input) => {
          await input.onSending?.(input.tasks);
          throw new Error('killed');
        },
      },
    };
    const ids = h.contactIds();
    await expect(
      writeBackScores({
        adapter: dying,
        store,
        scored: { run: runOf('run-1', 20), scores: scoresFor(ids) },
        ownerTasks: ON,
      }),
    ).rejects.toThrow('killed');
    expect(tasks()).toEqual([]);
    const rerun = await run(store, 'run-1');
    expect(rerun.tasks).toMatchObject({ settled: { checked: 3, found: 0 }, created: 3 });
    expect(tasks()).toHaveLength(3);
  });

  it("follows the tenant's setting in the worker's write-back stage", async () => {
    h = await startWritebackHarness(20);
    const store = new FileRecordStore(tempDir('owner-tasks'));
    const ids = h.contactIds();
    await store.putScoreRun(TENANT, runOf('run-1', 20), scoresFor(ids));
    const locks = inProcessStageLocks();
    const context = (ownerTasks: StageContext['ownerTasks']): StageContext => ({
      store,
      engineVersion: 'test',
      progress: async () => {},
      adapterFor: async () => adapterFor(h),
      lock: (stage, tenant) => locks.acquire(tenant, stage),
      ownerTasks,
    });
    const off = await processWriteback(
      { tenant: TENANT, runId: 'run-1' },
      context(async () => undefined),
    );
    expect(off.tasks).toBeUndefined();
    expect(tasks()).toEqual([]);
    const on = await processWriteback(
      { tenant: TENANT, runId: 'run-1' },
      context(async () => ON),
    );
    expect(on.tasks).toEqual({ created: 3, alreadyOpen: 0, noOwner: 0, failed: 0, unknown: 0 });
    expect(tasks()).toHaveLength(3);
  });
});
