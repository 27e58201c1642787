/**
 * Two tenants at once (issue P5): two HubSpot sandbox portals run sync → score → write-back at the same time
 * through one set of BullMQ workers, one queue prefix and one RedisRecordStore. The portals' object ids overlap
 * (both count from the same first id), so a mix-up would not show as a foreign id: what each store and each
 * portal holds is compared with that portal's own data. The store's per-key isolation is covered by
 * test/state/record-store-contract.ts and the refusal of a foreign run by test/jobs/write-back-scores.test.ts;
 * here both run through the workers together.
 */
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { formatPropertyValue } from '../../connectors/hubspot/changed-values';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type HubSpotSandbox,
  type JournalEntry,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import { contractValues } from '../../domain/property-contract';
import { tenantKey, type TenantId } from '../../domain/tenant';
import { redisStageLocks } from '../../worker/locks/redis-stage-locks';
import { enqueueRun, runStatus, type RunStatus } from '../../worker/queue/pipeline-runs';
import { QUEUE_NAMES, STAGES, stageJobId, type RunStage } from '../../worker/queue/stages';
import { startWorkers, type RunningWorkers } from '../../worker/queue/start-workers';
import { RedisRecordStore } from '../../worker/state';
import { deleteKeys, listKeys, testRedis, type TestRedis } from '../helpers/test-redis';

const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10);
const RUN_DATA = {
  mode: 'full' as const,
  observationEnd: OBSERVATION_END,
  currency: 'USD',
  rates: { EUR: 1.08, GBP: 1.27 },
};

type Portal = {
  tenant: TenantId;
  portalId: number;
  token: string;
  sandbox: HubSpotSandbox;
  journal: JournalEntry[];
  running: RunningSandbox;
};

let t: TestRedis;
let workerRedis: Redis;
let store: RedisRecordStore;
let workers: RunningWorkers;
const portals: Portal[] = [];
const queuePrefix = () => `{${t.prefix}-q}`;

async function openPortal(portalId: number, seed: number): Promise<Portal> {
  const journal: JournalEntry[] = [];
  const token = `token-${portalId}`;
  const sandbox = createHubSpotSandbox({
    token,
    portalId: String(portalId),
    seed,
    contacts: 200,
    journal: (entries) => journal.push(...entries),
  });
  return {
    tenant: `hubspot-${portalId}`,
    portalId,
    token,
    sandbox,
    journal,
    running: await sandbox.listen(0),
  };
}

beforeAll(async () => {
  t = await testRedis();
  portals.push(await openPortal(1000, 5), await openPortal(2000, 9));
  workerRedis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  store = new RedisRecordStore({ redis: t.redis, prefix: t.prefix });
  const locks = redisStageLocks({ redis: workerRedis, prefix: t.prefix });
  workers = startWorkers({
    connection: workerRedis,
    prefix: queuePrefix(),
    // Both tenants' stages run side by side.
    concurrency: 2,
    context: (job: Job) => ({
      store,
      engineVersion: 'test',
      progress: (value) => job.updateProgress(value),
      lock: (stage, tenant) => locks.acquire(tenant, stage),
      adapterFor: async (tenant) => {
        const portal = portals.find((p) => p.tenant === tenant)!;
        const connection = createHubSpotConnection({
          accessToken: portal.token,
          baseUrl: portal.running.url,
          account: { auth: 'oauth' },
        });
        return createHubSpotAdapter({ connection, portalId: portal.portalId });
      },
    }),
  });
});
afterAll(async () => {
  await workers?.close(5_000);
  await workerRedis?.quit();
  for (const portal of portals) await portal.running.close();
  if (t) await deleteKeys(t.redis, `${queuePrefix()}:*`);
  await t?.cleanup();
});

async function finished(tenant: TenantId, runId: string, stages: readonly RunStage[]): Promise<RunStatus> {
  for (let i = 0; i < 1200; i++) {
    const status = await runStatus(t.redis, queuePrefix(), tenant, runId, stages);
    if (status.state === 'completed' || status.state === 'failed') return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${tenant} run ${runId} did not finish in 120 s`);
}

/** The start of every store key of a tenant (redis-record-store.ts layout). */
const tenantBase = (tenant: TenantId) => `${t.prefix}:{${tenantKey(tenant)}}`;
const sorted = (ids: Iterable<string>) => [...ids].sort();
const contactWrites = (portal: Portal) => portal.journal.filter((e) => e.objectType === 'contacts');

describe('two tenants run at once through one queue and one store', () => {
  it('each ends with its own records, scores, written values and model, and its portal with its own values', async () => {
    // The same run id for both: their jobs must still be apart.
    await Promise.all(
      portals.map((p) =>
        enqueueRun(t.redis, queuePrefix(), { tenant: p.tenant, runId: 'r1', stages: STAGES, data: RUN_DATA }),
      ),
    );
    const statuses = await Promise.all(portals.map((p) => finished(p.tenant, 'r1', STAGES)));
    for (const status of statuses)
      expect(status.stages.map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);

    for (const portal of portals) {
      const objects = portal.sandbox.store.objects;
      // The synced records are this portal's objects, read from its own sandbox.
      const customers = await store.readRecords(portal.tenant, 'customer');
      expect(sorted(customers.map((c) => c.id))).toEqual(sorted(objects.contacts.byId.keys()));
      for (const customer of customers)
        expect(customer.email).toBe(objects.contacts.byId.get(customer.id)!.properties.email);
      const orders = await store.readRecords(portal.tenant, 'order');
      expect(orders.length).toBeGreaterThan(0);
      for (const order of orders) {
        const deal = objects.deals.byId.get(order.id)!;
        expect([order.id, order.amount]).toEqual([order.id, Number(deal.properties.amount)]);
      }

      // Its scores were made for it from those records, and its model counts its own customers.
      const { run, scores } = (await store.readScoreRun(portal.tenant))!;
      expect(run.tenant).toBe(portal.tenant);
      const buyers = new Set(orders.map((o) => o.customerId));
      // A buyer whose refunds net their orders to nothing is not scored.
      expect(scores.filter((s) => !buyers.has(s.customerId))).toEqual([]);
      expect(scores.length).toBeGreaterThan(0.95 * buyers.size);
      expect((await store.getModel(portal.tenant))!.current!.metrics.customers).toBe(scores.length);

      // What the store says was written is what this portal received, and the portal holds these scores.
      const written = await store.getWrittenValues(portal.tenant);
      expect(sorted(Object.keys(written))).toEqual(sorted(scores.map((s) => s.customerId)));
      expect(sorted(contactWrites(portal).map((e) => e.objectId))).toEqual(sorted(Object.keys(written)));
      for (const score of scores) {
        const held = objects.contacts.byId.get(score.customerId)!.properties;
        expect(held.clv_historic).toBe(formatPropertyValue('clv_historic', score.clvHistoric));
        expect(held.clv_predicted_12m).toBe(formatPropertyValue('clv_predicted_12m', score.clvPredicted));
        expect(written[score.customerId].clv_segment).toBe(contractValues(score).clv_segment);
      }
    }
    // The portals' ids overlap, so the checks above would pass on a mix-up only if their data agreed: it does not.
    const [a, b] = await Promise.all(portals.map((p) => store.readScoreRun(p.tenant)));
    const shared = a!.scores.filter((s) => b!.scores.some((o) => o.customerId === s.customerId));
    expect(shared.length).toBeGreaterThan(10);
    const bById = new Map(b!.scores.map((s) => [s.customerId, s]));
    expect(
      shared.filter((s) => s.clvHistoric !== bById.get(s.customerId)!.clvHistoric).length,
    ).toBeGreaterThan(shared.length / 2);
  });

  it('keeps job ids and store keys apart: each tenant has its own, none shared', async () => {
    for (const stage of STAGES) {
      const [idA, idB] = portals.map((p) => stageJobId(p.tenant, 'r1', stage));
      expect(idA).not.toBe(idB);
      for (const [portal, id] of [
        [portals[0], idA],
        [portals[1], idB],
      ] as const) {
        const job = await workerRedis.hgetall(`${queuePrefix()}:${QUEUE_NAMES[stage]}:${id}`);
        expect(JSON.parse(job.data).tenant).toBe(portal.tenant);
      }
    }
    const keys = await listKeys(t.redis, `${t.prefix}:{*`);
    const owner = (key: string) => portals.filter((p) => key.startsWith(tenantBase(p.tenant)));
    // Every store key belongs to exactly one tenant, and each has the same kinds of key.
    expect(keys.filter((key) => owner(key).length !== 1)).toEqual([]);
    const kinds = portals.map((p) =>
      keys
        .filter((key) => owner(key)[0] === p)
        .map((key) => key.slice(tenantBase(p.tenant).length))
        // Score shards and segment indexes are named by run id, and the two runs' ids are their times.
        .map((key) =>
          key.replace(/^:scores:[^:]+:/, ':scores:<run>:').replace(/^:segments:[^:]+$/, ':segments:<run>'),
        )
        // Bucket sets are named by the customer buckets a tenant's customers fall in.
        .map((key) => key.replace(/^(:by-customer:[^:]+:)\d+$/, '$1<bucket>'))
        .filter((key, i, all) => all.indexOf(key) === i)
        .sort(),
    );
    expect(kinds[0].length).toBeGreaterThan(5);
    expect(kinds[0]).toEqual(kinds[1]);
    expect(kinds[0].some((k) => k.includes(tenantKey(portals[1].tenant)))).toBe(false);
  });

  it("refuses a write-back of A when A's key holds B's score run, and writes nothing anywhere", async () => {
    const [a, b] = portals;
    const kept = (await store.readScoreRun(a.tenant))!;
    const foreign = (await store.readScoreRun(b.tenant))!;
    const writesBefore = portals.map((p) => p.journal.length);
    try {
      // A store keyed wrongly: B's run under A's keys.
      await store.putScoreRun(a.tenant, foreign.run, foreign.scores);
      await enqueueRun(t.redis, queuePrefix(), {
        tenant: a.tenant,
        runId: 'r2',
        stages: ['writeback'],
        data: RUN_DATA,
      });
      const status = await finished(a.tenant, 'r2', ['writeback']);
      expect(status.stages[0].state).toBe('failed');
      expect(status.stages[0].failedReason).toMatch(
        new RegExp(`made for ${b.tenant} from hubspot data, not for ${a.tenant}`),
      );
      // Refused as bad input: not retried.
      expect(status.stages[0].attempts).toBe(1);
      expect(portals.map((p) => p.journal.length)).toEqual(writesBefore);
    } finally {
      await store.putScoreRun(a.tenant, kept.run, kept.scores);
    }
  });
});
