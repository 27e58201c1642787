/**
 * `crm-clv serve` as an operator runs it: the built CLI on a free port (--port 0, the port read from its log),
 * answering probes, printing where to look and no secret, and exiting 0 soon after SIGTERM; with Redis down it
 * still starts (ready 503, health 200).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { REPO_ROOT, tempDir } from '../helpers/run-cli';

const CLI = join(REPO_ROOT, 'dist/cli/main.js');

type Served = { child: ChildProcess; base: string; output: () => string };

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts `crm-clv serve --port 0` and resolves with its URL once it logs that it listens. */
function serve(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: tempDir('serve'),
    env: { ...process.env, CRM_CLV_ADMIN_PASSWORD: '', HUBSPOT_CLIENT_SECRET: '', ...env },
  });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not report its port:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, base: match[1], output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${output}`));
    });
  });
}

/** Sends SIGTERM and resolves with the exit code and how long the exit took. */
function terminate(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve({ code, ms: Date.now() - started }));
    child.kill('SIGTERM');
  });
}

describe('crm-clv serve', () => {
  it('answers /health and /ready, logs where to look without secrets, and exits 0 on SIGTERM within 5 s', async () => {
    const secrets = {
      CRM_CLV_ADMIN_PASSWORD: `admin-${randomBytes(8).toString('hex')}`,
      HUBSPOT_CLIENT_SECRET: `client-${randomBytes(8).toString('hex')}`,
      CRM_CLV_TOKEN_KEY: randomBytes(32).toString('base64'),
    };
    const served = await serve({
      REDIS_URL: process.env.REDIS_URL!,
      CRM_CLV_REDIS_PREFIX: `test-serve-${randomBytes(4).toString('hex')}`,
      HUBSPOT_CLIENT_ID: 'client-id',
      HUBSPOT_REDIRECT_URI: 'https://cards.example.com/oauth/callback',
      ...secrets,
    });

    const health = await fetch(`${served.base}/health`);
    expect(health.status).toBe(200);
    expect((await fetch(`${served.base}/ready`)).status).toBe(200);
    expect((await fetch(`${served.base}/oauth/install`, { redirect: 'manual' })).status).toBe(302);

    const { code, ms } = await terminate(served.child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);

    const log = served.output();
    expect(log).toContain(`${served.base}/health`);
    expect(log).toContain(`${served.base}/metrics`);
    expect(log).toContain(`${served.base}/admin/queues`);
    expect(log).toContain(`${served.base}/oauth/install`);
    expect(log).toMatch(/SIGTERM: closing/);
    for (const secret of Object.values(secrets)) expect(log).not.toContain(secret);
  });

  it('starts while Redis is down: /health 200, /ready 503, and still exits 0 on SIGTERM', async () => {
    const served = await serve({ REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });

    expect((await fetch(`${served.base}/health`)).status).toBe(200);
    const ready = await fetch(`${served.base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).not.toContain('hunter2');

    const { code, ms } = await terminate(served.child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    const log = served.output();
    expect(log).toMatch(/admin\s+\S+\/admin\/queues is closed: set CRM_CLV_ADMIN_PASSWORD/);
    expect(log).toMatch(/oauth\s+\S+\/oauth\/install answers 503: .*HUBSPOT_CLIENT_ID/);
    expect(log).not.toContain('hunter2');
  });

  it('refuses a bad --port as bad input (exit 2)', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', 'eighty']);
    running.push(child);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/port must be a number/);
  });
});
