import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { REPO_ROOT, tempDir, type CliRun } from '../helpers/run-cli';

const CLI = join(REPO_ROOT, 'dist/cli/main.js');

/**
 * Runs the CLI expecting it to refuse its options and exit. Unlike runCli it has a deadline: if a check
 * regresses, the sandbox would start and serve forever, and the test must fail rather than hang.
 */
function runRefused(args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Started = { child: ChildProcessWithoutNullStreams; url: string; banner: string };

/** Every sandbox a test started; one still running after its test (a failed expectation) is killed. */
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the built CLI's sandbox on a free port and waits for its "listening on" line. */
function startSandbox(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [CLI, 'sandbox', 'hubspot', '--port', '0', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise<Started>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1], banner: out });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}: ${out}`)));
  });
}

function exitOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** What the client threw (an ApiException: status, raw body, headers). */
async function rejection(
  call: () => Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await call();
  } catch (error) {
    return error as { code: number; body: Record<string, unknown>; headers: Record<string, string> };
  }
  throw new Error('expected the call to fail');
}

describe('crm-clv sandbox hubspot', () => {
  it('serves the seeded portal to the real client until it is stopped', async () => {
    const { child, url } = await startSandbox(['--contacts', '150', '--token', 't-1']);
    const client = new Client({ accessToken: 't-1', basePath: url, numberOfApiCallRetries: 0 });
    let seen = 0;
    let after: string | undefined;
    do {
      const page = await client.crm.contacts.basicApi.getPage(100, after);
      seen += page.results.length;
      after = page.paging?.next?.after;
    } while (after);
    expect(seen).toBe(150);
    const exit = exitOf(child);
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  });

  it('answers a --rate-limit-storm of 3 with 429s, then journals every object each accepted write touched', async () => {
    const dir = tempDir('sandbox-journal');
    const journal = join(dir, 'writes.ndjson');
    try {
      const { child, url, banner } = await startSandbox([
        '--contacts',
        '120',
        '--token',
        't-2',
        '--journal',
        journal,
        '--rate-limit-storm',
        '3',
        '--latency-ms',
        '40',
      ]);
      expect(banner).toContain('429 for the first 3 requests');
      expect(banner).toContain(`Journal: ${journal}`);
      const client = new Client({ accessToken: 't-2', basePath: url, numberOfApiCallRetries: 0 });
      // Seeded contact ids start at 101 (seed-portal.ts); the storm answers before any id is looked at.
      const ids = ['101', '102', '103', '104', '105'];
      const inputs = ids.map((id, i) => ({
        id,
        properties: { firstname: `Journal ${i}`, gender: i % 2 === 0 ? 'female' : 'male' },
      }));

      // The storm: the first 3 requests answer 429 with HubSpot's TEN_SECONDLY_ROLLING body and headers.
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const error = await rejection(() => client.crm.contacts.batchApi.update({ inputs }));
        expect(Date.now() - started).toBeGreaterThanOrEqual(35); // --latency-ms 40
        expect(error.code).toBe(429);
        expect(error.body).toMatchObject({
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          policyName: 'TEN_SECONDLY_ROLLING',
        });
        expect(error.headers['x-hubspot-ratelimit-remaining']).toBe('0');
        expect(error.headers['x-hubspot-ratelimit-max']).toBe('110');
        expect(error.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
      }
      expect(readFileSync(journal, 'utf8')).toBe(''); // nothing was written

      const batch = await client.crm.contacts.batchApi.update({ inputs });
      expect(batch.results.map((r) => r.id).sort()).toEqual(ids);
      // A refused batch writes nothing and journals nothing.
      const refused = await rejection(() =>
        client.crm.contacts.batchApi.update({ inputs: [{ id: '106', properties: { gender: 'nope' } }] }),
      );
      expect(refused.code).toBe(400);
      await client.crm.contacts.basicApi.update('107', { properties: { lastname: 'Last' } });
      // Killed right after the 200, with no chance to flush: the lines are already in the file.
      const exit = exitOf(child);
      child.kill('SIGKILL');
      expect((await exit).signal).toBe('SIGKILL');

      const lines = readFileSync(journal, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(6);
      expect(lines.slice(0, 5)).toEqual(
        inputs.map((input) => ({
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          method: 'POST',
          path: '/crm/v3/objects/contacts/batch/update',
          objectType: 'contacts',
          objectId: input.id,
          properties: input.properties,
        })),
      );
      expect(lines[5]).toMatchObject({
        method: 'PATCH',
        path: '/crm/v3/objects/contacts/107',
        objectId: '107',
        properties: { lastname: 'Last' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 502 at --server-error-rate 1', async () => {
    const { child, url, banner } = await startSandbox([
      '--contacts',
      '10',
      '--token',
      't-3',
      '--server-error-rate',
      '1',
    ]);
    expect(banner).toContain('502 for 100% of requests');
    const client = new Client({ accessToken: 't-3', basePath: url, numberOfApiCallRetries: 0 });
    const error = await rejection(() => client.crm.contacts.basicApi.getPage(1));
    expect(error.code).toBe(502);
    expect(error.body).toMatchObject({ status: 'error', correlationId: expect.any(String) });
    const exit = exitOf(child);
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  });

  it.each([
    [['--server-error-rate', '1.5'], 'server-error-rate must be a probability from 0 to 1'],
    [['--server-error-rate', 'often'], 'server-error-rate must be a number'],
    [['--latency-ms=-5'], 'latency-ms must be a whole number of milliseconds from 0 to 60,000'],
    [['--rate-limit-storm', '2.5'], 'rate-limit-storm must be a whole number of requests'],
    [['--journal', '  '], 'journal must be a file path'],
  ])('refuses %j with exit 2 and says why', (args, message) => {
    const run = runRefused(['sandbox', 'hubspot', '--port', '0', ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).not.toContain('listening on');
  });

  it('refuses a --journal it cannot append to before it listens', () => {
    const dir = tempDir('sandbox-journal-missing');
    const file = join(dir, 'no-such-dir', 'writes.ndjson');
    try {
      const run = runRefused(['sandbox', 'hubspot', '--port', '0', '--journal', file]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`--journal: cannot append to ${file} (ENOENT)`);
      expect(existsSync(file)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
