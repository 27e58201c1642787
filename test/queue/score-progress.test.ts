/**
 * `crm-clv status` on a score job waiting for its children: how many prepare shards are done, then how many
 * score shards, not counting the run's earlier stage, which is a child of the score job too.
 */
import { FlowProducer, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { crmTenantId } from '../../domain/tenant';
import { runStatus } from '../../worker/queue/pipeline-runs';
import { prepareJobId, shardJobId } from '../../worker/queue/score-flow';
import { QUEUE_NAMES, stageJobId } from '../../worker/queue/stages';
import { testRedis, type TestRedis } from '../helpers/test-redis';

const TENANT = crmTenantId('hubspot', '77');
let t: TestRedis;
let connection: Redis;
const prefix = () => `{${t.prefix}}`;
const workers: Worker[] = [];

beforeAll(async () => {
  t = await testRedis();
  connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close(true)));
  await connection.quit();
  await t.cleanup();
});

/** A score job (never taken) whose children are the sync stage, `prepare` prepare shards and `shards` score shards. */
async function scoreWaitingFor(runId: string, prepare: number, shards: number | undefined): Promise<string> {
  const id = stageJobId(TENANT, runId, 'score');
  const child = (name: string, jobId: string, queue: string) => ({
    name,
    queueName: queue,
    data: { tenant: TENANT, runId },
    opts: { jobId },
  });
  const flows = new FlowProducer({ connection, prefix: prefix() });
  await flows.add({
    name: 'score',
    queueName: QUEUE_NAMES.score,
    data: { tenant: TENANT, runId, prepareShards: prepare, ...(shards === undefined ? {} : { shards }) },
    opts: { jobId: id },
    children: [
      child('sync', stageJobId(TENANT, runId, 'sync'), QUEUE_NAMES.sync),
      ...Array.from({ length: prepare }, (_, s) =>
        child('prepare', prepareJobId(id, s), QUEUE_NAMES.scoreShard),
      ),
      ...Array.from({ length: shards ?? 0 }, (_, s) =>
        child('score-shard', shardJobId(id, s), QUEUE_NAMES.scoreShard),
      ),
    ],
  });
  await flows.close();
  return id;
}

/** Completes the children whose ids are in `done`; the others stay active until the test ends. */
function completeOnly(queue: string, done: Set<string>): void {
  const worker = new Worker(
    queue,
    async (job: Job) => {
      if (!done.has(job.id!)) await new Promise(() => undefined);
      return { ok: true };
    },
    { connection, prefix: prefix(), concurrency: 10 },
  );
  workers.push(worker);
}

async function progressWhen(runId: string, expected: unknown): Promise<unknown> {
  let progress: unknown;
  for (let i = 0; i < 100; i++) {
    progress = (await runStatus(t.redis, prefix(), TENANT, runId, ['score'])).stages[0].progress;
    if (JSON.stringify(progress) === JSON.stringify(expected)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return progress;
}

it('counts the prepare shards done, then the score shards, leaving the sync stage out', async () => {
  const preparing = await scoreWaitingFor('r1', 3, undefined);
  const scoring = await scoreWaitingFor('r2', 2, 4);
  completeOnly(
    QUEUE_NAMES.sync,
    new Set([stageJobId(TENANT, 'r1', 'sync'), stageJobId(TENANT, 'r2', 'sync')]),
  );
  completeOnly(
    QUEUE_NAMES.scoreShard,
    new Set([
      prepareJobId(preparing, 0),
      prepareJobId(scoring, 0),
      prepareJobId(scoring, 1),
      shardJobId(scoring, 2),
    ]),
  );
  expect(await progressWhen('r1', { stage: 'preparing shards', done: 1, of: 3 })).toEqual({
    stage: 'preparing shards',
    done: 1,
    of: 3,
  });
  expect(await progressWhen('r2', { stage: 'scoring shards', done: 1, of: 4 })).toEqual({
    stage: 'scoring shards',
    done: 1,
    of: 4,
  });
});
