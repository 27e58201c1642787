/**
 * sync → score → writeback → `crm-clv lists sync` against the HubSpot sandbox: each list once, a rerun
 * changes nothing, and a list's members are the contacts whose written property holds its value (read from
 * the sandbox's own contacts, not from our code).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createHubSpotSandbox,
  sandboxLists,
  type HubSpotSandbox,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import { runCliAsync, tempDir } from '../helpers/run-cli';

const TOKEN = 'lists-token';
const env = { HUBSPOT_ACCESS_TOKEN: TOKEN };
let sandbox: HubSpotSandbox;
let running: RunningSandbox;
let dataDir: string;

const listsSync = () =>
  runCliAsync(
    ['lists', 'sync', '--tenant', 'hubspot-56', '--base-url', running.url, '--data-dir', dataDir],
    env,
  );

beforeAll(async () => {
  sandbox = createHubSpotSandbox({ token: TOKEN, portalId: '56', seed: 5, contacts: 300 });
  running = await sandbox.listen(0);
  dataDir = tempDir('lists-store');
  const rates = join(tempDir('lists-rates'), 'rates.json');
  writeFileSync(rates, JSON.stringify({ EUR: 1.08, GBP: 1.27 }));
  const hub = ['--crm', 'hubspot', '--base-url', running.url, '--portal-id', '56', '--data-dir', dataDir];
  expect((await runCliAsync(['sync', ...hub, '--mode', 'full'], env)).status).toBe(0);
  const score = await runCliAsync(
    ['score', '--tenant', 'hubspot-56', '--data-dir', dataDir, '--observation-end', '2026-10-31'].concat([
      '--currency',
      'USD',
      '--rates',
      rates,
      '--out',
      join(tempDir('lists-out'), 'run'),
    ]),
    env,
  );
  expect(score.stderr).toBe('');
  expect((await runCliAsync(['writeback', ...hub], env)).status).toBe(0);
}, 120_000);

afterAll(async () => {
  await running.close();
});

async function membershipsOf(listId: string): Promise<{ total: number; results: { recordId: string }[] }> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${running.url}/crm/v3/lists/${listId}/memberships?limit=250`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    if (res.status !== 429 || attempt === 12) {
      expect(res.status).toBe(200);
      return (await res.json()) as { total: number; results: { recordId: string }[] };
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

describe('crm-clv lists sync', () => {
  it('creates the lists once, then finds them; members match the written properties', async () => {
    const first = await listsSync();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const lists = sandboxLists(sandbox.store);
    const names = lists.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    expect(first.stdout).toMatch(new RegExp(`${lists.length} created, 0 updated, 0 unchanged, 0 skipped`));

    const second = await listsSync();
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`0 created, 0 updated, ${lists.length} unchanged, 0 skipped`));
    expect(sandboxLists(sandbox.store)).toHaveLength(lists.length);

    const high = lists.find((l) => l.name === 'CLV · High churn risk');
    expect(high).toBeDefined();
    // The two syncs may have spent the portal's ten-second allowance: a 429 is waited out as a client would.
    const page = await membershipsOf(high!.listId);
    const expected = [...sandbox.store.objects.contacts.byId.values()]
      .filter((c) => !c.archived && c.properties.clv_churn_risk === 'high')
      .map((c) => c.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(page.total).toBe(expected.length);
    expect(page.results.map((r) => r.recordId).sort()).toEqual(expected.slice(0, 250).sort());
  });

  it('refuses a tenant id that names no CRM account', async () => {
    const r = await runCliAsync(['lists', 'sync', '--tenant', 'acme', '--data-dir', dataDir], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--tenant acme is not a tenant id/);
  });
});
