/**
 * P5 faults: a one-off `crm-clv writeback` stopped with Ctrl-C (SIGINT) or SIGKILL mid-way, then run again.
 * The rerun settles what the stopped process had sent, writes the rest and exits 0; the sandbox's journal file
 * shows every scored contact holding its Score's values and no contact property written the same value twice.
 */
import { join } from 'node:path';
import { FileRecordStore } from '../../worker/state';
import { runCliAsync, tempDir } from '../helpers/run-cli';
import {
  contactWrites,
  missingValues,
  OBSERVATION_END,
  repeatedWrites,
  faultsOnceFieldsExist,
  startCli,
  startPortal,
  TOKEN,
  waitFor,
  type FaultPortal,
} from './fault-harness';

const env = { HUBSPOT_ACCESS_TOKEN: TOKEN };
const portals: FaultPortal[] = [];

afterAll(async () => {
  for (const p of portals) await p.close();
});

/** A portal synced and scored into a store of its own, by the one-off commands. */
async function scoredPortal(portalId: string): Promise<{ portal: FaultPortal; dataDir: string }> {
  const portal = await startPortal(portalId);
  portals.push(portal);
  const dataDir = tempDir(`faults-store-${portalId}`);
  const connection = ['--crm', 'hubspot', '--base-url', portal.url, '--portal-id', portalId];
  const synced = await runCliAsync(['sync', ...connection, '--data-dir', dataDir, '--mode', 'full'], env);
  expect({ status: synced.status, stderr: synced.stderr }).toEqual({ status: 0, stderr: '' });
  const scored = await runCliAsync(
    [
      'score',
      '--tenant',
      portal.tenant,
      '--data-dir',
      dataDir,
      '--observation-end',
      OBSERVATION_END,
      '--currency',
      'USD',
      '--rates',
      portal.ratesFile,
      '--out',
      join(tempDir(`faults-out-${portalId}`), 'run'),
    ],
    env,
  );
  expect({ status: scored.status, stderr: scored.stderr }).toEqual({ status: 0, stderr: '' });
  return { portal, dataDir };
}

describe.each([
  ['Ctrl-C (SIGINT)', 'SIGINT', '2201'],
  ['SIGKILL', 'SIGKILL', '2202'],
] as const)('a one-off crm-clv writeback stopped with %s', (_what, signal, portalId) => {
  it('writes the rest on the next run and no value twice', async () => {
    const { portal, dataDir } = await scoredPortal(portalId);
    const scored = await new FileRecordStore(dataDir).readScoreRun(portal.tenant);
    const args = ['writeback', '--crm', 'hubspot', '--base-url', portal.url, '--portal-id', portalId];
    const first = startCli([...args, '--data-dir', dataDir], env);
    await faultsOnceFieldsExist(portal, { latencyMs: 300 });
    await waitFor('the first accepted batch', () => contactWrites(portal).length > 0);
    first.child.kill(signal);
    expect((await first.exited).signal).toBe(signal);
    const atStop = contactWrites(portal).length;
    expect(atStop).toBeLessThan(scored!.scores.length);
    portal.sandbox.faults.latencyMs = 0;

    const again = await runCliAsync([...args, '--data-dir', dataDir], env);
    expect(again.status).toBe(0);
    // Ctrl-C gives the lock file back; kill -9 cannot, and the rerun takes the dead run's lock over, saying so.
    if (signal === 'SIGINT') expect(again.stderr).toBe('');
    else
      expect(again.stderr).toMatch(
        /^note: took over the stale lock .*writeback\.lock: pid \d+ .* no longer runs\n$/,
      );
    expect(again.stdout).toMatch(/0 failed/);
    const writes = contactWrites(portal);
    expect(repeatedWrites(writes)).toEqual([]);
    expect(missingValues(portal, scored!, writes)).toEqual([]);
  });
});
