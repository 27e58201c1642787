/**
 * A tenant's run through BullMQ on a real Redis, against the HubSpot sandbox through the real client:
 * sync → score → write-back as one flow, state in the RedisRecordStore.
 */
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import { associationsOf } from '../../connectors/hubspot/sandbox/sandbox-store';
import { redisStageLocks } from '../../worker/locks/redis-stage-locks';
import { inProcessStageLocks, type StageLocks } from '../../worker/locks/stage-lock';
import { readSalesPerformance } from '../../worker/jobs/store-sales-performance';
import { runInline } from '../../worker/queue/inline-runner';
import { enqueueRun, runStatus, type RunStatus } from '../../worker/queue/pipeline-runs';
import type { StageContext } from '../../worker/queue/stage-processors';
import { prepareJobId, reportJobId, shardJobId } from '../../worker/queue/score-flow';
import { QUEUE_NAMES, STAGES, stageJobId, orderedStages } from '../../worker/queue/stages';
import { startWorkers, type RunningWorkers } from '../../worker/queue/start-workers';
import { FileRecordStore, RedisRecordStore } from '../../worker/state';
import type { RecordStore } from '../../worker/state/record-store';
import { tempDir } from '../helpers/run-cli';
import { testRedis, type TestRedis } from '../helpers/test-redis';

const TOKEN = 'sandbox-token';
const TENANT = 'hubspot-1000';
const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10);
const RUN_DATA = {
  mode: 'full' as const,
  // Small shards, so the score stage of these few hundred customers is spread over several shard jobs.
  shardCustomers: 40,
  observationEnd: OBSERVATION_END,
  currency: 'USD',
  rates: { EUR: 1.08, GBP: 1.27 },
};

let t: TestRedis;
let running: RunningSandbox;
let sandbox: ReturnType<typeof createHubSpotSandbox>;

beforeAll(async () => {
  t = await testRedis();
  sandbox = createHubSpotSandbox({ token: TOKEN, portalId: '1000', seed: 5, contacts: 400 });
  running = await sandbox.listen(0);
});
afterAll(async () => {
  await running.close();
  await t.cleanup();
});

function contextFor(
  store: RecordStore,
  locks: StageLocks,
  progress: StageContext['progress'] = async () => {},
): StageContext {
  return {
    store,
    engineVersion: 'test',
    progress,
    lock: (stage, tenant) => locks.acquire(tenant, stage),
    adapterFor: async (tenant) => {
      expect(tenant).toBe(TENANT);
      const connection = createHubSpotConnection({
        accessToken: TOKEN,
        baseUrl: running.url,
        account: { auth: 'oauth' },
      });
      return createHubSpotAdapter({ connection, portalId: 1000 });
    },
  };
}

/** Contacts with at least one won deal, from the sandbox's own store (the truth the connector must reach). */
function buyingContacts(): string[] {
  const won = new Set<string>();
  for (const deal of sandbox.store.objects.deals.byId.values())
    if (deal.properties.dealstage === 'closedwon')
      for (const edge of associationsOf(sandbox.store, 'deals', 'contacts', deal.id)) won.add(edge.toId);
  return [...won];
}

async function waitFor(connection: Redis, prefix: string, runId: string): Promise<RunStatus> {
  for (let i = 0; i < 600; i++) {
    const status = await runStatus(connection, prefix, TENANT, runId, STAGES);
    if (status.state === 'completed' || status.state === 'failed') return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not finish in 60 s`);
}

describe('a pipeline run through BullMQ', () => {
  let workers: RunningWorkers;
  let workerRedis: Redis;
  let store: RedisRecordStore;
  const prefix = () => `{${t.prefix}-q}`;

  beforeAll(() => {
    workerRedis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    store = new RedisRecordStore({ redis: t.redis, prefix: t.prefix });
    const locks = redisStageLocks({ redis: workerRedis, prefix: t.prefix });
    workers = startWorkers({
      connection: workerRedis,
      prefix: prefix(),
      concurrency: 1,
      context: (job: Job) => contextFor(store, locks, (value) => job.updateProgress(value)),
    });
  });
  afterAll(async () => {
    await workers.close(5_000);
    await workerRedis.quit();
  });

  it('syncs, scores and writes back in order, and every buying contact ends with its properties', async () => {
    await enqueueRun(t.redis, prefix(), { tenant: TENANT, runId: 'r1', stages: STAGES, data: RUN_DATA });
    const status = await waitFor(t.redis, prefix(), 'r1');
    expect(status.stages.map((s) => [s.stage, s.state])).toEqual([
      ['sync', 'completed'],
      ['score', 'completed'],
      ['writeback', 'completed'],
    ]);
    const [sync, score, writeback] = status.stages;
    // Pipeline order: each stage started after the previous finished.
    expect(Date.parse(score.startedAt!)).toBeGreaterThanOrEqual(Date.parse(sync.finishedAt!));
    expect(Date.parse(writeback.startedAt!)).toBeGreaterThanOrEqual(Date.parse(score.finishedAt!));

    // Every contact with a won deal was synced and scored (refunds can only net a few to nothing) ...
    const buyers = new Set(buyingContacts());
    const stored = (await store.readScoreRun(TENANT))!;
    const scored = new Set(stored.scores.map((s) => s.customerId));
    expect(buyers.size).toBeGreaterThan(50);
    expect([...scored].filter((id) => !buyers.has(id))).toEqual([]);
    expect(scored.size).toBeGreaterThan(0.95 * buyers.size);
    // ... and the portal now holds each one's values as HubSpot stores them.
    for (const score of stored.scores) {
      const properties = sandbox.store.objects.contacts.byId.get(score.customerId)!.properties;
      // Written at 2 decimals: within half a cent.
      expect(Math.abs(Number(properties.clv_historic) - score.clvHistoric)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(properties.clv_churn_risk).toBe(score.churnRisk);
      // The top next best action's title, as the playbooks' rules gave it in the score stage.
      if (score.nextBestActions !== undefined)
        expect(properties.clv_next_best_action).toBe(score.nextBestActions[0].title);
    }
    // Most buying contacts have advice, and the CRM's first names reach it.
    const advised = stored.scores.filter((s) => s.nextBestActions !== undefined);
    expect(advised.length).toBeGreaterThan(stored.scores.length / 2);
    expect(advised.some((s) => !/this customer/i.test(s.nextBestActions![0].title))).toBe(true);
    expect((writeback.result as { written: number }).written).toBe(scored.size);

    // The score stage ran as a plan, prepare shards that cleaned the tenant's customers in parts, a fit that
    // merged them, one score-shard job per 40 customers (all children of the score job), a commit.
    expect(score.result).not.toHaveProperty('cleanedWhole');
    const shardQueue = new Queue(QUEUE_NAMES.scoreShard, { connection: t.redis, prefix: prefix() });
    const scoreQueue = new Queue(QUEUE_NAMES.score, { connection: t.redis, prefix: prefix() });
    try {
      const scoreJobId = stageJobId(TENANT, 'r1', 'score');
      const scoreJob = (await scoreQueue.getJob(scoreJobId))!;
      const prepareShards = (scoreJob.data as { prepareShards: number }).prepareShards;
      expect(prepareShards).toBeGreaterThan(1);
      const orders = await store.readRecords(TENANT, 'order');
      const prepared = { customers: 0, orders: 0 };
      for (let s = 0; s < prepareShards; s++) {
        const job = await shardQueue.getJob(prepareJobId(scoreJobId, s));
        expect(job?.parentKey).toMatch(new RegExp(`:score:${scoreJobId.replace(/\./g, '\\.')}$`));
        const result = job?.returnvalue as { shard: number; customers: number; orders: number };
        expect(result.shard).toBe(s);
        prepared.customers += result.customers;
        prepared.orders += result.orders;
      }
      // Every stored order was read by exactly one prepare shard, with its customer.
      expect(prepared).toEqual({
        customers: new Set(orders.map((o) => o.customerId)).size,
        orders: orders.length,
      });
      const shards = Math.ceil(stored.scores.length / 40);
      expect(shards).toBeGreaterThan(3);
      expect(await shardQueue.getJobCountByTypes('completed')).toBe(prepareShards + shards);
      for (let s = 0; s < shards; s++) {
        const job = await shardQueue.getJob(shardJobId(scoreJobId, s));
        expect(job?.parentKey).toMatch(new RegExp(`:score:${scoreJobId.replace(/\./g, '\\.')}$`));
        expect(job?.returnvalue).toEqual({
          shard: s,
          customers: s < shards - 1 ? 40 : stored.scores.length - 40 * s,
        });
      }
    } finally {
      await shardQueue.close();
      await scoreQueue.close();
    }
    // The scratch the shards were made from is gone once the run is committed.
    expect(await store.getRunScratch(TENANT, 'r1', 'basis')).toBeUndefined();

    // The sales-performance report is made by a report job queued by the commit, off the run's path: not a
    // child of any stage, its id the score job's with `.report`, and it stores the report of the new Scores.
    const reportQueue = new Queue(QUEUE_NAMES.report, { connection: t.redis, prefix: prefix() });
    try {
      const id = reportJobId(stageJobId(TENANT, 'r1', 'score'));
      let job = await reportQueue.getJob(id);
      for (let i = 0; i < 300 && job?.finishedOn === undefined; i++) {
        await new Promise((r) => setTimeout(r, 100));
        job = await reportQueue.getJob(id);
      }
      expect(job?.parentKey).toBeUndefined();
      expect(job?.finishedOn).toBeDefined();
      const report = (await readSalesPerformance(store, TENANT))!;
      // The reps are the sandbox's owners (each once per segment row).
      const rows = report.reps.map((r) => `${r.repId}/${r.segment}`);
      expect(new Set(rows).size).toBe(rows.length);
      const owners = new Set(sandbox.store.owners.map((o) => o.id));
      expect(report.reps.length).toBeGreaterThan(0);
      expect(report.reps.filter((r) => !owners.has(r.repId))).toEqual([]);
      expect(job?.returnvalue).toEqual({
        report: 'sales-performance',
        reps: report.reps.length,
        channels: report.channels.length,
      });
      // Enqueued again (a commit retried after a crash): the same job, not a second one.
      await reportQueue.add('report', { tenant: TENANT, runId: 'r1' }, { jobId: id });
      expect(await reportQueue.getJobCountByTypes('completed', 'waiting', 'active', 'delayed')).toBe(1);
    } finally {
      await reportQueue.close();
    }
  });

  it('adds nothing when the same run is enqueued again (deterministic job ids)', async () => {
    const writesBefore = sandbox.store.objects.contacts.byId.size;
    await enqueueRun(t.redis, prefix(), { tenant: TENANT, runId: 'r1', stages: STAGES, data: RUN_DATA });
    const status = await runStatus(t.redis, prefix(), TENANT, 'r1', STAGES);
    expect(status.state).toBe('completed');
    expect(status.stages.every((s) => s.attempts === 1)).toBe(true);
    expect(sandbox.store.objects.contacts.byId.size).toBe(writesBefore);
  });

  it('fails the later stages when an earlier one fails, saying why', async () => {
    // Scoring a tenant whose currency needs a rate it was not given cannot succeed.
    await enqueueRun(t.redis, prefix(), {
      tenant: TENANT,
      runId: 'r2',
      stages: orderedStages(['score', 'writeback']),
      data: { observationEnd: OBSERVATION_END, currency: 'USD', rates: {} },
    });
    let status: RunStatus | undefined;
    for (let i = 0; i < 600 && status?.stages.every((s) => s.state === 'failed') !== true; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await runStatus(t.redis, prefix(), TENANT, 'r2', ['score', 'writeback']);
    }
    expect(status!.stages.map((s) => s.state)).toEqual(['failed', 'failed']);
    expect(status!.stages[0].failedReason).toMatch(/EUR|GBP|rate/);
  });
});

describe('the same stages inline, without Redis', () => {
  it('gives the same outcome through the same processors', async () => {
    const store = new FileRecordStore(tempDir('inline-run'));
    const results = await runInline(STAGES, { tenant: TENANT, runId: 'inline', ...RUN_DATA }, () =>
      contextFor(store, inProcessStageLocks()),
    );
    expect(results.map((r) => r.stage)).toEqual(['sync', 'score', 'writeback']);
    const writeback = results[2].result as { scores: number; written: number; failed: number };
    expect(writeback.scores).toBeGreaterThan(0.95 * buyingContacts().length);
    // A fresh store knows of no earlier write, so every scored contact is written once.
    expect(writeback).toMatchObject({ written: writeback.scores, failed: 0 });
  });
});

describe('stage job ids', () => {
  it('are the same for the same run and never carry a raw ":" from a tenant id', () => {
    expect(stageJobId('hubspot-1000', 'r1', 'sync')).toBe(stageJobId('hubspot-1000', 'r1', 'sync'));
    expect(stageJobId('csv-a:b', 'r1', 'score')).toBe('csv-a%3ab.r1.score');
    expect(() => stageJobId('hubspot-1', 'bad:id', 'sync')).toThrow(/run id/);
    expect(() => orderedStages(['score', 'sink'])).toThrow(/unknown stage 'sink'/);
    expect(orderedStages(['writeback', 'sync'])).toEqual(['sync', 'writeback']);
  });
});
