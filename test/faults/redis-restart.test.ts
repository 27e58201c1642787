/**
 * P5 faults: Redis restarted between stages. A Redis under BullMQ must persist (append-only file): this test
 * runs its own redis-server with `appendfsync always`, kills it with SIGKILL after scoring and starts it again
 * on the same files. The running worker reconnects, the write-back run finds the tenant, its Scores and its
 * queues as they were, and the sandbox's journal file shows every value written once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { RedisRecordStore } from '../../worker/state';
import { tempDir } from '../helpers/run-cli';
import { answersPing } from '../setup/redis-global-setup';
import {
  contactWrites,
  missingValues,
  repeatedWrites,
  startCli,
  startPortal,
  stop,
  waitFor,
  type CliProcess,
  type FaultPortal,
  registerTenant,
  runPipeline,
} from './fault-harness';

const PREFIX = 'faults-restart';
let port: number;
let url: string;
const dir = tempDir('faults-redis');
let server: ChildProcess | undefined;
let worker: CliProcess | undefined;
let portal: FaultPortal | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** redis-server on `port`, its append-only file in `dir`, every write fsynced before it is acknowledged. */
async function startRedis(): Promise<void> {
  server = spawn(
    'redis-server',
    ['--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
    { stdio: 'ignore' },
  );
  await waitFor('redis-server to answer', () => answersPing(url, 200), 10_000);
}

async function killRedis(): Promise<void> {
  const running = server;
  if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  await startRedis();
});

afterAll(async () => {
  await stop(worker);
  await portal?.close();
  await killRedis();
});

it('Redis killed and restarted between scoring and write-back: the run completes, no value written twice', async () => {
  portal = await startPortal('2301');
  const env = {
    REDIS_URL: url,
    CRM_CLV_REDIS_PREFIX: PREFIX,
    CRM_CLV_TOKEN_KEY: randomBytes(32).toString('base64'),
  };
  await registerTenant(portal, env);
  worker = startCli(['worker', '--grace-seconds', '1'], env);
  const run = (runId: string, stages: string) => runPipeline(portal!, env, runId, stages);
  const scoredRun = await run('scored', 'sync,score');
  expect({ status: scoredRun.status, stderr: scoredRun.stderr }).toEqual({ status: 0, stderr: '' });
  const before = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await before.connect();
  const scored = await new RedisRecordStore({ redis: before, prefix: PREFIX }).readScoreRun(portal.tenant);
  before.disconnect();
  expect(scored?.scores.length).toBeGreaterThan(400);

  await killRedis();
  await startRedis();

  const written = await run('written', 'writeback');
  expect({ status: written.status, stderr: written.stderr }).toEqual({ status: 0, stderr: '' });
  expect(worker.child.exitCode).toBeNull();
  const writes = contactWrites(portal);
  expect(repeatedWrites(writes)).toEqual([]);
  // The Scores written are the ones stored before the restart.
  expect(missingValues(portal, scored!, writes)).toEqual([]);
});
