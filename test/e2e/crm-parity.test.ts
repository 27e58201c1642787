/**
 * Acceptance: the same analytics run gives the same segments and CLV whether the data came from the HubSpot or
 * the Salesforce sandbox seeded alike. Both sandboxes (same seed, same contact count) are synced into two
 * tenants of one store and run through the same pipeline (sync → score → write-back, the stage processors the
 * worker runs); customers are matched by email and compared on predicted CLV (1e-9 relative), behavioural
 * segment, RFM segment and churn band.
 *
 * The churn model also reads what only the CRM knows, and there the two orgs differ by nature: HubSpot contacts
 * carry web-analytics counters (page views, email opens and clicks) that a Salesforce Contact has no field
 * for (its engagement is counted from its logged Tasks and Events, other figures), and Salesforce Case
 * priorities stop at High where HubSpot has Urgent. So the churn band is compared once
 * those HubSpot-only signals are levelled in a second HubSpot tenant's store (a twin portal, synced, levelled,
 * then scored); CLV and segments are equal straight away. So are the deals both CRMs store, open and lost
 * ones included: every deal of the generator's, with its customer, owner, amount, currency, status and days.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import { createHubSpotSandbox, DEFAULT_OBSERVATION_END, seedPortal } from '../../connectors/hubspot/sandbox';
import type { RunningSandbox as HubSpotRunning } from '../../connectors/hubspot/sandbox';
import type { Score } from '../../domain/score';
import { inProcessStageLocks } from '../../worker/locks/stage-lock';
import { runInline } from '../../worker/queue/inline-runner';
import type { RunStage } from '../../worker/queue/stages';
import { FileRecordStore } from '../../worker/state';
import { storeSink } from '../../worker/state/store-sink';
import { comparableDeals } from '../connectors/salesforce/e2e/hubspot-twin';
import { startOrg, type Org } from '../connectors/salesforce/e2e/org-harness';

const SEED = 23;
const CONTACTS = 500;
const HUBSPOT = 'hubspot-1000';
const LEVELLED = 'hubspot-2000';
const SALESFORCE = 'salesforce-00D000000000001AAA';
const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10);
const RUN = {
  mode: 'full' as const,
  observationEnd: OBSERVATION_END,
  currency: 'USD',
  rates: { EUR: 1.08, GBP: 1.27 },
};

let dir: string;
let hubspot: HubSpotRunning;
let twin: HubSpotRunning;
let org: Org;
let store: FileRecordStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-parity-'));
  store = new FileRecordStore(dir);
  hubspot = await createHubSpotSandbox({
    token: 't',
    portalId: '1000',
    seed: SEED,
    contacts: CONTACTS,
  }).listen(0);
  twin = await createHubSpotSandbox({ token: 't', portalId: '2000', seed: SEED, contacts: CONTACTS }).listen(
    0,
  );
  org = await startOrg({ seed: SEED, contacts: CONTACTS });
});
afterAll(async () => {
  await hubspot?.close();
  await twin?.close();
  await org?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(tenant: string, stages: readonly RunStage[]): Promise<void> {
  const locks = inProcessStageLocks();
  const results = await runInline(stages, { ...RUN, tenant, runId: 'parity' }, () => ({
    store,
    engineVersion: 'test',
    progress: async () => {},
    lock: (stage, t) => locks.acquire(t, stage),
    adapterFor: async (t) => {
      expect(t).toBe(tenant);
      if (t === SALESFORCE) return org.adapter();
      const [portalId, url] = t === HUBSPOT ? ['1000', hubspot.url] : ['2000', twin.url];
      return createHubSpotAdapter({
        connection: createHubSpotConnection({ accessToken: 't', baseUrl: url, account: { auth: 'oauth' } }),
        portalId,
      });
    },
  }));
  expect(results.map((r) => r.stage)).toEqual([...stages]);
}

/** The tenant's stored deals, as both CRMs must agree on them (ids replaced by emails). */
async function storedDeals(tenant: string): Promise<string[]> {
  const emailOf = new Map((await store.readRecords(tenant, 'customer')).map((c) => [c.id, c.email ?? '']));
  const ownerEmailOf = new Map((await store.readRecords(tenant, 'rep')).map((r) => [r.id, r.email ?? '']));
  return comparableDeals(await store.readRecords(tenant, 'deal'), emailOf, ownerEmailOf);
}

/** The tenant's latest Scores by customer email. */
async function scoresByEmail(tenant: string): Promise<Map<string, Score>> {
  const emailOf = new Map((await store.readRecords(tenant, 'customer')).map((c) => [c.id, c.email ?? '']));
  const scored = (await store.readScoreRun(tenant))!;
  return new Map(scored.scores.map((s) => [emailOf.get(s.customerId)!, s]));
}

function differences(
  a: Map<string, Score>,
  b: Map<string, Score>,
  fields: readonly ('clv' | 'segment' | 'rfm' | 'churn')[],
): string[] {
  const out: string[] = [];
  for (const [email, h] of a) {
    const s = b.get(email);
    if (s === undefined) {
      out.push(`${email}: not scored from Salesforce`);
      continue;
    }
    const rel = Math.abs(s.clvPredicted - h.clvPredicted) / Math.max(1e-12, Math.abs(h.clvPredicted));
    if (fields.includes('clv') && rel > 1e-9)
      out.push(`${email}: CLV ${h.clvPredicted} vs ${s.clvPredicted}`);
    if (fields.includes('segment') && s.segmentName !== h.segmentName)
      out.push(`${email}: segment ${h.segmentName} vs ${s.segmentName}`);
    if (fields.includes('rfm') && s.rfmSegment !== h.rfmSegment)
      out.push(`${email}: RFM ${h.rfmSegment} vs ${s.rfmSegment}`);
    if (fields.includes('churn') && s.churnRisk !== h.churnRisk)
      out.push(`${email}: churn ${h.churnRisk} vs ${s.churnRisk}`);
  }
  return out;
}

it('scores every customer alike from either CRM: CLV, segments, RFM segment and churn band', async () => {
  await run(HUBSPOT, ['sync', 'score', 'writeback']);
  await run(SALESFORCE, ['sync', 'score', 'writeback']);
  const fromHubSpot = await scoresByEmail(HUBSPOT);
  const fromSalesforce = await scoresByEmail(SALESFORCE);

  expect(fromHubSpot.size).toBeGreaterThan(200);
  // The worker sees the same canonical deals, open and lost ones included, from either CRM.
  const hubspotDeals = await storedDeals(HUBSPOT);
  const generated = seedPortal({ portalId: '1000', seed: SEED, contacts: CONTACTS }).objects.deals.ids;
  expect(hubspotDeals).toHaveLength(generated.length);
  expect(
    hubspotDeals.some((d) => d.includes('| open |')) && hubspotDeals.some((d) => d.includes('| lost |')),
  ).toBe(true);
  expect(await storedDeals(SALESFORCE)).toEqual(hubspotDeals);
  expect([...fromSalesforce.keys()].sort()).toEqual([...fromHubSpot.keys()].sort());
  expect(differences(fromHubSpot, fromSalesforce, ['clv', 'segment', 'rfm'])).toEqual([]);
  expect(
    [...fromHubSpot.values()].some((s) => s.segmentName !== [...fromHubSpot.values()][0].segmentName),
  ).toBe(true);
  // Both orgs now hold what was scored: every scored Salesforce contact carries its written fields.
  const written = [...org.sandbox.store.records.get('Contact')!.values()].filter((c) => c.CLV_Segment__c);
  expect(written).toHaveLength(fromSalesforce.size);

  // The twin portal with the signals only HubSpot has levelled, then scored: the churn bands agree too.
  await run(LEVELLED, ['sync']);
  const customers = await store.readRecords(LEVELLED, 'customer');
  const cases = await store.readRecords(LEVELLED, 'serviceCase');
  const sink = storeSink(store, LEVELLED);
  await sink.apply({
    kind: 'upsert',
    type: 'customer',
    records: customers.map(({ engagement: _engagement, ...c }) => c),
  });
  await sink.apply({
    kind: 'upsert',
    type: 'serviceCase',
    records: cases.map((c) => (c.priority === 'urgent' ? { ...c, priority: 'high' } : c)),
  });
  await run(LEVELLED, ['score']);
  const levelled = await scoresByEmail(LEVELLED);
  expect(differences(levelled, fromSalesforce, ['clv', 'segment', 'rfm', 'churn'])).toEqual([]);
});
