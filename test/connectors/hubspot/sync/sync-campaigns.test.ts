/**
 * HubSpot marketing campaigns end to end (issue P8): the real @hubspot/api-client against the sandbox, a full
 * sync into a file store, then the campaign report (and `crm-clv report campaigns`) over it. Expected figures
 * come from the generator's own contacts (their analytics source, creation quarter, email clicks and last
 * activity), counted here, and from the seeded campaigns' budget and spend; a 403 (no scope) and a 404 (no
 * product) each leave one warning and a sync that otherwise completes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createHubSpotConnection,
  type HubSpotConnection,
} from '../../../../connectors/hubspot/create-client';
import {
  createHubSpotSandbox,
  sandboxCampaigns,
  setCampaignAccess,
  type HubSpotSandbox,
  type RunningSandbox,
} from '../../../../connectors/hubspot/sandbox';
import { syncHubSpot, type SyncSummary } from '../../../../connectors/hubspot/sync';
import type { Score, ScoreRun } from '../../../../domain/score';
import { buildCampaignReport } from '../../../../worker/pipeline/campaign-report';
import { FileRecordStore } from '../../../../worker/state';
import { storeSink } from '../../../../worker/state/store-sink';
import { runCliAsync } from '../../../helpers/run-cli';

const TOKEN = 'sandbox-token';
const PORTAL = '4242';
const TENANT = `hubspot-${PORTAL}`;
const DAY_MS = 86_400_000;

type Started = { sandbox: HubSpotSandbox; server: RunningSandbox; connection: HubSpotConnection };

async function start(contacts: number, campaignAccess?: 'missing-scope' | 'no-product'): Promise<Started> {
  const sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId: PORTAL,
    seed: 23,
    contacts,
    rateLimit: { perTenSeconds: 100_000, searchPerSecond: 100_000 },
    campaignAccess,
  });
  const server = await sandbox.listen(0);
  const connection = createHubSpotConnection({
    accessToken: TOKEN,
    baseUrl: server.url,
    account: { auth: 'private', tier: 'enterprise', limitIncreases: 1 },
  });
  return { sandbox, server, connection };
}

/** "2025 Q3" of a time, as the campaigns are named. */
function quarterLabel(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

/**
 * Members per campaign name, counted from the generator's contacts: a contact whose source is EMAIL_MARKETING
 * or PAID_SEARCH belongs to the newsletter or search campaign of its creation quarter; a contact with email
 * clicks to the newsletter of its last activity's quarter (once, if that is its sign-up campaign too).
 */
function expectedMembers(sandbox: HubSpotSandbox): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (name: string, id: string) => {
    let set = out.get(name);
    if (set === undefined) out.set(name, (set = new Set()));
    set.add(id);
  };
  const contacts = sandbox.store.objects.contacts;
  for (const id of contacts.ids) {
    const c = contacts.byId.get(id)!;
    const source = c.properties.hs_analytics_source;
    if (source === 'EMAIL_MARKETING') add(`Newsletter ${quarterLabel(Date.parse(c.createdAt))}`, id);
    if (source === 'PAID_SEARCH') add(`Paid search ${quarterLabel(Date.parse(c.createdAt))}`, id);
    if (Number(c.properties.hs_email_click ?? 0) > 0)
      add(`Newsletter ${quarterLabel(Date.parse(c.updatedAt))}`, id);
  }
  return out;
}

describe('HubSpot campaigns: sync, then campaign KPIs', () => {
  let s: Started;
  let dir: string;
  let store: FileRecordStore;
  let summary: SyncSummary;
  let expected: Map<string, Set<string>>;

  beforeAll(async () => {
    s = await start(400);
    expected = expectedMembers(s.sandbox);
    dir = await mkdtemp(join(tmpdir(), 'crm-clv-hs-campaigns-'));
    store = new FileRecordStore(dir);
    summary = await syncHubSpot({
      connection: s.connection,
      sink: storeSink(store, TENANT),
      tenant: TENANT,
      mode: 'full',
    });
  });
  afterAll(async () => {
    await s.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every seeded campaign with its spend (completed) or budget (running) as the cost', async () => {
    const seeded = sandboxCampaigns(s.sandbox.store);
    const campaigns = await store.readRecords(TENANT, 'campaign');
    expect(summary.read.campaigns).toBe(seeded.length);
    // One newsletter and one search campaign per quarter from the portal's setup to the observation end.
    const setup = Date.parse(s.sandbox.store.owners[0].createdAt);
    const quarters = new Set<string>();
    for (let ms = setup; ms <= Date.parse('2026-10-31T00:00:00Z'); ms += DAY_MS)
      quarters.add(quarterLabel(ms));
    expect(campaigns).toHaveLength(2 * quarters.size);
    for (const q of quarters) {
      const completed = q !== '2026 Q4';
      const newsletter = campaigns.find((c) => c.name === `Newsletter ${q}`);
      const search = campaigns.find((c) => c.name === `Paid search ${q}`);
      expect(newsletter?.status).toBe(completed ? 'completed' : 'in_progress');
      expect(newsletter?.cost).toBeGreaterThanOrEqual(completed ? 1800 : 2000);
      expect(newsletter?.cost).toBeLessThanOrEqual(2100);
      expect(search?.cost).toBeGreaterThanOrEqual(11_000);
      expect(search?.cost).toBeLessThanOrEqual(12_000);
      if (!completed) expect([newsletter?.cost, search?.cost]).toEqual([2000, 12_000]);
      expect(newsletter?.currency).toBe('USD');
    }
    // What was spent where the sandbox has spend items, else the budget.
    for (const seededCampaign of seeded) {
      const p = seededCampaign.properties;
      const stored = campaigns.find((c) => c.id === seededCampaign.id);
      expect(stored?.cost).toBe(Number(p.hs_spend_items_sum_amount ?? p.hs_budget_items_sum_amount));
    }
    const running = campaigns.find((c) => c.name === 'Newsletter 2026 Q4');
    expect(running).toMatchObject({ startDate: '2026-10-01', endDate: '2026-12-31' });
  });

  it('stores the attributed contacts as members, as many per campaign as the generator made', async () => {
    const campaigns = await store.readRecords(TENANT, 'campaign');
    const members = await store.readRecords(TENANT, 'campaignMember');
    const total = [...expected.values()].reduce((n, set) => n + set.size, 0);
    expect(total).toBeGreaterThan(50);
    expect(members).toHaveLength(total);
    expect(summary.written.campaign_members).toBe(total);
    for (const campaign of campaigns) {
      const mine = members.filter((m) => m.campaignId === campaign.id);
      expect(new Set(mine.map((m) => m.customerId))).toEqual(expected.get(campaign.name) ?? new Set());
      for (const m of mine) expect(m.joinedAt).toBe(`${campaign.startDate}T00:00:00.000Z`);
    }
  });

  it('feeds the campaign report: members, conversion, revenue, cost and ROI per campaign', async () => {
    const customers = await store.readRecords(TENANT, 'customer');
    const orders = await store.readRecords(TENANT, 'order');
    const currency = 'USD';
    const scores: Score[] = customers.map((c) => ({
      customerId: c.id,
      clvHistoric: 0,
      clvPredicted: 100,
      expectedOrders: 1,
      rfmSegment: 'Loyal',
      churnRisk: 'low',
      modelVersion: 'm1',
      scoredAt: '2026-11-01T00:00:00.000Z',
    }));
    const run: ScoreRun = {
      runId: 'run-campaigns',
      tenant: TENANT,
      source: 'hubspot',
      scoredAt: '2026-11-01T00:00:00.000Z',
      modelVersion: 'm1',
      clvMonths: 12,
      currency,
      customers: scores.length,
    };
    await store.putScoreRun(TENANT, run, scores);

    const report = await buildCampaignReport(store, TENANT, 30);
    const campaigns = await store.readRecords(TENANT, 'campaign');
    expect(report.campaigns).toHaveLength(campaigns.length);
    let anyRevenue = false;
    for (const k of report.campaigns) {
      const campaign = campaigns.find((c) => c.id === k.campaignId)!;
      const ids = expected.get(campaign.name) ?? new Set<string>();
      expect(k.members).toBe(ids.size);
      expect(k.responded).toBe(ids.size);
      // Won USD orders of the members within 30 days of the campaign's start (when they joined).
      const from = Date.parse(`${campaign.startDate}T00:00:00Z`);
      let revenue = 0;
      let converted = 0;
      for (const id of ids) {
        const inWindow = orders.filter(
          (o) =>
            o.customerId === id &&
            o.status === 'won' &&
            o.currency === currency &&
            Date.parse(o.placedAt) >= from &&
            Date.parse(o.placedAt) <= from + 30 * DAY_MS,
        );
        revenue += inWindow.reduce((sum, o) => sum + o.amount, 0);
        if (inWindow.length > 0) converted++;
      }
      expect(k.converted).toBe(converted);
      expect(k.revenue).toBeCloseTo(revenue, 6);
      expect(k.cost).toBe(campaign.cost);
      expect(k.roi).toBeCloseTo((revenue - campaign.cost!) / campaign.cost!, 9);
      if (revenue > 0) anyRevenue = true;
    }
    expect(anyRevenue).toBe(true);

    const cli = await runCliAsync(['report', 'campaigns', '--tenant', TENANT, '--data-dir', dir, '--json']);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const printed = JSON.parse(cli.stdout) as { campaigns: { name: string; members: number }[] };
    expect(printed.campaigns.map((c) => [c.name, c.members]).sort()).toEqual(
      campaigns.map((c) => [c.name, expected.get(c.name)?.size ?? 0]).sort(),
    );
  });
});

describe('HubSpot campaigns: a portal without access', () => {
  let s: Started;
  let dir: string;
  let store: FileRecordStore;

  beforeAll(async () => {
    s = await start(60, 'missing-scope');
    dir = await mkdtemp(join(tmpdir(), 'crm-clv-hs-campaigns-403-'));
    store = new FileRecordStore(dir);
  });
  afterAll(async () => {
    await s.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const sync = (mode: 'full' | 'incremental') =>
    syncHubSpot({ connection: s.connection, sink: storeSink(store, TENANT), tenant: TENANT, mode });
  const campaignWarnings = (summary: SyncSummary) => summary.warnings.filter((w) => w.type === 'campaigns');

  it('403 (no marketing.campaigns.read): one warning, no campaigns, everything else synced', async () => {
    const summary = await sync('full');
    expect(campaignWarnings(summary)).toEqual([
      { type: 'campaigns', id: '(all)', warning: expect.stringMatching(/marketing\.campaigns\.read scope/) },
    ]);
    expect(summary.read.campaigns).toBe(0);
    expect(await store.readRecords(TENANT, 'campaign')).toEqual([]);
    expect(await store.readRecords(TENANT, 'customer')).toHaveLength(60);
  });

  it('once granted, the campaigns come in; a later 404 (no product) keeps them with one warning', async () => {
    setCampaignAccess(s.sandbox.store, 'granted');
    const granted = await sync('incremental');
    expect(campaignWarnings(granted)).toEqual([]);
    const stored = await store.readRecords(TENANT, 'campaign');
    expect(stored).toHaveLength(sandboxCampaigns(s.sandbox.store).length);
    const members = await store.readRecords(TENANT, 'campaignMember');

    setCampaignAccess(s.sandbox.store, 'no-product');
    const gone = await sync('incremental');
    expect(campaignWarnings(gone)).toEqual([
      { type: 'campaigns', id: '(all)', warning: expect.stringMatching(/Marketing Hub Professional/) },
    ]);
    expect(gone.removed.campaigns).toBe(0);
    expect(await store.readRecords(TENANT, 'campaign')).toEqual(stored);
    expect(await store.readRecords(TENANT, 'campaignMember')).toEqual(members);
  });
});

describe('HubSpot campaigns: a report longer than a page', () => {
  it('reads every page of a campaign with 250 influenced contacts (100 per page)', async () => {
    const s = await start(250);
    const dir = await mkdtemp(join(tmpdir(), 'crm-clv-hs-campaigns-pages-'));
    try {
      const store = new FileRecordStore(dir);
      // Arranged: every contact of the portal interacted with the first campaign.
      const first = sandboxCampaigns(s.sandbox.store)[0];
      first.contacts.influencedContacts = [...s.sandbox.store.objects.contacts.ids];
      const summary = await syncHubSpot({
        connection: s.connection,
        sink: storeSink(store, TENANT),
        tenant: TENANT,
        mode: 'full',
      });
      const members = (await store.readRecords(TENANT, 'campaignMember')).filter(
        (m) => m.campaignId === first.id,
      );
      expect(members).toHaveLength(250);
      expect(new Set(members.map((m) => m.customerId)).size).toBe(250);
      expect(summary.skipped.campaign_members).toEqual([]);
    } finally {
      await s.server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
