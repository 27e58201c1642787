/**
 * Acceptance: a retention program's arms reach both CRMs through the normal pipeline. Each sandbox (seeded
 * alike) is synced and scored by the stage processors the worker runs; a program is added; the write-back
 * enrols the eligible customers and writes clv_retention_group (HubSpot property / CLV_Retention_Group__c),
 * each customer's arm being the one the hash assigns. Customers not enrolled keep an empty field.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  insertRetentionDeals,
} from '../../connectors/hubspot/sandbox';
import type { RunningSandbox } from '../../connectors/hubspot/sandbox';
import { assignArm } from '../../worker/analytics/programs';
import { inProcessStageLocks } from '../../worker/locks/stage-lock';
import { measurePrograms, programArmMembers, readEnrolments, writePrograms } from '../../worker/programs';
import { simulateRetentionEffect } from '../../demo-data/retention-effect';
import { runInline } from '../../worker/queue/inline-runner';
import type { RunStage } from '../../worker/queue/stages';
import { FileRecordStore } from '../../worker/state';
import { startOrg, type Org } from '../connectors/salesforce/e2e/org-harness';
import { insertRetentionOpportunities } from '../../connectors/salesforce/sandbox';
import { buildProgram } from '../programs/builders';

const SEED = 31;
const DAY = 86_400_000;
const CONTACTS = 200;
const HUBSPOT = 'hubspot-1000';
const SALESFORCE = 'salesforce-00D000000000001AAA';
const RUN = {
  mode: 'full' as const,
  observationEnd: new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10),
  currency: 'USD',
  rates: { EUR: 1.08, GBP: 1.27 },
};
const PROGRAM = buildProgram({
  id: 'save-the-valuable',
  eligibility: { churnRisk: ['medium', 'high'], clvTopShare: 0.6 },
  treatmentShare: 0.5,
  currency: 'USD',
  createdAt: new Date(Date.now() - 60_000).toISOString(),
});

let dir: string;
let hubspotSandbox: ReturnType<typeof createHubSpotSandbox>;
let hubspot: RunningSandbox;
let org: Org;
let store: FileRecordStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retention-programs-'));
  store = new FileRecordStore(dir);
  hubspotSandbox = createHubSpotSandbox({
    token: 't',
    portalId: '1000',
    seed: SEED,
    contacts: CONTACTS,
  });
  hubspot = await hubspotSandbox.listen(0);
  org = await startOrg({ seed: SEED, contacts: CONTACTS });
});
afterAll(async () => {
  await hubspot?.close();
  await org?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(tenant: string, stages: readonly RunStage[]): Promise<void> {
  const locks = inProcessStageLocks();
  await runInline(stages, { ...RUN, tenant, runId: `programs-${stages.join('-')}` }, () => ({
    store,
    engineVersion: 'test',
    progress: async () => {},
    lock: (stage, t) => locks.acquire(t, stage),
    adapterFor: async (t) =>
      t === SALESFORCE
        ? org.adapter()
        : createHubSpotAdapter({
            connection: createHubSpotConnection({
              accessToken: 't',
              baseUrl: hubspot.url,
              account: { auth: 'oauth' },
            }),
            portalId: '1000',
          }),
  }));
}

/** Enrols at write-back and checks every arm against the hash; returns the CRM's values by customer. */
async function enrolAndCheck(tenant: string, crmValue: (customerId: string) => unknown): Promise<void> {
  await run(tenant, ['sync', 'score']);
  await writePrograms(store, tenant, [PROGRAM]);
  await run(tenant, ['writeback']);

  const { scores } = (await store.readScoreRun(tenant))!;
  const members = await programArmMembers(store, tenant, PROGRAM.id);
  const enrolled = new Set([...members.treatment, ...members.control]);
  expect(members.treatment.length).toBeGreaterThan(5);
  expect(members.control.length).toBeGreaterThan(5);
  const clvCut = [...scores].sort((a, b) => b.clvPredicted - a.clvPredicted)[
    Math.ceil(0.6 * scores.length) - 1
  ].clvPredicted;
  for (const s of scores) {
    const eligible = (s.churnRisk === 'medium' || s.churnRisk === 'high') && s.clvPredicted >= clvCut;
    expect([s.customerId, enrolled.has(s.customerId)]).toEqual([s.customerId, eligible]);
    const expected = eligible ? assignArm(tenant, PROGRAM.id, s.customerId, 0.5) : undefined;
    expect([s.customerId, crmValue(s.customerId) ?? undefined]).toEqual([s.customerId, expected]);
  }
}

it('writes each enrolled HubSpot contact its hashed arm as clv_retention_group', async () => {
  await enrolAndCheck(HUBSPOT, (id) => {
    const value = hubspotSandbox.store.objects.contacts.byId.get(id)!.properties.clv_retention_group;
    return value === '' ? undefined : value;
  });
});

it("measures, after a sync, exactly the retention the portal's post-enrolment deals show", async () => {
  const enrolments = await readEnrolments(store, HUBSPOT, PROGRAM.id);
  const injected = simulateRetentionEffect(enrolments, {
    baselineRate: 0.3,
    liftPoints: 30,
    windowDays: PROGRAM.windowDays,
    meanOrderValue: 120,
    seed: 4,
  }).map((o) => ({ ...o, amount: Math.round(o.amount * 100) / 100 }));
  insertRetentionDeals(
    hubspotSandbox.store,
    injected.map((o) => ({
      contactId: o.customerId,
      closedAt: o.placedAt,
      amount: o.amount,
      currency: 'USD',
    })),
    new Date(),
  );
  await run(HUBSPOT, ['sync']);

  const enrolledAt = Math.max(...enrolments.map((e) => e.enrolledAt));
  const [result] = await measurePrograms(
    store,
    HUBSPOT,
    new Date(enrolledAt + (PROGRAM.windowDays + 1) * 86_400_000),
  );
  expect(result.status).toBe('final');
  // Expected from the injected deals alone (the seeded history ends before enrolment).
  const armOf = new Map(enrolments.map((e) => [e.customerId, e.arm]));
  for (const arm of ['treatment', 'control'] as const) {
    const buyers = new Set(injected.filter((o) => armOf.get(o.customerId) === arm).map((o) => o.customerId));
    const revenue = injected.filter((o) => armOf.get(o.customerId) === arm).reduce((a, o) => a + o.amount, 0);
    const n = enrolments.filter((e) => e.arm === arm).length;
    expect(buyers.size).toBeGreaterThan(0);
    expect(result.lift[arm]).toMatchObject({ customers: n, retained: buyers.size });
    expect(result.lift[arm].revenuePerCustomer).toBeCloseTo(revenue / n, 6);
  }
});

it('writes each enrolled Salesforce contact its hashed arm as CLV_Retention_Group__c', async () => {
  await enrolAndCheck(
    SALESFORCE,
    (id) => org.sandbox.store.records.get('Contact')!.get(id)!.CLV_Retention_Group__c,
  );
});

it('measures, after a Salesforce sync, exactly the retention the post-enrolment opportunities show', async () => {
  const enrolments = await readEnrolments(store, SALESFORCE, PROGRAM.id);
  const enrolledAt = Math.max(...enrolments.map((e) => e.enrolledAt));
  // CloseDate is a day: the sync reads it as midnight UTC, so each order moves to the next midnight.
  const injected = simulateRetentionEffect(enrolments, {
    baselineRate: 0.3,
    liftPoints: 30,
    windowDays: PROGRAM.windowDays,
    meanOrderValue: 120,
    seed: 5,
  }).map((o) => ({
    ...o,
    placedAt: Math.ceil(o.placedAt / DAY) * DAY,
    amount: Math.round(o.amount * 100) / 100,
  }));
  insertRetentionOpportunities(
    org.sandbox.store,
    injected.map((o) => ({
      contactId: o.customerId,
      closedAt: o.placedAt,
      amount: o.amount,
      currency: 'USD',
    })),
    new Date(),
  );
  await run(SALESFORCE, ['sync']);

  const [result] = await measurePrograms(
    store,
    SALESFORCE,
    new Date(enrolledAt + (PROGRAM.windowDays + 2) * DAY),
  );
  expect(result.status).toBe('final');
  const enrolledOf = new Map(enrolments.map((e) => [e.customerId, e]));
  const inWindow = injected.filter((o) => {
    const e = enrolledOf.get(o.customerId)!;
    return o.placedAt > e.enrolledAt && o.placedAt <= e.enrolledAt + PROGRAM.windowDays * DAY;
  });
  for (const arm of ['treatment', 'control'] as const) {
    const mine = inWindow.filter((o) => enrolledOf.get(o.customerId)!.arm === arm);
    const n = enrolments.filter((e) => e.arm === arm).length;
    expect(new Set(mine.map((o) => o.customerId)).size).toBeGreaterThan(0);
    expect(result.lift[arm]).toMatchObject({
      customers: n,
      retained: new Set(mine.map((o) => o.customerId)).size,
    });
    expect(result.lift[arm].revenuePerCustomer).toBeCloseTo(mine.reduce((a, o) => a + o.amount, 0) / n, 6);
  }
});
