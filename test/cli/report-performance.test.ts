/**
 * `crm-clv report performance` end to end: a tenant's store holding a small hand-made book (reps, deals,
 * customers, orders with lines, a score run), an acquisition-spend file, and the CSV exports checked against
 * figures worked out by hand.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deal } from '../../domain/records';
import type { Score } from '../../domain/score';
import { FileRecordStore } from '../../worker/state';
import { readCsvRows } from '../helpers/read-csv';
import { runOnStore, tempDir } from '../helpers/run-cli';

const TENANT = 'hubspot-1000';
const at = (day: string) => `${day}T00:00:00.000Z`;
const deal = (
  id: string,
  ownerId: string,
  status: Deal['status'],
  amount: number,
  customerId: string,
  day: string,
): Deal => ({
  id,
  ownerId,
  status,
  amount,
  currency: 'USD',
  stage: status,
  createdAt: at(day),
  ...(status === 'open' ? {} : { closedAt: at(day) }),
  customerId,
});
const score = (customerId: string, segmentName: string, clvPredicted: number): Score => ({
  customerId,
  segmentId: segmentName,
  segmentName,
  clvHistoric: 0,
  clvPredicted,
  expectedOrders: 1,
  churnProbability: 0.2,
  modelVersion: 'v1',
  scoredAt: '2026-06-01T00:00:00.000Z',
});

let dataDir: string;
const run = (args: string[], tenant = TENANT) => runOnStore(tenant, dataDir, args);
beforeAll(async () => {
  dataDir = tempDir('report-performance');
  const store = new FileRecordStore(dataDir);
  await store.putRecords(TENANT, 'rep', [
    { id: 'r1', name: 'Ada Moreau' },
    { id: 'r2', name: 'Bruno Keller' },
  ]);
  await store.putRecords(
    TENANT,
    'customer',
    ['c1', 'c2', 'c3'].map((id, i) => ({
      id,
      tenant: TENANT,
      source: 'hubspot' as const,
      externalId: id,
      createdAt: at('2026-01-01'),
      updatedAt: at('2026-01-01'),
      ownerId: i === 0 ? 'r2' : 'r1',
      acquisitionChannel: i === 2 ? 'ORGANIC_SEARCH' : 'PAID_SEARCH',
    })),
  );
  await store.putRecords(TENANT, 'deal', [
    deal('d1', 'r1', 'won', 120, 'c1', '2026-01-10'),
    deal('d2', 'r1', 'won', 80, 'c2', '2026-02-10'),
    deal('d3', 'r1', 'lost', 50, 'c2', '2026-02-01'),
    deal('d4', 'r2', 'won', 40, 'c3', '2026-01-20'),
    deal('d5', 'r2', 'lost', 40, 'c3', '2026-01-05'),
    deal('d6', 'r2', 'lost', 40, 'c1', '2026-03-05'),
    deal('d7', 'r2', 'open', 300, 'c1', '2026-05-05'),
  ]);
  await store.putRecords(TENANT, 'product', [{ id: 'p1', name: 'House Blend' }]);
  await store.putRecords(TENANT, 'order', [
    {
      id: 'd1',
      customerId: 'c1',
      placedAt: at('2026-01-10'),
      amount: 120,
      currency: 'USD',
      status: 'won',
      lines: [{ productId: 'p1', quantity: 12, unitPrice: 10 }],
    },
  ]);
  const scores = [score('c1', 'Champions', 600), score('c2', 'At risk', 200), score('c3', 'At risk', 90)];
  await store.putScoreRun(
    TENANT,
    {
      runId: 'run-1',
      tenant: TENANT,
      source: 'hubspot',
      scoredAt: '2026-06-01T00:00:00.000Z',
      modelVersion: 'v1',
      clvMonths: 12,
      currency: 'USD',
      customers: 3,
    },
    scores,
  );
});

it('writes reps, channels and segment products from the stored book and the spend file', async () => {
  const spend = join(dataDir, 'spend.csv');
  writeFileSync(
    spend,
    'channel,month,spend\nPAID_SEARCH,2026-01,100\nPAID_SEARCH,2026-02,100\nORGANIC_SEARCH,2026-01,30\n',
  );
  const out = join(dataDir, 'out');
  const r = await run(['report', 'performance', '--acquisition-spend', spend, '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/1\. Ada Moreau: win rate 66\.7%/);

  const reps = readCsvRows(join(out, 'reps.csv')).filter((row) => row.segment === 'all');
  // Ada: 2 of 3 closed won, 200 revenue; Bruno: 1 of 3, 40 revenue, 300 open.
  expect(
    reps.map((row) => [
      row.rank,
      row.rep_name,
      row.won,
      row.lost,
      row.won_revenue,
      row.open_pipeline,
      row.new_customers,
    ]),
  ).toEqual([
    ['1', 'Ada Moreau', '2', '1', '200', '0', '2'],
    ['2', 'Bruno Keller', '1', '2', '40', '300', '1'],
  ]);
  const channels = readCsvRows(join(out, 'channels.csv'));
  // PAID_SEARCH: c1 (600) in January, c2 (200) in February: CAC 200/2 = 100, mean CLV 400 → CLV:CAC 4,
  // payback 100 / (400/12) = 3 months. ORGANIC_SEARCH: c3 (90), CAC 30 → 3, payback 4 months.
  expect(
    channels.map((row) => [row.channel, row.customers_acquired, row.cac, row.clv_to_cac, row.payback_months]),
  ).toEqual([
    ['ORGANIC_SEARCH', '1', '30', '3', '4'],
    ['PAID_SEARCH', '2', '100', '4', '3'],
  ]);
  const products = readCsvRows(join(out, 'segment-products.csv'));
  expect(products).toEqual([
    expect.objectContaining({
      segment: 'Champions',
      product_name: 'House Blend',
      revenue: '120',
      attach_rate: '1',
      revenue_share: '1',
    }),
  ]);
  expect(JSON.parse(readFileSync(join(out, 'performance.json'), 'utf8'))).toMatchObject({
    tenant: TENANT,
    runId: 'run-1',
  });
});

it('names the bad rows of a spend file and exits 2 without writing', async () => {
  const spend = join(dataDir, 'bad-spend.csv');
  writeFileSync(spend, 'channel,month,spend\nPAID_SEARCH,2026-13,100\nPAID_SEARCH,2026-02,-5\n,2026-02,1\n');
  const out = join(dataDir, 'bad-out');
  const r = await run(['report', 'performance', '--acquisition-spend', spend, '--out', out]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/line 2: month: month must be written YYYY-MM/);
  expect(r.stderr).toMatch(/line 3: spend: spend must not be negative/);
  expect(r.stderr).toMatch(/line 4: channel: channel must not be empty/);
  expect(existsSync(out)).toBe(false);
});

it('says to score first when the tenant has no score run', async () => {
  const r = await run(['report', 'performance', '--out', join(dataDir, 'none')], 'hubspot-2000');
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(
    /hubspot-2000 has no score run yet: run `crm-clv score --tenant hubspot-2000` first/,
  );
});
