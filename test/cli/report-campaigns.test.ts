/**
 * `crm-clv report campaigns` and `report email-content` on a tiny stored book whose figures are worked out by
 * hand (the same book as test/analytics/campaigns, written to a store).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Campaign, CampaignMember, Order } from '../../domain/records';
import type { Score, ScoreRun } from '../../domain/score';
import { FileRecordStore } from '../../worker/state';
import { readCsvRows } from '../helpers/read-csv';
import { runOnStore, tempDir } from '../helpers/run-cli';

const TENANT = 'hubspot-77';
let dataDir: string;
const run = (args: string[], tenant = TENANT) => runOnStore(tenant, dataDir, args);

const iso = (d: string) => `${d}T00:00:00.000Z`;
const base = { clvHistoric: 0, expectedOrders: 1, modelVersion: 'm1', scoredAt: '2026-11-01T00:00:00.000Z' };
const score = (
  customerId: string,
  rfmSegment: string,
  churnRisk: Score['churnRisk'],
  clvPredicted: number,
): Score => ({
  ...base,
  customerId,
  rfmSegment,
  churnRisk,
  clvPredicted,
});

beforeAll(async () => {
  dataDir = tempDir('report-store');
  const store = new FileRecordStore(dataDir);
  const campaigns: Campaign[] = [{ id: 'C1', name: 'Winter win-back', cost: 100, channel: 'Email' }];
  const member = (
    id: string,
    customerId: string,
    joinedAt: string,
    respondedAt?: string,
  ): CampaignMember => ({
    id,
    campaignId: 'C1',
    customerId,
    joinedAt,
    ...(respondedAt ? { respondedAt } : {}),
  });
  const members = [
    member('m1', 'a', '2026-01-10T12:00:00.000Z', iso('2026-01-12')),
    member('m2', 'b', '2026-01-10T08:00:00.000Z'),
    member('m3', 'c', iso('2026-02-01'), iso('2026-02-02')),
  ];
  const order = (id: string, customerId: string, day: string, amount: number, currency = 'EUR'): Order => ({
    id,
    customerId,
    placedAt: iso(day),
    amount,
    currency,
    status: 'won',
  });
  const orders = [
    order('o1', 'a', '2026-01-20', 120),
    order('o5', 'c', '2026-02-15', 80),
    order('o7', 'n1', '2026-01-25', 60),
    order('o9', 'b', '2026-01-21', 999, 'USD'), // another currency: left out and counted
  ];
  const scores = [
    score('a', 'Champions', 'low', 500),
    score('b', 'Champions', 'low', 300),
    {
      ...score('c', 'At Risk', 'high', 200),
      recommendations: [{ productId: 'p', productName: 'Mugs & <Cups>', score: 1, reason: '' }],
    },
    score('n1', 'Champions', 'low', 400),
    score('n2', 'Champions', 'low', 100),
    score('n3', 'At Risk', 'high', 50),
  ];
  const run: ScoreRun = {
    runId: 'run-1',
    tenant: TENANT,
    source: 'hubspot',
    scoredAt: base.scoredAt,
    modelVersion: 'm1',
    clvMonths: 12,
    currency: 'EUR',
    customers: scores.length,
  };
  await store.putRecords(TENANT, 'campaign', campaigns);
  await store.putRecords(TENANT, 'campaignMember', members);
  await store.putRecords(TENANT, 'order', orders);
  await store.putScoreRun(TENANT, run, scores);
});

describe('crm-clv report campaigns', () => {
  it('prints and exports the hand-computed KPIs, labelled observational', async () => {
    const csv = join(tempDir('report-csv'), 'campaigns.csv');
    const r = await run(['report', 'campaigns', '--csv', csv]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // a (120) and c (80) converted of 3; revenue 200; ROI (200 − 100)/100 = 100%.
    // a, b vs n1, n2 (½, mean 30); c vs n3 (0, 0): baseline (½ + ½ + 0)/3 = 33.3%, members 66.7%;
    // incremental revenue (120 − 30) + (0 − 30) + 80 = 140.
    expect(r.stdout).toMatch(/Winter win-back \(Email\): 3 members, 66\.7% responded, 2 converted \(66\.7%/);
    expect(r.stdout).toMatch(/revenue €200, CLV of the converted €700, cost €100, ROI 100%/);
    expect(r.stdout).toMatch(
      /66\.7% vs 33\.3% converted \(\+33\.3 points\), incremental revenue €140, incremental ROI 40%/,
    );
    expect(r.stdout).toMatch(/1 won orders in other currencies than EUR are left out/);
    expect(r.stdout).toMatch(/Observational/);
    const [row] = readCsvRows(csv);
    expect(row).toMatchObject({
      campaign_id: 'C1',
      members: '3',
      converted: '2',
      revenue: '200',
      converted_clv: '700',
      roi: '1',
      matched_members: '3',
      incremental_revenue: '140',
      incremental_roi: '0.4',
      comparison: 'observational',
    });
  });

  it('takes --within-days: within 7 days nobody converted', async () => {
    const r = await run(['report', 'campaigns', '--within-days', '7', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as {
      withinDays: number;
      campaigns: { converted: number; revenue: number }[];
    };
    expect(report.withinDays).toBe(7);
    expect(report.campaigns[0]).toMatchObject({ converted: 0, revenue: 0 });
  });

  it('refuses a window of 0 days and a tenant with no score run, as bad input', async () => {
    const zero = await run(['report', 'campaigns', '--within-days', '0']);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toMatch(/--withinDays: within-days must be at least 1/);
    const none = await run(['report', 'campaigns'], 'hubspot-78');
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/hubspot-78 has no scores yet/);
  });
});

describe('crm-clv report email-content', () => {
  it('writes the snippets as JSON and one escaped HTML preview per segment', async () => {
    const out = tempDir('email-out');
    const r = await run(['report', 'email-content', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['email-content.json', 'rfm-at-risk.html', 'rfm-champions.html']);
    const html = readFileSync(join(out, 'rfm-at-risk.html'), 'utf8');
    expect(html).toContain('Subject:</strong> We miss you, {{ contact.firstname }}');
    expect(html).toContain('You might like Mugs &amp; &lt;Cups&gt;.');
    expect(html).not.toContain('<Cups>');
  });
});
