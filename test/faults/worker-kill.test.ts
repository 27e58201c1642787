/**
 * P5 faults: a `crm-clv worker` killed with SIGKILL during scoring and during write-back. A second worker
 * resumes the run once the dead one's job locks lapse; the sandbox's journal file then shows every scored
 * contact holding its Score's values and no contact property written the same value twice.
 */
import { randomBytes } from 'node:crypto';
import { runStatus } from '../../worker/queue/pipeline-runs';
import { queuePrefix } from '../../worker/queue/redis-connection';
import { RedisRecordStore } from '../../worker/state';
import { deleteKeys, testRedis, type TestRedis } from '../helpers/test-redis';
import {
  contactWrites,
  missingValues,
  repeatedWrites,
  faultsOnceFieldsExist,
  startCli,
  startPortal,
  stop,
  waitFor,
  type CliProcess,
  type FaultPortal,
  registerTenant,
  runPipeline,
} from './fault-harness';

let t: TestRedis;
let env: Record<string, string>;
let portal: FaultPortal | undefined;
const workers: CliProcess[] = [];

beforeAll(async () => {
  t = await testRedis();
  env = {
    REDIS_URL: process.env.REDIS_URL!,
    CRM_CLV_REDIS_PREFIX: t.prefix,
    CRM_CLV_TOKEN_KEY: randomBytes(32).toString('base64'),
  };
});

afterEach(async () => {
  for (const worker of workers.splice(0)) await stop(worker);
  await portal?.close();
  portal = undefined;
});

afterAll(async () => {
  await deleteKeys(t.redis, `${queuePrefix(t.prefix)}:*`);
  await t.cleanup();
});

/** A worker whose jobs another worker may take over 3 s after it dies. */
function startWorker(): CliProcess {
  const worker = startCli(['worker', '--lock-seconds', '3', '--grace-seconds', '1'], env);
  workers.push(worker);
  return worker;
}

const register = (p: FaultPortal) => registerTenant(p, env);
const run = (p: FaultPortal, runId: string, stages: string, wait: boolean) =>
  runPipeline(p, env, runId, stages, wait);

async function expectCompleted(p: FaultPortal, runId: string, stages: string): Promise<unknown> {
  const done = await run(p, runId, stages, true);
  expect({ status: done.status, stderr: done.stderr }).toEqual({ status: 0, stderr: '' });
  const status = JSON.parse(done.stdout) as { state: string; stages: { stage: string; result?: unknown }[] };
  expect(status).toMatchObject({ state: 'completed' });
  return status.stages.find((s) => s.stage === 'writeback')?.result;
}

async function expectJournalHoldsScores(p: FaultPortal): Promise<void> {
  const scored = await new RedisRecordStore({ redis: t.redis, prefix: t.prefix }).readScoreRun(p.tenant);
  expect(scored?.scores.length).toBeGreaterThan(400);
  const writes = contactWrites(p);
  expect(repeatedWrites(writes)).toEqual([]);
  expect(missingValues(p, scored!, writes)).toEqual([]);
}

describe('a worker killed with SIGKILL', () => {
  it('during write-back: a new worker completes the run, resending nothing HubSpot accepted', async () => {
    portal = await startPortal('2101');
    await register(portal);
    const first = startWorker();
    await expectCompleted(portal, 'scored', 'sync,score');
    const scored = await new RedisRecordStore({ redis: t.redis, prefix: t.prefix }).readScoreRun(
      portal.tenant,
    );
    expect((await run(portal, 'written', 'writeback', false)).status).toBe(0);
    await faultsOnceFieldsExist(portal, { latencyMs: 300 });
    const p = portal;
    await waitFor('the first accepted write-back batch', () => contactWrites(p).length > 0);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = contactWrites(portal).length;
    expect(atKill).toBeLessThan(scored!.scores.length);
    portal.sandbox.faults.latencyMs = 0;

    startWorker();
    const result = (await expectCompleted(portal, 'written', 'writeback')) as {
      failed: number;
      settled: number;
      written: number;
    };
    expect(result).toMatchObject({ failed: 0 });
    // Everything is accounted for: recorded before the kill, settled from intents, or written after.
    const recordedBeforeKill = scored!.scores.length - result.settled - result.written;
    expect(recordedBeforeKill).toBeGreaterThanOrEqual(0);
    expect(recordedBeforeKill).toBeLessThanOrEqual(atKill);
    await expectJournalHoldsScores(portal);
  });

  it('during scoring: a new worker scores again and writes every value once', async () => {
    portal = await startPortal('2102');
    await register(portal);
    const first = startWorker();
    await expectCompleted(portal, 'synced', 'sync');
    expect((await run(portal, 'scored', 'score,writeback', false)).status).toBe(0);
    const p = portal;
    await waitFor('scoring to start', async () => {
      const status = await runStatus(t.redis, queuePrefix(t.prefix), p.tenant, 'scored', ['score']);
      return status.stages[0].state === 'active';
    });
    first.child.kill('SIGKILL');
    await first.exited;
    expect(contactWrites(portal)).toEqual([]);

    startWorker();
    await expectCompleted(portal, 'scored', 'score,writeback');
    await expectJournalHoldsScores(portal);
  });
});
