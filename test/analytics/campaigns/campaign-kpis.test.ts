/**
 * Campaign KPIs on a tiny book computed by hand (see the comments); the Wilson interval against the values
 * of Wilson's formula evaluated independently (3 of 4: 0.3006–0.9544; 0 of 10: 0–0.2775).
 */
import type { Campaign, CampaignMember, Order } from '../../../domain/records';
import { campaignKpis, wilsonInterval, type CampaignScore } from '../../../worker/analytics/campaigns';

const campaigns: Campaign[] = [
  { id: 'C1', name: 'Winter win-back', cost: 100, channel: 'Email' },
  { id: 'C2', name: 'Planned, empty' },
];

const member = (id: string, customerId: string, joinedAt: string, respondedAt?: string): CampaignMember => ({
  id,
  campaignId: 'C1',
  customerId,
  joinedAt,
  ...(respondedAt ? { respondedAt } : {}),
});

const members: CampaignMember[] = [
  member('m1', 'a', '2026-01-10T12:00:00Z', '2026-01-12T09:00:00Z'),
  member('m2', 'b', '2026-01-10T08:00:00Z'),
  member('m3', 'c', '2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z'),
  member('m4', 'd', '2026-01-10T10:00:00Z'),
  // a again, later: still one member, joined on 10 January.
  member('m5', 'a', '2026-03-01T00:00:00Z'),
];

const order = (
  id: string,
  customerId: string,
  placedAt: string,
  amount: number,
  status: Order['status'] = 'won',
) => ({
  id,
  customerId,
  placedAt,
  amount,
  currency: 'EUR',
  status,
});

const orders = [
  order('o1', 'a', '2026-01-20T00:00:00Z', 120), // in a's window (10 Jan 12:00 → 9 Feb 12:00)
  order('o2', 'a', '2026-03-01T00:00:00Z', 999), // after it
  order('o3', 'b', '2026-01-09T00:00:00Z', 50), // before b joined
  order('o4', 'b', '2026-01-15T00:00:00Z', 500, 'refunded'), // not a won order
  order('o5', 'c', '2026-02-15T00:00:00Z', 80), // in c's window
  order('o6', 'd', '2026-01-11T00:00:00Z', 40), // in d's window; d has no Score
  order('o7', 'n1', '2026-01-25T00:00:00Z', 60), // in the 10 Jan day window
  order('o8', 'n3', '2026-03-10T00:00:00Z', 70), // after the 1 Feb day window (→ 3 Mar)
];

const scores: CampaignScore[] = [
  { customerId: 'a', rfmSegment: 'Champions', churnRisk: 'low', clvPredicted: 500 },
  { customerId: 'b', rfmSegment: 'Champions', churnRisk: 'low', clvPredicted: 300 },
  { customerId: 'c', rfmSegment: 'At Risk', churnRisk: 'high', clvPredicted: 200 },
  { customerId: 'n1', rfmSegment: 'Champions', churnRisk: 'low', clvPredicted: 400 },
  { customerId: 'n2', rfmSegment: 'Champions', churnRisk: 'low', clvPredicted: 100 },
  { customerId: 'n3', rfmSegment: 'At Risk', churnRisk: 'high', clvPredicted: 50 },
  { customerId: 'n4', rfmSegment: 'Lost', churnRisk: 'high', clvPredicted: 10 },
];

describe('campaignKpis on a hand-computed book', () => {
  const [c1, c2] = campaignKpis({ campaigns, members, orders, scores, withinDays: 30 });

  it('counts members once, responses, conversions within 30 days, their revenue and CLV, ROI', () => {
    expect(c1).toMatchObject({
      campaignId: 'C1',
      channel: 'Email',
      members: 4, // a, b, c, d
      responded: 2, // a, c
      responseRate: 0.5,
      converted: 3, // a (120), c (80), d (40)
      conversionRate: 0.75,
      revenue: 240,
      convertedClv: 700, // 500 + 200; d has no Score
      cost: 100,
      roi: 1.4, // (240 − 100) / 100
    });
    expect(c1.conversionInterval?.low).toBeCloseTo(0.30064, 4);
    expect(c1.conversionInterval?.high).toBeCloseTo(0.95441, 4);
  });

  it('compares with non-members of the same RFM segment and churn band, labelled observational', () => {
    // a, b: pool n1, n2 over 10 Jan → 9 Feb: n1 bought 60 → rate ½, mean revenue 30 each.
    // c: pool n3 over 1 Feb → 3 Mar: nothing → rate 0, revenue 0. d: no Score, unmatched.
    // Members 2 of 3 converted (a, c); expected ½ + ½ + 0 = 1 → baseline ⅓.
    // Incremental revenue (120 − 30) + (0 − 30) + (80 − 0) = 140; (140 − 100) / 100 = 0.4.
    const cmp = c1.comparison!;
    expect(cmp.label).toBe('observational');
    expect(cmp).toMatchObject({ matchedMembers: 3, unmatchedMembers: 1 });
    expect(cmp.memberConversionRate).toBeCloseTo(2 / 3, 12);
    expect(cmp.baselineConversionRate).toBeCloseTo(1 / 3, 12);
    expect(cmp.conversionLift).toBeCloseTo(1 / 3, 12);
    expect(cmp.incrementalRevenue).toBeCloseTo(140, 9);
    expect(cmp.incrementalRoi).toBeCloseTo(0.4, 12);
  });

  it('a campaign with no members or cost has counts of zero and no rates, ROI or comparison', () => {
    expect(c2).toEqual({
      campaignId: 'C2',
      name: 'Planned, empty',
      members: 0,
      responded: 0,
      converted: 0,
      revenue: 0,
      convertedClv: 0,
    });
  });

  it('a shorter window converts fewer: within 7 days only d (1 day), not a (10 days) nor c (14 days)', () => {
    const [short] = campaignKpis({ campaigns, members, orders, scores, withinDays: 7 });
    expect(short).toMatchObject({ converted: 1, revenue: 40 });
  });

  it('refuses a window that is not a whole number of days', () => {
    expect(() => campaignKpis({ campaigns, members, orders, scores, withinDays: 0 })).toThrow(/withinDays/);
  });
});

describe('wilsonInterval', () => {
  it('matches the formula at 0 of 10 and has no interval for no trials', () => {
    const i = wilsonInterval(0, 10)!;
    expect(i.low).toBe(0);
    expect(i.high).toBeCloseTo(0.27753, 4);
    expect(wilsonInterval(0, 0)).toBeUndefined();
  });
});
