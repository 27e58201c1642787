/**
 * The run report's sales sections end to end on the HubSpot sandbox demo portal: synced by the worker's sync
 * processor (the inline runner) into a file store, then scored as `crm-clv score --tenant` and the demo score
 * it (runScore with the store and an output directory). The reps the portal's deals name must be in
 * report.html's reps section, with the spend registered for the tenant giving a channel its CAC.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHubSpotSandbox, DEFAULT_OBSERVATION_END } from '../../connectors/hubspot/sandbox';
import type { RunningSandbox } from '../../connectors/hubspot/sandbox';
import { scoreDemoTenant } from '../../worker/demo/hubspot-round-trip';
import { runScore } from '../../worker/jobs/score-run';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';
import { runInline } from '../../worker/queue/inline-runner';
import { FileRecordStore } from '../../worker/state';
import { sandboxStageContext } from '../helpers/sandbox-stage-context';

const TENANT = 'hubspot-1000';

let dir: string;
let sandbox: RunningSandbox;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sales-sections-'));
  sandbox = await createHubSpotSandbox({ token: 't', portalId: '1000', seed: 9, contacts: 300 }).listen(0);
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("puts the demo portal's reps, channels and campaigns sections in the run's report.html", async () => {
  const store = new FileRecordStore(join(dir, 'store'));
  await runInline(
    ['sync'],
    {
      mode: 'full',
      observationEnd: new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10),
      tenant: TENANT,
      runId: 'sales-sections',
    },
    sandboxStageContext(store, sandbox.url),
  );
  const reps = await store.readRecords(TENANT, 'rep');
  const owners = new Set((await store.readRecords(TENANT, 'deal')).map((d) => d.ownerId));
  const named = reps.filter((r) => owners.has(r.id));
  expect(named.length).toBeGreaterThan(1);
  const channel = (await store.readRecords(TENANT, 'customer')).find(
    (c) => c.acquisitionChannel,
  )!.acquisitionChannel!;
  const out = join(dir, 'hubspot');
  // As the demo scores its portal (cli/commands/demo.ts), with spend for one channel in every month.
  await scoreDemoTenant(
    {
      score: async ({ settings, tenant, store: s, outDir }) => {
        await runScore({
          settings: { ...STANDARD_SCORE_SETTINGS, ...settings },
          tenant,
          source: 'hubspot',
          engineVersion: 'test',
          outDir,
          store: s,
          acquisitionSpend: Array.from({ length: 120 }, (_, i) => ({
            channel,
            month: `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
            spend: 10,
          })),
        });
      },
    },
    store,
    TENANT,
    out,
  );
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const repsSection = /<section id="sales-reps">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  expect(repsSection).toContain('<h2>Sales reps</h2>');
  expect(repsSection).toMatch(/Top \d+ of \d+ reps by win rate shrunk/);
  // The demo portal has fewer reps than the section's top 10: every one of them is listed.
  expect(named.length).toBeLessThanOrEqual(10);
  for (const rep of named) expect(repsSection).toContain(rep.name);
  const channels = /<section id="acquisition-channels">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  expect(channels).toContain('<th class="r">CAC</th>');
  expect(channels).toContain(channel);
  // The portal's marketing campaigns were synced: each stored one is in the campaigns section by name.
  const campaigns = await store.readRecords(TENANT, 'campaign');
  expect(campaigns.length).toBeGreaterThan(0);
  expect(html).not.toContain('<p>No campaigns in the tenant’s store.</p>');
  for (const c of campaigns) expect(html).toContain(c.name.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
  const markdown = readFileSync(join(out, 'report.md'), 'utf8');
  expect(markdown).toContain('## Sales reps');
}, 300_000);
