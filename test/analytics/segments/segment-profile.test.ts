import { SegmentProfileError, segmentProfiles } from '../../../worker/analytics/segments/segment-profile';

describe('segmentProfiles', () => {
  // Six customers in segments A (0, 2, 5), B (1, 4) and C (3).
  const labels = ['A', 'B', 'A', 'C', 'B', 'A'];
  const revenue = [100, 50, 300, 25, 25, 500];
  const clv = [10, 40, 30, NaN, 20, 50];
  const churn = [0, 1, 0, 1, 0.5, 0];
  // Categories X, Y, Other; spend 100 for everyone but customer 3 (no lines).
  const names = ['X', 'Y', 'Other'];
  const shares = Float64Array.from(
    [
      [1, 0, 0],
      [0.5, 0.5, 0],
      [0, 0.25, 0.75],
      [0, 0, 0],
      [0, 1, 0],
      [0.2, 0.2, 0.6],
    ].flat(),
  );
  const spend = [100, 100, 100, 0, 100, 100];

  const profiles = segmentProfiles({ labels, revenue, clv, churn, categories: { names, shares, spend } });
  const byName = Object.fromEntries(profiles.map((p) => [p.segment, p]));

  it('lists segments by size, largest first', () => {
    expect(profiles.map((p) => p.segment)).toEqual(['A', 'B', 'C']);
  });

  it('computes size, customer share and revenue share (hand-computed)', () => {
    expect(byName.A.size).toBe(3);
    expect(byName.A.customerShare).toBeCloseTo(0.5, 12);
    expect(byName.A.revenue).toBe(900);
    expect(byName.A.revenueShare).toBeCloseTo(900 / 1000, 12);
    expect(byName.B.revenueShare).toBeCloseTo(75 / 1000, 12);
    expect(byName.C.customerShare).toBeCloseTo(1 / 6, 12);
  });

  it('computes mean and median CLV, leaving NaN out', () => {
    // A: 10, 30, 50 → mean 30, median 30; B: 40, 20 → 30 and 30; C: only NaN → null.
    expect(byName.A.meanClv).toBeCloseTo(30, 12);
    expect(byName.A.medianClv).toBe(30);
    expect(byName.B.meanClv).toBeCloseTo(30, 12);
    expect(byName.B.medianClv).toBe(30);
    expect(byName.C.meanClv).toBeNull();
    expect(byName.C.medianClv).toBeNull();
  });

  it('takes the churn rate as the mean of flags or probabilities', () => {
    expect(byName.A.churnRate).toBe(0);
    expect(byName.B.churnRate).toBeCloseTo(0.75, 12);
    expect(byName.C.churnRate).toBe(1);
  });

  it('ranks categories by Σ spend × share, without Other', () => {
    // A: X = 100 + 0 + 20 = 120, Y = 0 + 25 + 20 = 45, Other = 75 + 60 = 135 (left out); total 300.
    expect(byName.A.topCategories).toEqual([
      { category: 'X', revenue: 120, share: 0.4 },
      { category: 'Y', revenue: 45, share: 0.15 },
    ]);
    // B: X = 50, Y = 50 + 100 = 150.
    expect(byName.B.topCategories.map((c) => [c.category, c.revenue])).toEqual([
      ['Y', 150],
      ['X', 50],
    ]);
    expect(byName.C.topCategories).toEqual([]);
  });

  it('weights the shares by revenue when no spend is given, and honours topCategories', () => {
    const p = segmentProfiles({ labels, revenue, categories: { names, shares }, topCategories: 1 });
    const a = p.find((s) => s.segment === 'A')!;
    // X = 100·1 + 500·0.2 = 200, Y = 300·0.25 + 500·0.2 = 175.
    expect(a.topCategories).toEqual([{ category: 'X', revenue: 200, share: 200 / 900 }]);
    expect(a.meanClv).toBeNull();
    expect(a.churnRate).toBeNull();
  });

  it('puts the requested order first, empty segments included, then the rest by size', () => {
    const p = segmentProfiles({ labels, revenue, order: ['C', 'Z'] });
    expect(p.map((s) => [s.segment, s.size])).toEqual([
      ['C', 1],
      ['Z', 0],
      ['A', 3],
      ['B', 2],
    ]);
    expect(p[1].customerShare).toBe(0);
    expect(p[1].meanClv).toBeNull();
  });

  it('takes the median of an even count as the mean of the two middle values', () => {
    const p = segmentProfiles({ labels: ['s', 's', 's', 's'], revenue: [1, 1, 1, 1], clv: [7, 1, 100, 3] });
    expect(p[0].medianClv).toBe(5);
  });

  it('refuses arrays of the wrong length', () => {
    expect(() => segmentProfiles({ labels, revenue: [1, 2] })).toThrow(SegmentProfileError);
    expect(() =>
      segmentProfiles({ labels, revenue, categories: { names, shares: new Float64Array(3) } }),
    ).toThrow(/categories.shares/);
  });
});
