/**
 * P7's sync coverage end to end, real jsforce against the Salesforce sandbox, through the SalesforceAdapter
 * (the CrmAdapter the worker uses) into the RecordStore (file and Redis, through the store sink): every
 * Opportunity a Deal, Campaigns and their members, Task and Event activity signals in Customer.engagement,
 * the Account's billing address as a location fallback and the first campaign as acquisition channel.
 *
 * Expectations come from outside the connector: the demo generator's portal (what the sandbox was seeded
 * from: deals, sources, email and visit counters, dates) and the sandbox org's own rows read from its memory
 * by the documented rules (./org-expectations.ts).
 */
import { Connection } from 'jsforce';
import { seedPortal, DEFAULT_OBSERVATION_END } from '../../../../connectors/hubspot/sandbox';
import { insertRecord, updateRecord } from '../../../../connectors/salesforce/sandbox/org-store';
import { sfDatetime } from '../../../../connectors/salesforce/sandbox';
import type { SalesforceAdapter } from '../../../../connectors/salesforce/salesforce-adapter';
import type { Customer } from '../../../../domain/records';
import { FileRecordStore, RedisRecordStore, type RecordStore } from '../../../../worker/state';
import { storeSink } from '../../../../worker/state/store-sink';
import { tempDir } from '../../../helpers/run-cli';
import { testRedis } from '../../../helpers/test-redis';
import { expectedAcquisition, expectedEngagement, expectedLocation } from './org-expectations';
import { ORG_ID, startOrg, TOKEN, type Org } from './org-harness';

const SEED = 11;
const CONTACTS = 300;
const TENANT = `salesforce-${ORG_ID}`;
const WEEK_MS = 7 * 86_400_000;

/** The seed's translation of the generator's analytics sources (seed-org.ts), campaigns for two of them. */
const ACQUISITION: Record<string, string> = {
  EMAIL_MARKETING: 'Email',
  PAID_SEARCH: 'Advertisement',
  ORGANIC_SEARCH: 'Organic Search',
  SOCIAL_MEDIA: 'Social Media',
  REFERRALS: 'Partner Referral',
  DIRECT_TRAFFIC: 'Web',
  OFFLINE: 'Other',
};
const SIGN_UP: Record<string, string> = { EMAIL_MARKETING: 'Newsletter', PAID_SEARCH: 'Paid search' };

function quarterLabel(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

const generated = () => seedPortal({ portalId: ORG_ID, seed: SEED, contacts: CONTACTS });

async function fileStore() {
  return { store: new FileRecordStore(tempDir('sf-coverage')) as RecordStore, cleanup: async () => {} };
}
async function redisStore() {
  const { redis, prefix, cleanup } = await testRedis();
  return { store: new RedisRecordStore({ redis, prefix }) as RecordStore, cleanup };
}

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

async function syncedOrg(store: RecordStore): Promise<{ org: Org; adapter: SalesforceAdapter }> {
  org = await startOrg({ seed: SEED, contacts: CONTACTS });
  const adapter = await org.adapter();
  await adapter.readRecords({ mode: 'full' }, storeSink(store, TENANT));
  return { org, adapter };
}

async function customersById(store: RecordStore): Promise<Map<string, Customer>> {
  return new Map((await store.readRecords(TENANT, 'customer')).map((c) => [c.id, c]));
}

/** Every stored customer's engagement equals what the org's activities give by the documented rules. */
async function engagementMatchesOrg(store: RecordStore, o: Org): Promise<void> {
  const expected = expectedEngagement(o.sandbox.store);
  const customers = await customersById(store);
  const wrong = [...customers.values()].filter(
    (c) => JSON.stringify(c.engagement) !== JSON.stringify(expected.get(c.id)),
  );
  expect(
    wrong.map((c) => `${c.id}: ${JSON.stringify(c.engagement)} vs ${JSON.stringify(expected.get(c.id))}`),
  ).toEqual([]);
}

describe('full sync of deals, campaigns, members and activity signals', () => {
  it('reproduces what the generator seeded', async () => {
    const { store, cleanup } = await fileStore();
    try {
      const { org: o } = await syncedOrg(store);
      const portal = generated();
      const customers = [...(await customersById(store)).values()];
      const byEmail = new Map(customers.map((c) => [c.email, c]));
      expect(customers).toHaveLength(CONTACTS);

      // Deals: one per generated deal, by outcome (a refund stage is a closed deal not won).
      const deals = await store.readRecords(TENANT, 'deal');
      const stages = portal.objects.deals.ids.map(
        (id) => portal.objects.deals.byId.get(id)!.properties.dealstage,
      );
      expect(deals).toHaveLength(stages.length);
      const count = (status: string) => deals.filter((d) => d.status === status).length;
      expect(count('won')).toBe(stages.filter((s) => s === 'closedwon').length);
      expect(count('lost')).toBe(stages.filter((s) => s === 'closedlost' || s === 'refunded').length);
      expect(count('open')).toBe(stages.filter((s) => !/^closed|^refunded$/.test(s)).length);
      expect(deals.filter((d) => d.status === 'open').every((d) => d.closedAt === undefined)).toBe(true);

      // Campaigns: a newsletter and a paid-search campaign per quarter from the org's set-up to the end.
      const endMs = Date.parse(DEFAULT_OBSERVATION_END);
      const quarters = new Set<string>();
      for (let ms = endMs - 104 * WEEK_MS - 30 * 86_400_000; ms <= endMs; ms += 86_400_000)
        quarters.add(quarterLabel(ms));
      const campaigns = await store.readRecords(TENANT, 'campaign');
      expect(campaigns.map((c) => c.name).sort()).toEqual(
        [...quarters].flatMap((q) => [`Newsletter ${q}`, `Paid search ${q}`]).sort(),
      );
      const current = quarterLabel(endMs);
      for (const c of campaigns) {
        expect(c.channel).toBe(c.name.startsWith('Newsletter') ? 'Email' : 'Advertisement');
        expect(c.currency).toBe('USD');
        const row = o.sandbox.store.records.get('Campaign')!.get(c.id)!;
        // The campaign under way has no actual cost yet: its budget is the cost.
        if (c.name.endsWith(current)) expect([c.status, c.cost]).toEqual(['In Progress', row.BudgetedCost]);
        else expect([c.status, c.cost]).toEqual(['Completed', row.ActualCost]);
      }
      const campaignName = new Map(campaigns.map((c) => [c.id, c.name]));

      // Members, acquisition channels, primary campaign sources and engagement, contact by contact.
      const members = await store.readRecords(TENANT, 'campaignMember');
      const dealsOf = new Map<string, typeof deals>();
      for (const d of deals) dealsOf.set(d.customerId!, [...(dealsOf.get(d.customerId!) ?? []), d]);
      let expectedMembers = 0;
      for (const id of portal.objects.contacts.ids) {
        const contact = portal.objects.contacts.byId.get(id)!;
        const p = contact.properties;
        const customer = byEmail.get(p.email)!;
        const createdMs = Date.parse(contact.createdAt);
        const lastMs = Date.parse(contact.updatedAt);
        const opens = Number(p.hs_email_open);
        const clicks = Number(p.hs_email_click);
        const signUp = SIGN_UP[p.hs_analytics_source];
        const responses: { ms: number; campaign: string }[] = [];
        const mine = members
          .filter((m) => m.customerId === customer.id)
          .map((m) => campaignName.get(m.campaignId));
        const wanted: string[] = [];
        if (signUp !== undefined) {
          wanted.push(`${signUp} ${quarterLabel(createdMs)}`);
          responses.push({ ms: createdMs, campaign: `${signUp} ${quarterLabel(createdMs)}` });
        }
        const newsletter = `Newsletter ${quarterLabel(lastMs)}`;
        if (opens > 0 && !wanted.includes(newsletter)) {
          wanted.push(newsletter);
          if (clicks > 0) responses.push({ ms: lastMs, campaign: newsletter });
        }
        expectedMembers += wanted.length;
        expect(mine.sort()).toEqual(wanted.sort());
        expect(customer.acquisitionChannel).toBe(ACQUISITION[p.hs_analytics_source]);

        for (const deal of dealsOf.get(customer.id) ?? []) {
          const latest = responses
            .filter((r) => r.ms <= Date.parse(deal.createdAt))
            .sort((a, b) => b.ms - a.ms)[0];
          expect(deal.campaignId === undefined ? undefined : campaignName.get(deal.campaignId)).toBe(
            latest?.campaign,
          );
        }

        // The seed logs one email Task per HubSpot email click (at most 3) and one Event per visit after
        // the first (at most 2).
        const emails = Math.min(3, clicks);
        const visits = Math.min(2, Math.max(0, Number(p.hs_analytics_num_visits) - 1));
        if (emails + visits === 0) expect(customer.engagement).toBeUndefined();
        else
          expect(customer.engagement).toMatchObject({
            emailOpens: emails,
            visits,
            pageViews: 0,
            emailClicks: 0,
            socialClicks: 0,
          });
      }
      expect(members).toHaveLength(expectedMembers);
      expect(members.filter((m) => m.respondedAt !== undefined).length).toBeGreaterThan(0);
      await engagementMatchesOrg(store, o);

      // Every fourth contact has no mailing address: its location is its Account's billing address.
      const mailingLess = [...o.sandbox.store.records.get('Contact')!.values()].filter(
        (c) => c.MailingCity === null,
      );
      expect(mailingLess.length).toBeGreaterThan(CONTACTS / 5);
      const location = expectedLocation(o.sandbox.store);
      for (const c of customers) expect([c.country, c.city]).toEqual(location.get(c.id));
    } finally {
      await cleanup();
    }
  });
});

describe.each([
  ['file', fileStore],
  ['Redis', redisStore],
])('incremental sync after changes and deletions (%s store)', (_name, makeStore) => {
  it('fetches only those and gets the counters, channels, addresses and deals right', async () => {
    const { store, cleanup } = await makeStore();
    try {
      const { org: o, adapter } = await syncedOrg(store);
      const sink = storeSink(store, TENANT);
      const conn = new Connection({ instanceUrl: o.server.url, accessToken: TOKEN, version: '62.0' });
      const sf = o.sandbox.store;
      const rows = (type: string) => [...sf.records.get(type)!.values()];
      const before = await customersById(store);
      const withEngagement = [...before.values()].filter((c) => c.engagement !== undefined);

      // Activities: a new email, a deleted meeting, a task moved to another contact, an open call (no signal).
      const meeting = rows('Event')[0];
      const moved = rows('Task').find((r) => r.IsClosed === true && r.WhoId !== meeting.WhoId)!;
      const b = before.get(String(meeting.WhoId))!;
      const c = before.get(String(moved.WhoId))!;
      const [a, d, e] = withEngagement.filter((x) => x !== b && x !== c);
      await conn.sobject('Task').create({
        WhoId: a.id,
        Subject: 'Re: your order',
        Status: 'Completed',
        TaskSubtype: 'Email',
        ActivityDate: '2026-11-20',
      });
      await conn.sobject('Event').destroy(meeting.Id);
      await conn.sobject('Task').update({ Id: moved.Id, WhoId: d.id });
      await conn
        .sobject('Task')
        .create({ WhoId: e.id, Subject: 'Call back', Status: 'Not Started', TaskSubtype: 'Call' });

      // Campaigns: one changes its Type; a member is deleted, another added.
      const search = rows('Campaign').find(
        (r) => r.Type === 'Advertisement' && rows('CampaignMember').some((m) => m.CampaignId === r.Id),
      )!;
      await conn.sobject('Campaign').update({ Id: search.Id, Type: 'Webinar' });
      const dropped = rows('CampaignMember').find((m) => m.CampaignId !== search.Id)!;
      await conn.sobject('CampaignMember').destroy(dropped.Id);
      const joiner = [...before.values()].find(
        (x) => !rows('CampaignMember').some((m) => m.ContactId === x.id),
      )!;
      const newsletter = rows('Campaign').find((r) => r.Type === 'Email' && r.Status === 'In Progress')!;
      await conn
        .sobject('CampaignMember')
        .create({ CampaignId: newsletter.Id, ContactId: joiner.id, Status: 'Responded' });

      // Deals: an open one is lost, a lost one deleted.
      const open = rows('Opportunity').find((r) => r.IsClosed === false)!;
      await conn
        .sobject('Opportunity')
        .update({ Id: open.Id, StageName: 'Closed Lost', CloseDate: '2026-11-21' });
      const lost = rows('Opportunity').find((r) => r.StageName === 'Closed Lost' && r.Id !== open.Id)!;
      await conn.sobject('Opportunity').destroy(lost.Id);

      // A mailing-less contact's account moves; a contact with activities and deals is deleted.
      const mover = rows('Contact').find((r) => r.MailingCity === null)!;
      await conn.sobject('Account').update({ Id: String(mover.AccountId), BillingCity: 'Newtown' });
      const gone = withEngagement.find(
        (x) =>
          ![a, b, c, d, e, joiner].includes(x) &&
          rows('Opportunity').some((r) => r.ContactId === x.id && r.Id !== lost.Id),
      )!;
      const goneDeals = rows('Opportunity')
        .filter((r) => r.ContactId === gone.id)
        .map((r) => r.Id);
      await conn.sobject('Contact').destroy(gone.id);

      const report = await adapter.readRecords({ mode: 'incremental' }, sink);
      // Only the changes were read: 3 tasks, 1 campaign, 1 member, 1 account, 1 opportunity, and the
      // contacts re-read for their account or memberships (without LeadSource: their acquisition channel).
      const noLeadSource = new Set(
        rows('Contact')
          .filter((r) => !r.LeadSource && r.IsDeleted !== true)
          .map((r) => r.Id),
      );
      const remapped = new Set([
        String(mover.Id),
        ...rows('CampaignMember')
          .filter((m) => m.CampaignId === search.Id || m.Id === dropped.Id || m.ContactId === joiner.id)
          .map((m) => String(m.ContactId))
          .filter((id) => noLeadSource.has(id)),
      ]);
      expect(report.read).toEqual({
        User: 0,
        Product2: 0,
        Campaign: 1,
        CampaignMember: 1,
        Task: 3,
        Event: 0,
        Account: 1,
        Contact: remapped.size,
        OpportunityLineItem: 0,
        OpportunityContactRole: 0,
        Opportunity: 1,
        Case: 0,
      });
      expect(Object.values(report.skipped).flat()).toEqual([]);

      const after = await customersById(store);
      expect(after.has(gone.id)).toBe(false);
      expect(after.get(a.id)!.engagement).toMatchObject({
        emailOpens: a.engagement!.emailOpens + 1,
        lastEngagedAt: '2026-11-20T00:00:00.000Z',
      });
      expect(after.get(e.id)!.engagement).toEqual(e.engagement);
      await engagementMatchesOrg(store, o);
      expect((await store.readRecords(TENANT, 'activity')).some((x) => x.customerId === gone.id)).toBe(false);

      const acquisition = expectedAcquisition(sf);
      for (const customer of after.values())
        expect(customer.acquisitionChannel).toBe(acquisition.get(customer.id));
      expect([...after.values()].filter((x) => x.acquisitionChannel === 'Webinar').length).toBeGreaterThan(0);
      expect(after.get(String(mover.Id))!.city).toBe('Newtown');

      const members = await store.readRecords(TENANT, 'campaignMember');
      expect(members.some((m) => m.id === dropped.Id)).toBe(false);
      expect(members.some((m) => m.customerId === gone.id)).toBe(false);
      expect(members.find((m) => m.customerId === joiner.id)).toMatchObject({
        campaignId: newsletter.Id,
        status: 'Responded',
      });
      const campaign = (await store.readRecords(TENANT, 'campaign')).find((x) => x.id === search.Id);
      expect(campaign?.channel).toBe('Webinar');

      const deals = new Map((await store.readRecords(TENANT, 'deal')).map((x) => [x.id, x]));
      expect(deals.get(open.Id)).toMatchObject({
        status: 'lost',
        stage: 'Closed Lost',
        closedAt: '2026-11-21T00:00:00.000Z',
      });
      expect(deals.has(lost.Id)).toBe(false);
      for (const id of goneDeals.filter((x) => x !== lost.Id))
        expect(deals.get(id)?.customerId).toBeUndefined();
      expect(deals.size).toBe(rows('Opportunity').filter((r) => r.IsDeleted !== true).length);

      // Nothing changed since: nothing is read, and no counter moves (nothing counted twice).
      const again = await adapter.readRecords({ mode: 'incremental' }, sink);
      expect(Object.values(again.read).reduce((s, n) => s + n, 0)).toBe(0);
      expect(await customersById(store)).toEqual(after);

      // The open call is made: one visit more for its contact, on the next run.
      const call = rows('Task').find((r) => r.WhoId === e.id && r.Subject === 'Call back')!;
      await conn.sobject('Task').update({ Id: call.Id, Status: 'Completed', ActivityDate: '2026-11-22' });
      const third = await adapter.readRecords({ mode: 'incremental' }, sink);
      expect(third.read.Task).toBe(1);
      expect((await customersById(store)).get(e.id)!.engagement).toMatchObject({
        visits: e.engagement!.visits + 1,
        lastEngagedAt: '2026-11-22T00:00:00.000Z',
      });
      await engagementMatchesOrg(store, o);
    } finally {
      await cleanup();
    }
  });
});

describe('bad records', () => {
  it('reports a member without a contact and an opportunity with a non-numeric amount by id, and syncs the rest', async () => {
    const { store, cleanup } = await fileStore();
    try {
      org = await startOrg({ seed: SEED, contacts: CONTACTS });
      const sf = org.sandbox.store;
      const at = sfDatetime(Date.parse('2026-10-01T00:00:00.000Z'));
      const campaign = [...sf.records.get('Campaign')!.values()][0];
      const lead = insertRecord(
        sf,
        'CampaignMember',
        { CampaignId: campaign.Id, ContactId: null, Status: 'Sent' },
        at,
      );
      const opportunity = [...sf.records.get('Opportunity')!.values()].find((r) => r.IsWon === true)!;
      updateRecord(sf, 'Opportunity', opportunity, { Amount: 'abc' }, at);
      const task = insertRecord(
        sf,
        'Task',
        { WhoId: [...sf.records.get('Contact')!.keys()][0], Status: 'Completed', TaskSubtype: 'Call' },
        at,
      );
      task.CompletedDateTime = 'yesterday';

      const report = await (await org.adapter()).readRecords({ mode: 'full' }, storeSink(store, TENANT));
      expect(report.skipped.CampaignMember).toEqual([
        {
          id: lead.Id,
          reason: 'ContactId: the member is not a contact (a lead, or nobody), so it belongs to no customer',
        },
      ]);
      // Reported once (as the deal), neither a deal nor an order stored.
      expect(report.skipped.Opportunity).toEqual([
        { id: opportunity.Id, reason: "Amount: expected a number, got 'abc'" },
      ]);
      expect(report.skipped.Task).toEqual([
        {
          id: task.Id,
          reason:
            "CompletedDateTime: expected a dateTime such as 2024-01-05T10:00:00.000+0000, got 'yesterday'",
        },
      ]);
      expect((await store.readRecords(TENANT, 'deal')).some((x) => x.id === opportunity.Id)).toBe(false);
      expect((await store.readRecords(TENANT, 'order')).some((x) => x.id === opportunity.Id)).toBe(false);
      expect((await store.readRecords(TENANT, 'campaignMember')).some((x) => x.id === lead.Id)).toBe(false);
      expect(await store.readRecords(TENANT, 'deal')).toHaveLength(sf.records.get('Opportunity')!.size - 1);
      expect(await store.readRecords(TENANT, 'customer')).toHaveLength(CONTACTS);
    } finally {
      await cleanup();
    }
  });
});
