/**
 * P5 faults: a 429 storm and 502s during a worker's write-back. Every throttled or failed call is retried
 * within the run, and the sandbox's journal file shows every scored contact holding its Score's values and
 * no contact property written the same value twice.
 */
import { randomBytes } from 'node:crypto';
import { queuePrefix } from '../../worker/queue/redis-connection';
import { RedisRecordStore } from '../../worker/state';
import { deleteKeys, testRedis, type TestRedis } from '../helpers/test-redis';
import {
  contactWrites,
  faultsOnceFieldsExist,
  missingValues,
  repeatedWrites,
  startCli,
  startPortal,
  stop,
  type CliProcess,
  type FaultPortal,
  registerTenant,
  runPipeline,
} from './fault-harness';

let t: TestRedis;
let worker: CliProcess | undefined;
let portal: FaultPortal | undefined;

beforeAll(async () => {
  t = await testRedis();
});

afterAll(async () => {
  await stop(worker);
  await portal?.close();
  await deleteKeys(t.redis, `${queuePrefix(t.prefix)}:*`);
  await t.cleanup();
});

it('a 429 storm, then 502 for 1 call in 5, during write-back: the run completes, no value written twice', async () => {
  portal = await startPortal('2401');
  const env = {
    REDIS_URL: process.env.REDIS_URL!,
    CRM_CLV_REDIS_PREFIX: t.prefix,
    CRM_CLV_TOKEN_KEY: randomBytes(32).toString('base64'),
  };
  await registerTenant(portal, env);
  worker = startCli(['worker', '--grace-seconds', '1'], env);
  const run = (runId: string, stages: string) => runPipeline(portal!, env, runId, stages);
  const scoredRun = await run('scored', 'sync,score');
  expect({ status: scoredRun.status, stderr: scoredRun.stderr }).toEqual({ status: 0, stderr: '' });
  const scored = await new RedisRecordStore({ redis: t.redis, prefix: t.prefix }).readScoreRun(portal.tenant);
  expect(scored?.scores.length).toBeGreaterThan(400);

  const writing = run('written', 'writeback');
  await faultsOnceFieldsExist(portal, { rateLimitStorm: 3, serverErrorRate: 0.2 });
  const written = await writing;
  expect({ status: written.status, stderr: written.stderr }).toEqual({ status: 0, stderr: '' });
  expect(portal.sandbox.faults.rateLimitStorm).toBe(0);
  const status = JSON.parse(written.stdout) as { stages: { result: { writeCalls: number } }[] };
  // 5 batches of at most 100 contacts: more calls than that are the retries the faults forced.
  expect(status.stages[0].result.writeCalls).toBeGreaterThan(Math.ceil(scored!.scores.length / 100));
  const writes = contactWrites(portal);
  expect(repeatedWrites(writes)).toEqual([]);
  expect(missingValues(portal, scored!, writes)).toEqual([]);
});
