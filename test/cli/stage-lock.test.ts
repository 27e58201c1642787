/**
 * Two `crm-clv writeback` runs at once on one store (issue P5: "two write-backs at once wrote 8,764 values
 * twice"), and `crm-clv sync` meeting a held or a stale lock file. The sandbox's write journal says from
 * outside the CLI which values reached the portal.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  createHubSpotSandbox,
  type HubSpotSandbox,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import type { JournalEntry } from '../../connectors/hubspot/sandbox/journal';
import { stageLockPath } from '../../worker/locks/file-stage-locks';
import { runCliAsync, tempDir } from '../helpers/run-cli';

const TOKEN = 'lock-token';
const TENANT = 'hubspot-77';
const env = { HUBSPOT_ACCESS_TOKEN: TOKEN };
let sandbox: HubSpotSandbox;
let running: RunningSandbox;
let dataDir: string;
const journal: JournalEntry[] = [];
const connection = (dir = dataDir) => [
  '--crm',
  'hubspot',
  '--base-url',
  running.url,
  '--portal-id',
  '77',
  '--data-dir',
  dir,
];

beforeAll(async () => {
  sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId: '77',
    seed: 3,
    contacts: 300,
    journal: (entries) => journal.push(...entries),
  });
  running = await sandbox.listen(0);
  dataDir = tempDir('lock-store');
  const sync = await runCliAsync(['sync', ...connection(), '--mode', 'full'], env);
  expect(sync.status).toBe(0);
  const rates = join(tempDir('lock-rates'), 'rates.json');
  writeFileSync(rates, JSON.stringify({ EUR: 1.08, GBP: 1.27 }));
  const score = await runCliAsync(
    [
      'score',
      '--tenant',
      TENANT,
      '--data-dir',
      dataDir,
      '--observation-end',
      '2026-10-31',
      '--currency',
      'USD',
      '--rates',
      rates,
      '--no-insights',
      '--out',
      join(tempDir('lock-out'), 'run'),
    ],
    env,
  );
  expect(score.stderr).toBe('');
  expect(score.status).toBe(0);
});

afterAll(async () => {
  await running.close();
});

describe('two crm-clv writeback runs at once on one store', () => {
  it('write each contact’s values once: the second stops, naming the holder', async () => {
    // Slow answers keep the first run busy while the second starts.
    sandbox.faults.latencyMs = 40;
    journal.length = 0;
    const [a, b] = await Promise.all([
      runCliAsync(['writeback', ...connection()], env),
      runCliAsync(['writeback', ...connection()], env),
    ]);
    sandbox.faults.latencyMs = 0;

    const [done, refused] = a.status === 0 ? [a, b] : [b, a];
    expect(done.status).toBe(0);
    expect(refused.status).toBe(1);
    const path = stageLockPath(dataDir, TENANT, 'writeback');
    expect(refused.stderr).toMatch(
      new RegExp(`writeback of ${TENANT} is already running \\(pid \\d+ on ${hostname()} since \\d{4}-`),
    );
    expect(refused.stderr).toContain(`remove ${path} and run again`);
    expect(refused.stdout).toBe('');

    const written = journal.filter(
      (e) => e.objectType === 'contacts' && Object.keys(e.properties).some((p) => p.startsWith('clv_')),
    );
    const perContact = new Map<string, number>();
    for (const e of written) perContact.set(e.objectId, (perContact.get(e.objectId) ?? 0) + 1);
    expect(perContact.size).toBeGreaterThan(50);
    expect([...perContact].filter(([, n]) => n !== 1)).toEqual([]);
    expect(done.stdout).toContain(`${perContact.size} written, 0 failed`);

    // The lock went with the run that held it: the next run finds nothing left to write.
    const again = await runCliAsync(['writeback', ...connection()], env);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/0 changed, 0 written/);
  });
});

describe('crm-clv sync and a lock file', () => {
  it('stops while another live process holds the lock, and says who since when and how to clear it', async () => {
    const dir = tempDir('lock-held');
    const path = stageLockPath(dir, TENANT, 'sync');
    // This test's own process is alive on this host: a live holder.
    writeFileSync(
      path,
      JSON.stringify({ id: 'x', pid: process.pid, host: hostname(), startedAt: '2026-03-04T05:06:07.000Z' }),
    );
    const r = await runCliAsync(['sync', ...connection(dir), '--mode', 'full'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `crm-clv: sync of ${TENANT} is already running (pid ${process.pid} on ${hostname()} since 2026-03-04T05:06:07.000Z): ` +
        `wait for it to finish; if that process is gone (crashed, or on a machine that was shut down), remove ${path} and run again\n`,
    );
  });

  it('takes over a stale lock (its pid is gone) with a note, syncs, and leaves no lock behind', async () => {
    const dir = tempDir('lock-stale');
    const path = stageLockPath(dir, TENANT, 'sync');
    // The pid of a process that has ended.
    const gone = Number(spawnSync(process.execPath, ['-p', 'process.pid'], { encoding: 'utf8' }).stdout);
    writeFileSync(
      path,
      JSON.stringify({ id: 'x', pid: gone, host: hostname(), startedAt: '2026-03-04T05:06:07.000Z' }),
    );
    const r = await runCliAsync(['sync', ...connection(dir), '--mode', 'full'], env);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`note: took over the stale lock ${path}: pid ${gone} `);
    expect(r.stdout).toMatch(/HubSpot full sync/);
    const after = await runCliAsync(['sync', ...connection(dir), '--mode', 'incremental'], env);
    expect(after.status).toBe(0);
    expect(after.stderr).not.toMatch(/lock/);
  });
});
