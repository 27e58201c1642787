import type { Customer, Deal, Order } from '../../../domain/records';
import type { Score } from '../../../domain/score';
import { repPerformance } from '../../../worker/analytics/performance';

const deal = (
  id: string,
  ownerId: string,
  status: Deal['status'],
  amount: number,
  created: string,
  closed?: string,
  customerId?: string,
  currency = 'EUR',
): Deal => ({
  id,
  ownerId,
  status,
  amount,
  currency,
  stage: status,
  createdAt: `${created}T00:00:00.000Z`,
  ...(closed ? { closedAt: `${closed}T00:00:00.000Z` } : {}),
  ...(customerId ? { customerId } : {}),
});
const customer = (id: string, ownerId: string): Customer => ({
  id,
  tenant: 't',
  source: 'hubspot',
  externalId: id,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  ownerId,
});
const score = (
  customerId: string,
  segmentName: string,
  clvPredicted: number,
  churnProbability: number,
): Score => ({
  customerId,
  segmentId: segmentName,
  segmentName,
  clvHistoric: 0,
  clvPredicted,
  expectedOrders: 1,
  churnProbability,
  modelVersion: 'v1',
  scoredAt: '2026-06-01T00:00:00.000Z',
});

// A hand-made book: base EUR, 1 USD = 0.9 EUR.
const deals: Deal[] = [
  deal('d1', 'r1', 'won', 100, '2026-01-01', '2026-01-11', 'c1', 'USD'), // 90 EUR, 10 days
  deal('d2', 'r1', 'won', 300, '2026-01-01', '2026-01-31', 'c2'), // 30 days
  deal('d3', 'r1', 'lost', 50, '2026-01-05', '2026-01-20', 'c2'),
  deal('d4', 'r1', 'open', 400, '2026-05-01'),
  deal('d5', 'r2', 'won', 100, '2026-03-01', '2026-03-05', 'c1'), // 4 days; c1's second win
  deal('d6', 'r2', 'lost', 80, '2026-03-01', '2026-03-09', 'c1'),
  deal('d7', 'r2', 'lost', 70, '2026-04-01', '2026-04-09'),
  deal('d8', 'r2', 'won', 999, '2026-04-01', '2026-04-02', 'c1', 'XYZ'), // no rate: skipped
];
const orders: Order[] = [
  // c3 bought through a CSV import only: r2 acquired it by its order.
  {
    id: 'o1',
    customerId: 'c3',
    placedAt: '2026-02-01T00:00:00.000Z',
    amount: 20,
    currency: 'EUR',
    status: 'won',
    ownerId: 'r2',
  },
];
const customers = [customer('c1', 'r2'), customer('c2', 'r1'), customer('c3', 'r2')];
const scores = [
  score('c1', 'Champions', 1000, 0.1),
  score('c2', 'At risk', 200, 0.6),
  score('c3', 'At risk', 50, 0.5),
];

const result = repPerformance({
  reps: [
    { id: 'r1', name: 'Ada' },
    { id: 'r2', name: 'Bruno' },
  ],
  deals,
  orders,
  customers,
  scores,
  money: { base: 'EUR', rates: { USD: 0.9 } },
});
const row = (rep: string, segment: string) =>
  result.rows.find((r) => r.repId === rep && r.segment === segment)!;

describe('repPerformance on a hand-made book', () => {
  it("gives each rep's deal figures overall", () => {
    expect(row('r1', 'all')).toMatchObject({
      repName: 'Ada',
      deals: 4,
      won: 2,
      lost: 1,
      open: 1,
      wonRevenue: 390,
      winRate: 2 / 3,
      averageDealSize: 195,
      medianCycleDays: 20,
      openPipeline: 400,
    });
    expect(row('r2', 'all')).toMatchObject({
      deals: 3,
      won: 1,
      lost: 2,
      wonRevenue: 100,
      winRate: 1 / 3,
      medianCycleDays: 4,
      openPipeline: 0,
    });
  });

  it('credits new customers to whoever closed their first win, with their predicted CLV', () => {
    // c1's first win is d1 (Jan, r1), not d5; c2's is d2 (r1); c3's is order o1 (r2).
    expect(row('r1', 'all')).toMatchObject({ newCustomers: 2, newCustomerClv: 1200 });
    expect(row('r2', 'all')).toMatchObject({ newCustomers: 1, newCustomerClv: 50 });
  });

  it("reads each rep's book from the Scores: mean churn probability and share of value retained", () => {
    expect(row('r1', 'all')).toMatchObject({ bookCustomers: 1, bookChurnRate: 0.6 });
    expect(row('r1', 'all').bookValueRetained).toBeCloseTo(0.4, 12);
    // r2 owns c1 (1000, 0.1) and c3 (50, 0.5): churn (0.1 + 0.5)/2; retained (900 + 25)/1050.
    expect(row('r2', 'all').bookChurnRate).toBeCloseTo(0.3, 12);
    expect(row('r2', 'all').bookValueRetained).toBeCloseTo(925 / 1050, 12);
  });

  it("splits by the customer's segment, deals without a customer under 'unscored'", () => {
    expect(row('r1', 'Champions')).toMatchObject({
      won: 1,
      lost: 0,
      wonRevenue: 90,
      newCustomers: 1,
      newCustomerClv: 1000,
    });
    expect(row('r1', 'At risk')).toMatchObject({ won: 1, lost: 1, wonRevenue: 300, winRate: 0.5 });
    expect(row('r1', 'unscored')).toMatchObject({ open: 1, openPipeline: 400 });
    expect(row('r2', 'unscored')).toMatchObject({ lost: 1 });
  });

  it('reports the deal in a currency without a rate and leaves it out', () => {
    expect(result.skipped).toEqual([{ type: 'deal', id: 'd8', reason: 'currency XYZ has no rate to EUR' }]);
  });

  it('ranks within each segment, 1 the best shrunk win rate, with a Wilson interval around the raw rate', () => {
    expect(row('r1', 'all').rank).toBe(1);
    expect(row('r2', 'all').rank).toBe(2);
    const r1 = row('r1', 'all');
    expect(r1.winRateLow).toBeLessThan(2 / 3);
    expect(r1.winRateHigh).toBeGreaterThan(2 / 3);
  });
});
