/**
 * The retention program's Campaign for a Salesforce tenant, through the job the worker runs after write-back
 * (syncTenantRetentionCampaigns) and the adapter's capability, over real jsforce against the sandbox: the
 * campaign `CLV retention · <program id>` created once and found by name after; its CampaignMembers exactly the
 * treatment arm stored at enrolment (arms chosen here by hand); a rerun adds nothing; a member insert that
 * meets an existing pair counts it as done (Salesforce's DUPLICATE_VALUE); control customers never members;
 * an ended program's campaign turns inactive and gains nobody.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SalesforceAdapter } from '../../../../connectors/salesforce/salesforce-adapter';
import type { SfRecord } from '../../../../connectors/salesforce/sandbox/org-store';
import { syncTenantRetentionCampaigns } from '../../../../worker/jobs/sync-retention-campaigns';
import { writeBackScores } from '../../../../worker/jobs/write-back-scores';
import { addEnrolments, writePrograms } from '../../../../worker/programs';
import { FileRecordStore } from '../../../../worker/state';
import { buildProgram, programRun, programScore } from '../../../programs/builders';
import { startOrg, ORG_ID, type Org } from './org-harness';

const TENANT = `salesforce-${ORG_ID}`;
const AT = Date.parse('2026-03-02T00:00:00.000Z');

describe('Salesforce retention campaigns (Campaign + CampaignMember through sObject Collections)', () => {
  let org: Org;
  let adapter: SalesforceAdapter;
  let dir: string;
  let store: FileRecordStore;
  let ids: string[];

  const campaigns = (name: string) =>
    [...org.sandbox.store.records.get('Campaign')!.values()].filter((c) => !c.IsDeleted && c.Name === name);
  const membersOf = (campaign: SfRecord) =>
    [...org.sandbox.store.records.get('CampaignMember')!.values()]
      .filter((m) => !m.IsDeleted && m.CampaignId === campaign.Id)
      .map((m) => String(m.ContactId));
  const sync = () => syncTenantRetentionCampaigns({ adapter, store });

  beforeAll(async () => {
    org = await startOrg({ contacts: 500 });
    adapter = await org.adapter();
    ids = [...org.sandbox.store.records.get('Contact')!.values()]
      .filter((c) => !c.IsDeleted)
      .map((c) => c.Id);
    dir = await mkdtemp(join(tmpdir(), 'crm-clv-sf-campaigns-'));
    store = new FileRecordStore(dir);
  }, 60_000);
  afterAll(async () => {
    await org?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the campaign once with the treated (and only them) as members; a rerun adds nothing', async () => {
    await writePrograms(store, TENANT, [buildProgram({ id: 'winback' })]);
    // 450 enrolled: every third a control, the rest (300) treated, over two collection requests of 200 + 100.
    const enrolled = ids.slice(0, 450).map((customerId, i) => ({
      customerId,
      arm: i % 3 === 2 ? ('control' as const) : ('treatment' as const),
      enrolledAt: AT,
    }));
    await addEnrolments(store, TENANT, 'winback', enrolled);
    const treated = enrolled.filter((e) => e.arm === 'treatment').map((e) => e.customerId);
    const control = enrolled.filter((e) => e.arm === 'control').map((e) => e.customerId);
    expect([treated.length, control.length]).toEqual([300, 150]);
    const campaignsBefore = org.sandbox.store.records.get('Campaign')!.size;

    const first = await sync();
    if (first.status !== 'synced') throw new Error(first.reason);
    expect(first.programs).toEqual([
      expect.objectContaining({
        programId: 'winback',
        campaign: 'created',
        membersAdded: 300,
        alreadyMembers: 0,
        failed: [],
      }),
    ]);
    const [campaign, ...others] = campaigns('CLV retention · winback');
    expect(others).toEqual([]);
    expect(org.sandbox.store.records.get('Campaign')!.size).toBe(campaignsBefore + 1);
    expect([campaign.Type, campaign.IsActive]).toEqual(['Other', true]);
    expect(first.programs[0].campaignId).toBe(campaign.Id);
    expect(membersOf(campaign).sort()).toEqual([...treated].sort());
    expect(membersOf(campaign).filter((id) => control.includes(id))).toEqual([]);
    const statuses = new Set(
      [...org.sandbox.store.records.get('CampaignMember')!.values()]
        .filter((m) => m.CampaignId === campaign.Id)
        .map((m) => m.Status),
    );
    expect([...statuses]).toEqual(['Sent']);
    // Two member inserts of 200 and 100 (sObject Collections cap), plus the campaign's own create.
    const inserts = org.journal.filter(
      (call) => call[0]?.method === 'POST' && /\/composite\/sobjects$/.test(call[0].path),
    );
    expect(inserts.map((call) => [call[0].objectType, call.length])).toEqual([
      ['Campaign', 1],
      ['CampaignMember', 200],
      ['CampaignMember', 100],
    ]);

    const rerun = await sync();
    if (rerun.status !== 'synced') throw new Error(rerun.reason);
    expect(rerun.programs[0]).toMatchObject({
      campaign: 'found',
      membersAdded: 0,
      alreadyMembers: 300,
      failed: [],
    });
    expect(campaigns('CLV retention · winback')).toHaveLength(1);
    expect(membersOf(campaign)).toHaveLength(300);
  });

  it('newly treated customers join; an insert that meets an existing member (DUPLICATE_VALUE) counts as done', async () => {
    const added = ids
      .slice(450, 460)
      .map((customerId) => ({ customerId, arm: 'treatment' as const, enrolledAt: AT }));
    await addEnrolments(store, TENANT, 'winback', added);
    // The member query answers nothing, as if a concurrent run had added them after it: every insert of an
    // existing pair must come back DUPLICATE_VALUE and count as a member, never as a failure or a second row.
    const conn = adapter.connection.conn as unknown as {
      query: (soql: string, options?: unknown) => unknown;
    };
    const realQuery = conn.query.bind(conn);
    conn.query = (soql, options) =>
      realQuery(/FROM CampaignMember/.test(soql) ? `${soql} AND ContactId = null` : soql, options);
    try {
      const result = await sync();
      if (result.status !== 'synced') throw new Error(result.reason);
      expect(result.programs[0]).toMatchObject({ membersAdded: 10, alreadyMembers: 300, failed: [] });
    } finally {
      conn.query = realQuery;
    }
    const [campaign] = campaigns('CLV retention · winback');
    const members = membersOf(campaign);
    expect(members).toHaveLength(310);
    expect(new Set(members).size).toBe(310);
  });

  it('an ended program: the campaign turns inactive and gains no members; one without a campaign gets none', async () => {
    await writePrograms(store, TENANT, [
      buildProgram({ id: 'winback', status: 'ended', endedAt: '2026-04-01T00:00:00.000Z' }),
      buildProgram({ id: 'never-live', status: 'ended', endedAt: '2026-04-01T00:00:00.000Z' }),
    ]);
    await addEnrolments(store, TENANT, 'winback', [
      { customerId: ids[470], arm: 'treatment', enrolledAt: AT },
    ]);
    await addEnrolments(store, TENANT, 'never-live', [
      { customerId: ids[471], arm: 'treatment', enrolledAt: AT },
    ]);
    const result = await sync();
    if (result.status !== 'synced') throw new Error(result.reason);
    expect(result.programs.map((p) => [p.programId, p.campaign, p.membersAdded])).toEqual([
      ['winback', 'deactivated', 0],
      ['never-live', 'absent', 0],
    ]);
    const [campaign] = campaigns('CLV retention · winback');
    expect(campaign.IsActive).toBe(false);
    expect(membersOf(campaign)).not.toContain(ids[470]);
    expect(campaigns('CLV retention · never-live')).toEqual([]);
  });

  it('the sandbox refuses a second CampaignMember of the same contact and campaign, as Salesforce does', async () => {
    const [campaign] = campaigns('CLV retention · winback');
    const results = (await adapter.connection.conn.sobject('CampaignMember').create(
      [
        { CampaignId: campaign.Id, ContactId: ids[0], Status: 'Sent' },
        { CampaignId: campaign.Id, ContactId: ids[480], Status: 'Sent' },
        { CampaignId: campaign.Id, ContactId: ids[480], Status: 'Sent' },
      ],
      { allOrNone: false },
    )) as unknown as { success: boolean; errors: { statusCode: string; message: string }[] }[];
    expect(results.map((r) => r.success)).toEqual([false, true, false]);
    expect(results[0].errors[0]).toMatchObject({
      statusCode: 'DUPLICATE_VALUE',
      message: 'Already a campaign member.',
    });
    expect(results[2].errors[0].statusCode).toBe('DUPLICATE_VALUE');
  });

  it('a HubSpot adapter (no campaign capability) is reported unsupported, not failed', async () => {
    const { retentionCampaigns: _, ...withoutCampaigns } = adapter;
    void _;
    const result = await syncTenantRetentionCampaigns({
      adapter: { ...withoutCampaigns, crm: 'hubspot' },
      store,
    });
    expect(result.status).toBe('unsupported');
  });
});

describe('enrolment at write-back, then the campaign step (as the worker runs them)', () => {
  it("the campaign's members are exactly the contacts whose written CLV_Retention_Group__c is treatment", async () => {
    const org = await startOrg({ contacts: 200 });
    const dir = await mkdtemp(join(tmpdir(), 'crm-clv-sf-enrol-'));
    try {
      const adapter = await org.adapter();
      const store = new FileRecordStore(dir);
      await writePrograms(store, TENANT, [buildProgram({ id: 'winback', treatmentShare: 0.5 })]);
      const contacts = [...org.sandbox.store.records.get('Contact')!.values()].filter((c) => !c.IsDeleted);
      // Every other contact is high risk, so eligible; the rest are not.
      const scores = contacts.map((c, i) => programScore(c.Id, { churnRisk: i % 2 === 0 ? 'high' : 'low' }));
      const run = {
        ...programRun('2026-03-02T00:00:00.000Z', scores.length),
        tenant: TENANT,
        source: 'salesforce' as const,
      };
      const written = await writeBackScores({ adapter, store, scored: { run, scores } });
      expect(written.written.failed).toEqual([]);
      const result = await syncTenantRetentionCampaigns({ adapter, store });
      if (result.status !== 'synced') throw new Error(result.reason);

      const byGroup = (group: string) =>
        [...org.sandbox.store.records.get('Contact')!.values()]
          .filter((c) => c.CLV_Retention_Group__c === group)
          .map((c) => c.Id)
          .sort();
      const [campaign] = [...org.sandbox.store.records.get('Campaign')!.values()].filter(
        (c) => c.Name === 'CLV retention · winback',
      );
      const members = [...org.sandbox.store.records.get('CampaignMember')!.values()]
        .filter((m) => m.CampaignId === campaign.Id)
        .map((m) => String(m.ContactId))
        .sort();
      // 100 eligible, split by the arm hash: both arms non-empty, members = the treatment arm as written.
      expect(byGroup('treatment').length + byGroup('control').length).toBe(100);
      expect(byGroup('control').length).toBeGreaterThan(0);
      expect(members).toEqual(byGroup('treatment'));
      expect(members.filter((id) => byGroup('control').includes(id))).toEqual([]);
      expect(result.programs[0]).toMatchObject({ membersAdded: members.length, alreadyMembers: 0 });
    } finally {
      await org.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
