/**
 * sync → score → write-back from the CLI against the Salesforce sandbox (issue P7), with the credentials from
 * SALESFORCE_INSTANCE_URL / SALESFORCE_ACCESS_TOKEN; the org id comes from the identity URL. Expectations come
 * from the sandbox org's own state (won and refunded opportunities, the Contact fields it holds).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvRows } from '../helpers/read-csv';
import { runCliAsync, tempDir } from '../helpers/run-cli';
import {
  collectionUpdates,
  ORG_ID,
  startOrg,
  TOKEN,
  type Org,
} from '../connectors/salesforce/e2e/org-harness';

const TENANT = `salesforce-${ORG_ID}`;
let org: Org;
let dataDir: string;
let outDir: string;
let ratesFile: string;
const env = () => ({
  SALESFORCE_INSTANCE_URL: org.server.url,
  SALESFORCE_ACCESS_TOKEN: TOKEN,
  SALESFORCE_ORG_ID: '',
});

beforeAll(async () => {
  org = await startOrg({ seed: 11, contacts: 400 });
  dataDir = tempDir('sf-flow-store');
  outDir = join(tempDir('sf-flow-out'), 'run');
  ratesFile = join(tempDir('sf-flow-rates'), 'rates.json');
  writeFileSync(ratesFile, JSON.stringify({ EUR: 1.08, GBP: 1.27 }));
});
afterAll(() => org?.close());

/** Contacts that bought: a won or refunded opportunity's primary contact role. */
function buyers(): Set<string> {
  const closedSales = new Set(
    [...org.sandbox.store.records.get('Opportunity')!.values()]
      .filter((o) => o.IsWon === true || o.StageName === 'Refunded')
      .map((o) => o.Id),
  );
  return new Set(
    [...org.sandbox.store.records.get('OpportunityContactRole')!.values()]
      .filter((r) => closedSales.has(String(r.OpportunityId)) && r.IsPrimary === true)
      .map((r) => String(r.ContactId)),
  );
}

it('syncs, scores and writes back a Salesforce org, then writes nothing on a rerun', async () => {
  const sync = await runCliAsync(
    ['sync', '--crm', 'salesforce', '--data-dir', dataDir, '--mode', 'full'],
    env(),
  );
  expect(sync.stderr).toBe('');
  expect(sync.status).toBe(0);
  expect(sync.stdout).toContain(`Salesforce full sync of ${TENANT}`);
  expect(sync.stdout).toMatch(/Contact\s+400\s+0\n/);
  expect(sync.stdout).toMatch(/customer\s+400\s+0\n/);
  expect(sync.stdout).toMatch(/opportunities: \d+ won, [1-9]\d* refunded/);

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
      ratesFile,
      '--out',
      outDir,
    ],
    env(),
  );
  expect(score.stderr).toBe('');
  expect(score.status).toBe(0);
  const scored = new Set(readCsvRows(join(outDir, 'scores.csv')).map((s) => s.customer_id));
  const expected = buyers();
  // Refunds can net a buyer to nothing; no one else is scored.
  expect([...scored].filter((id) => !expected.has(id))).toEqual([]);
  expect(scored.size).toBeGreaterThan(0.95 * expected.size);

  const dry = await runCliAsync(
    ['writeback', '--crm', 'salesforce', '--data-dir', dataDir, '--dry-run'],
    env(),
  );
  expect(dry.status).toBe(0);
  expect(dry.stdout).toContain(
    `Dry run for ${TENANT}: ${scored.size} of ${scored.size} scored contacts have changed values (${Math.ceil(scored.size / 200)} collection calls)`,
  );
  expect(collectionUpdates(org.journal)).toHaveLength(0);

  // The org has no CLV_* fields: --check-fields only describes and names what to deploy.
  const checked = await runCliAsync(
    ['writeback', '--crm', 'salesforce', '--data-dir', dataDir, '--check-fields'],
    env(),
  );
  expect(checked.status).not.toBe(0);
  expect(checked.stderr).toMatch(
    /Contact is missing the write-back fields CLV_Segment__c, .*Deploy the CLV_/,
  );
  expect(org.sandbox.metadata.customField('Contact.CLV_Segment__c')).toBeUndefined();

  // By default the write-back creates them through the Metadata API, with the permission set and assignment.
  const write = await runCliAsync(
    ['writeback', '--crm', 'salesforce', '--data-dir', dataDir, '--org-id', ORG_ID],
    env(),
  );
  expect(write.stderr).toBe('');
  expect(write.status).toBe(0);
  expect(write.stdout).toContain(`Salesforce write-back for ${TENANT}`);
  expect(write.stdout).toMatch(/Contact fields: 17 created, 0 existed/);
  expect(org.sandbox.metadata.permissionSet('CRM_CLV_Integration')?.fieldPermissions).toHaveLength(17);
  expect(write.stdout).toMatch(
    new RegExp(`contacts: ${scored.size} scored, ${scored.size} changed, ${scored.size} written, 0 failed`),
  );
  const calls = collectionUpdates(org.journal);
  expect(calls).toHaveLength(Math.ceil(scored.size / 200));
  expect(new Set(calls.flatMap((c) => c.map((e) => e.id)))).toEqual(scored);
  const contacts = org.sandbox.store.records.get('Contact')!;
  for (const id of scored) expect(contacts.get(id)!.CLV_Churn_Risk__c).toMatch(/^(low|medium|high)$/);

  const again = await runCliAsync(['writeback', '--crm', 'salesforce', '--data-dir', dataDir], env());
  expect(again.status).toBe(0);
  expect(again.stdout).toMatch(/0 changed, 0 written, 0 failed/);
  expect(again.stdout).toMatch(/Contact fields: 0 created, 17 existed/);
  expect(collectionUpdates(org.journal)).toHaveLength(calls.length);
});

it('keeps the Contact list views with `lists sync` after the write-back: created once, unchanged on a rerun', async () => {
  const lists = () => runCliAsync(['lists', 'sync', '--tenant', TENANT, '--data-dir', dataDir], env());
  const first = await lists();
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  const views = org.sandbox.listViews.ofObject('Contact').filter((v) => v.developerName.startsWith('CLV_'));
  // The run's segments, 11 RFM segments, 3 churn bands, 2 arms.
  const segments = new Set(
    [...org.sandbox.store.records.get('Contact')!.values()].map((c) => c.CLV_Segment__c).filter(Boolean),
  );
  expect(views).toHaveLength(segments.size + 11 + 3 + 2);
  expect(first.stdout).toContain(
    `Segment list views for ${TENANT}: ${views.length} created, 0 updated, 0 unchanged, 0 skipped`,
  );
  for (const view of views.filter((v) => v.developerName.startsWith('CLV_Segment_'))) {
    const value = view.filters[0].value;
    const holding = [...org.sandbox.store.records.get('Contact')!.values()]
      .filter((c) => !c.IsDeleted && c.CLV_Segment__c === value)
      .map((c) => c.Id)
      .sort();
    expect(holding.length).toBeGreaterThan(0);
    expect(
      org.sandbox.listViews
        .members(view)
        .map((c) => c.Id)
        .sort(),
    ).toEqual(holding);
  }
  const second = await lists();
  expect(second.status).toBe(0);
  expect(second.stdout).toContain(`0 created, 0 updated, ${views.length} unchanged, 0 skipped`);
  expect(org.sandbox.listViews.ofObject('Contact')).toHaveLength(views.length + 1);
});

it('reads through Bulk API 2.0 query jobs with --bulk-threshold, with the same counts', async () => {
  const bulkDir = tempDir('sf-flow-bulk');
  const sync = await runCliAsync(
    ['sync', '--crm', 'salesforce', '--data-dir', bulkDir, '--mode', 'full', '--bulk-threshold', '100'],
    env(),
  );
  expect(sync.stderr).toBe('');
  expect(sync.status).toBe(0);
  expect(sync.stdout).toMatch(/Contact\s+400\s+0\n/);
  expect(sync.stdout).toMatch(/customer\s+400\s+0\n/);
  expect(sync.stdout).toMatch(/read through Bulk API 2\.0: .*Contact.*\(\d+ query jobs\)/);

  const bad = await runCliAsync(
    ['sync', '--crm', 'salesforce', '--data-dir', bulkDir, '--bulk-threshold', 'many'],
    env(),
  );
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/--bulk-threshold/);
});

it('says what is missing without credentials (exit 2)', async () => {
  const r = await runCliAsync(['sync', '--crm', 'salesforce', '--data-dir', dataDir], {
    SALESFORCE_INSTANCE_URL: org.server.url,
    SALESFORCE_ACCESS_TOKEN: '',
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/SALESFORCE_ACCESS_TOKEN/);
});
