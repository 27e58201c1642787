/**
 * The running system from a shell, as a user would drive it: a tenant registered with `crm-clv tenant add`,
 * a `crm-clv worker` process, `crm-clv run --wait` and `crm-clv status`, against the HubSpot sandbox, with
 * queues and state on a real Redis under a prefix of this test's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import { REPO_ROOT, runCliAsync, tempDir } from '../helpers/run-cli';
import { testRedis, type TestRedis, deleteKeys } from '../helpers/test-redis';

const TOKEN = 'sandbox-token';
const TENANT = 'hubspot-1000';

let t: TestRedis;
let running: RunningSandbox;
let sandbox: ReturnType<typeof createHubSpotSandbox>;
let worker: ChildProcess;
let workerLog = '';
let env: Record<string, string>;
const dir = tempDir('worker-run');

beforeAll(async () => {
  t = await testRedis();
  sandbox = createHubSpotSandbox({ token: TOKEN, portalId: '1000', seed: 9, contacts: 300 });
  running = await sandbox.listen(0);
  env = {
    REDIS_URL: process.env.REDIS_URL!,
    CRM_CLV_REDIS_PREFIX: t.prefix,
    CRM_CLV_TOKEN_KEY: randomBytes(32).toString('base64'),
  };
  const added = await runCliAsync(
    ['tenant', 'add', '--crm', 'hubspot', '--portal-id', '1000', '--base-url', running.url, '--token', TOKEN],
    env,
  );
  expect(added.stderr).toBe('');
  expect(added.status).toBe(0);
  worker = spawn(process.execPath, [join(REPO_ROOT, 'dist/cli/main.js'), 'worker', '--grace-seconds', '5'], {
    env: { ...process.env, ...env },
  });
  worker.stdout!.on('data', (c: Buffer) => (workerLog += c.toString()));
  worker.stderr!.on('data', (c: Buffer) => (workerLog += c.toString()));
});

afterAll(async () => {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await running.close();
  await deleteKeys(t.redis, `{${t.prefix}}:*`);
  await t.cleanup();
});

describe('crm-clv worker, run and status', () => {
  it('runs sync → score → write-back for a registered tenant and exits 0 when it completed', async () => {
    const rates = join(dir, 'rates.json');
    writeFileSync(rates, JSON.stringify({ EUR: 1.08, GBP: 1.27 }));
    const observationEnd = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const run = await runCliAsync(
      [
        'run',
        '--tenant',
        TENANT,
        '--mode',
        'full',
        '--observation-end',
        observationEnd,
        '--currency',
        'USD',
        '--rates',
        rates,
        '--run-id',
        'cli-1',
        '--wait',
        '--json',
        '--timeout-seconds',
        '90',
      ],
      env,
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const status = JSON.parse(run.stdout) as { state: string; stages: { stage: string; state: string }[] };
    expect(status.state).toBe('completed');
    expect(status.stages.map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
    const written = [...sandbox.store.objects.contacts.byId.values()].filter(
      (c) => c.properties.clv_churn_risk,
    );
    expect(written.length).toBeGreaterThan(50);
  });

  it('shows the run, its stages, the model version and the next scheduled runs in status', async () => {
    const shown = await runCliAsync(['status', '--tenant', TENANT, '--json'], env);
    expect(shown.status).toBe(0);
    const [tenant] = JSON.parse(shown.stdout) as {
      tenant: string;
      modelVersion?: string;
      runs: { runId: string; state: string }[];
      nextScheduled: Record<string, string>;
    }[];
    expect(tenant.tenant).toBe(TENANT);
    expect(tenant.modelVersion).toMatch(/\//);
    expect(tenant.runs[0]).toMatchObject({ runId: 'cli-1', state: 'completed' });
    // `tenant add` made the schedules; the worker found them as the registry says and left them alone.
    expect(Object.keys(tenant.nextScheduled)).toEqual(['sync', 'rescore', 'retrain']);
    for (const at of Object.values(tenant.nextScheduled)) expect(Date.parse(at)).toBeGreaterThan(Date.now());
    expect(workerLog).toContain('schedules: 0 added, 0 updated, 0 removed, 3 unchanged');
    const text = await runCliAsync(['status', '--tenant', TENANT], env);
    expect(text.stdout).toMatch(
      /^ {2}next: sync \S+Z, rescore \S+T02:00:00\.000Z, retrain \S+T03:00:00\.000Z$/m,
    );
  });

  it('exits 1 and says why when a run fails', async () => {
    const run = await runCliAsync(
      [
        'run',
        '--tenant',
        TENANT,
        '--stages',
        'score',
        '--currency',
        'USD',
        '--run-id',
        'cli-2',
        '--wait',
        '--timeout-seconds',
        '60',
      ],
      env,
    );
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/rate/i);
  });

  it('refuses an unregistered tenant with exit 2', async () => {
    const run = await runCliAsync(['run', '--tenant', 'hubspot-999'], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/hubspot-999 is not registered/);
  });

  it('stops on SIGTERM within its grace period', async () => {
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    const started = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(workerLog).toMatch(/SIGTERM: finishing running jobs/);
    expect(workerLog).not.toContain(TOKEN);
  });
});
