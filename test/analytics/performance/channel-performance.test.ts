import { channelPerformance, type FirstPurchase } from '../../../worker/analytics/performance';
import { bootstrapMean } from '../../../worker/analytics/performance/channel-performance';
import type { Score } from '../../../domain/score';

const first = (customerId: string, at: string): [string, FirstPurchase] => [
  customerId,
  { customerId, at: `${at}T00:00:00.000Z` },
];
const score = (customerId: string, clvPredicted: number): Score => ({
  customerId,
  clvHistoric: 0,
  clvPredicted,
  expectedOrders: 1,
  modelVersion: 'v1',
  scoredAt: '2026-06-01T00:00:00.000Z',
});

describe('channelPerformance', () => {
  const rows = channelPerformance({
    channelOf: new Map([
      ['x', 'PAID'],
      ['y', 'PAID'],
      ['z', 'PAID'],
      ['w', undefined],
    ]),
    firstPurchases: new Map([
      first('x', '2026-01-10'),
      first('y', '2026-02-03'),
      first('z', '2026-03-01'),
      first('w', '2026-01-01'),
    ]),
    scores: [score('x', 100), score('y', 300), score('z', 50), score('w', 10)],
    spend: [
      { channel: 'PAID', month: '2026-01', spend: 50 },
      { channel: 'PAID', month: '2026-02', spend: 150 },
      { channel: 'EVENTS', month: '2026-01', spend: 500 },
    ],
    clvMonths: 12,
    bootstrap: { samples: 500, seed: 7 },
  });
  const paid = rows.find((r) => r.channel === 'PAID')!;

  it('counts every acquired customer and their CLV, and the unattributed ones as unknown', () => {
    expect(paid).toMatchObject({ customersAcquired: 3, totalClv: 450, meanClv: 150 });
    expect(rows.find((r) => r.channel === 'unknown')).toMatchObject({ customersAcquired: 1, totalClv: 10 });
  });

  it('divides spend by the customers acquired in the months it covers', () => {
    // z was acquired in March, which no spend covers: CAC = 200 / 2 = 100; mean CLV of x, y = 200.
    expect(paid).toMatchObject({ spend: 200, customersInSpendMonths: 2, cac: 100, clvToCac: 2 });
    // 100 / (200 / 12 per month) = 6 months.
    expect(paid.paybackMonths).toBeCloseTo(6, 12);
  });

  it('puts a bootstrap interval around CLV:CAC that holds the estimate and stays within the resample range', () => {
    const interval = paid.clvToCacInterval!;
    expect(interval.low).toBeLessThanOrEqual(2);
    expect(interval.high).toBeGreaterThanOrEqual(2);
    // Means of resamples of {100, 300} lie in [100, 300]: CLV:CAC in [1, 3].
    expect(interval.low).toBeGreaterThanOrEqual(1);
    expect(interval.high).toBeLessThanOrEqual(3);
    expect(interval.high - interval.low).toBeGreaterThan(0);
  });

  it('lists a channel with spend and no customers without a CAC', () => {
    const events = rows.find((r) => r.channel === 'EVENTS')!;
    expect(events).toMatchObject({ customersAcquired: 0, spend: 500, customersInSpendMonths: 0 });
    expect(events.cac).toBeUndefined();
  });
});

describe('bootstrapMean on a large sample', () => {
  it('gives mean ± 1.96·s/√n from 10,000 values on (worked here from the values alone)', () => {
    // 0, 1, 2, 3 repeated 2,500 times: mean 1.5, sample variance 1.25 × 10,000/9,999.
    const values = Array.from({ length: 10_000 }, (_, i) => i % 4);
    const half = (1.959964 * Math.sqrt((1.25 * 10_000) / 9_999)) / 100;
    const interval = bootstrapMean(values, 1000, { integer: () => 0 });
    expect(interval.low).toBeCloseTo(1.5 - half, 10);
    expect(interval.high).toBeCloseTo(1.5 + half, 10);
  });
});
