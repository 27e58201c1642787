/**
 * A Salesforce org through the running system (issue P7), beside a HubSpot portal: both registered with
 * `crm-clv tenant add` (the Salesforce one with its connected app's refresh token, sealed), one `crm-clv worker`
 * process, and `crm-clv run --tenant … --wait` for both at once. Each run reads its own CRM, scores its own
 * records and writes back to its own contacts only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type JournalEntry as HubSpotJournalEntry,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import { RedisRecordStore } from '../../worker/state';
import { collectionUpdates, ORG_ID, startOrg, type Org } from '../connectors/salesforce/e2e/org-harness';
import { REPO_ROOT, runCliAsync, tempDir } from '../helpers/run-cli';
import { deleteKeys, testRedis, type TestRedis } from '../helpers/test-redis';

const HUBSPOT = 'hubspot-1000';
const SALESFORCE = `salesforce-${ORG_ID}`;
const APP = { clientId: 'crm-clv-worker', clientSecret: randomBytes(12).toString('hex') };
const REFRESH = `refresh-${randomBytes(12).toString('hex')}`;

let t: TestRedis;
let hubspot: RunningSandbox;
let hubspotSandbox: ReturnType<typeof createHubSpotSandbox>;
const hubspotJournal: HubSpotJournalEntry[] = [];
let org: Org;
let worker: ChildProcess;
let workerLog = '';
let env: Record<string, string>;
const dir = tempDir('worker-run-sf');

beforeAll(async () => {
  t = await testRedis();
  hubspotSandbox = createHubSpotSandbox({
    token: 'hs-token',
    portalId: '1000',
    seed: 9,
    contacts: 300,
    journal: (entries) => void hubspotJournal.push(...entries),
  });
  hubspot = await hubspotSandbox.listen(0);
  org = await startOrg({ seed: 9, contacts: 300, oauthClients: [{ ...APP, refreshTokens: [REFRESH] }] });
  env = {
    REDIS_URL: process.env.REDIS_URL!,
    CRM_CLV_REDIS_PREFIX: t.prefix,
    CRM_CLV_TOKEN_KEY: randomBytes(32).toString('base64'),
  };
  const hs = await runCliAsync(
    [
      'tenant',
      'add',
      '--crm',
      'hubspot',
      '--portal-id',
      '1000',
      '--base-url',
      hubspot.url,
      '--token',
      'hs-token',
    ],
    env,
  );
  expect({ status: hs.status, stderr: hs.stderr }).toEqual({ status: 0, stderr: '' });
  const sf = await runCliAsync(
    [
      'tenant',
      'add',
      '--crm',
      'salesforce',
      '--org-id',
      ORG_ID,
      '--instance-url',
      org.server.url,
      '--auth',
      'refresh',
      '--client-id',
      APP.clientId,
      '--login-url',
      org.server.url,
    ],
    { ...env, SALESFORCE_CLIENT_SECRET: APP.clientSecret, SALESFORCE_REFRESH_TOKEN: REFRESH },
  );
  expect({ status: sf.status, stderr: sf.stderr }).toEqual({ status: 0, stderr: '' });
  expect(sf.stdout).toContain(`Added tenant ${SALESFORCE}: Salesforce org ${ORG_ID}`);
  expect(sf.stdout).toContain("connected app's refresh token");
  worker = spawn(process.execPath, [join(REPO_ROOT, 'dist/cli/main.js'), 'worker', '--grace-seconds', '5'], {
    env: { ...process.env, ...env },
  });
  worker.stdout!.on('data', (c: Buffer) => (workerLog += c.toString()));
  worker.stderr!.on('data', (c: Buffer) => (workerLog += c.toString()));
});

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await hubspot?.close();
  await org?.close();
  if (t) {
    await deleteKeys(t.redis, `{${t.prefix}}:*`);
    await t.cleanup();
  }
});

function run(tenant: string, runId: string) {
  const rates = join(dir, 'rates.json');
  writeFileSync(rates, JSON.stringify({ EUR: 1.08, GBP: 1.27 }));
  const observationEnd = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000)
    .toISOString()
    .slice(0, 10);
  return runCliAsync(
    [
      'run',
      '--tenant',
      tenant,
      '--mode',
      'full',
      '--observation-end',
      observationEnd,
      '--currency',
      'USD',
      '--rates',
      rates,
      '--run-id',
      runId,
      '--wait',
      '--json',
      '--timeout-seconds',
      '120',
    ],
    env,
  );
}

it('runs sync → score → write-back for a Salesforce and a HubSpot tenant at once, each on its own CRM', async () => {
  const [sf, hs] = await Promise.all([run(SALESFORCE, 'sf-1'), run(HUBSPOT, 'hs-1')]);
  for (const r of [sf, hs]) {
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const status = JSON.parse(r.stdout) as { state: string; stages: { state: string }[] };
    expect(status.stages.map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
  }

  const store = new RedisRecordStore({ redis: t.redis as unknown as Redis, prefix: t.prefix });
  const sfCustomers = await store.readRecords(SALESFORCE, 'customer');
  const hsCustomers = await store.readRecords(HUBSPOT, 'customer');
  expect(sfCustomers).toHaveLength(300);
  expect(new Set(sfCustomers.map((c) => c.source))).toEqual(new Set(['salesforce']));
  expect(new Set(hsCustomers.map((c) => c.source))).toEqual(new Set(['hubspot']));

  // Each CRM got its own tenant's scores, and nothing else.
  const sfScores = (await store.readScoreRun(SALESFORCE))!;
  const hsScores = (await store.readScoreRun(HUBSPOT))!;
  const sfWrites = collectionUpdates(org.journal).flatMap((c) => c.map((e) => e.id));
  expect(new Set(sfWrites)).toEqual(new Set(sfScores.scores.map((s) => s.customerId)));
  expect(collectionUpdates(org.journal)).toHaveLength(Math.ceil(sfScores.scores.length / 200));
  const hsWrites = hubspotJournal.filter((e) => e.objectType === 'contacts').map((e) => e.objectId);
  expect(new Set(hsWrites)).toEqual(new Set(hsScores.scores.map((s) => s.customerId)));
  const contacts = org.sandbox.store.records.get('Contact')!;
  for (const s of sfScores.scores) expect(contacts.get(s.customerId)!.CLV_Scored_At__c).toBeTruthy();
  // The step after write-back deployed the org's segment list views, one per segment of the run, RFM segment
  // (11), churn band (3) and arm (2), each showing the contacts that hold its value.
  const segments = new Set(sfScores.scores.map((s) => s.segmentId).filter((id) => id !== undefined));
  const views = org.sandbox.listViews.ofObject('Contact').filter((v) => v.developerName.startsWith('CLV_'));
  expect(views).toHaveLength(segments.size + 11 + 3 + 2);
  const high = views.find((v) => v.developerName === 'CLV_Churn_high')!;
  expect(
    org.sandbox.listViews
      .members(high)
      .map((c) => c.Id)
      .sort(),
  ).toEqual(
    sfScores.scores
      .filter((s) => s.churnRisk === 'high')
      .map((s) => s.customerId)
      .sort(),
  );

  // The refresh token lives sealed in the registry; the worker exchanged it for access tokens.
  expect(org.sandbox.tokens.grants.refresh_token).toBeGreaterThanOrEqual(1);
  const entries = await t.redis.hgetall(`${t.prefix}:tenants`);
  expect(Object.keys(entries).sort()).toEqual([HUBSPOT, SALESFORCE]);
  expect(JSON.parse(entries[SALESFORCE]).connection).toMatchObject({
    auth: 'refresh',
    baseUrl: org.server.url,
  });
  const registry = JSON.stringify(entries);
  for (const secret of [REFRESH, APP.clientSecret]) {
    expect(registry).not.toContain(secret);
    expect(workerLog).not.toContain(secret);
  }
});
