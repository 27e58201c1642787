import { buildBaskets, customerItems } from '../../../worker/analytics/recommend/baskets';
import { groupBySegment, productPopularity } from '../../../worker/analytics/recommend/product-popularity';
import { RecommendError } from '../../../worker/analytics/recommend/recommend-error';
import { segmentProductTable } from '../../../worker/analytics/recommend/segment-products';
import { buildPurchases } from './builders';

const [A, B, C] = [0, 1, 2];
// Segment 0 = customers 0, 1; segment 1 = customers 2–5. Everyone (6): A 2 buyers, B 4, C 2.
const { lines, orders } = buildPurchases([
  { customer: 0, time: 0, products: [A, B], amounts: [10, 1] },
  { customer: 1, time: 0, products: [A], amounts: [5] },
  { customer: 2, time: 0, products: [B], amounts: [7] },
  { customer: 3, time: 0, products: [B], amounts: [7] },
  { customer: 4, time: 0, products: [B, C], amounts: [1, 20] },
  { customer: 5, time: 0, products: [C], amounts: [2] },
]);
const items = customerItems(buildBaskets(lines, orders, 3, 6));
const groups = groupBySegment([0, 0, 1, 1, 1, 1], 2, 6);
const everyone = productPopularity(items);
const inSegment = (s: number) =>
  productPopularity(items, groups.list.subarray(groups.start[s], groups.start[s + 1]));

describe('segmentProductTable', () => {
  it('ranks by lift = segment share / overall share', () => {
    // Segment 1: B 3/4 ÷ 4/6 = 1.125, C 2/4 ÷ 2/6 = 1.5.
    const t = segmentProductTable(1, inSegment(1), everyone, { minBuyers: 1 });
    expect(t.customers).toBe(4);
    expect(t.byLift.map((r) => r.product)).toEqual([C, B]);
    expect(t.byLift[0].lift).toBeCloseTo(1.5, 12);
    expect(t.byLift[1].lift).toBeCloseTo(1.125, 12);
    expect(t.byLift[1].share).toBeCloseTo(0.75, 12);
    // Segment 0: A 2/2 ÷ 2/6 = 3, B 1/2 ÷ 4/6 = 0.75.
    const t0 = segmentProductTable(0, inSegment(0), everyone, { minBuyers: 1 });
    expect(t0.byLift.map((r) => [r.product, r.buyers])).toEqual([
      [A, 2],
      [B, 1],
    ]);
    expect(t0.byLift[0].lift).toBeCloseTo(3, 12);
    expect(t0.byLift[1].lift).toBeCloseTo(0.75, 12);
  });

  it('leaves products with too few segment buyers out of the lift ranking, not the revenue ranking', () => {
    const t0 = segmentProductTable(0, inSegment(0), everyone, { minBuyers: 2 });
    expect(t0.byLift.map((r) => r.product)).toEqual([A]);
    expect(t0.byRevenue.map((r) => [r.product, r.revenue])).toEqual([
      [A, 15],
      [B, 1],
    ]);
    expect(t0.revenue).toBe(16);
  });

  it('ranks by revenue within the segment', () => {
    const t = segmentProductTable(1, inSegment(1), everyone, { limit: 1 });
    expect(t.byRevenue.map((r) => [r.product, r.revenue])).toEqual([[C, 22]]);
    expect(t.revenue).toBe(37);
  });

  it('rejects segment labels outside the declared range', () => {
    expect(() => groupBySegment([0, 2, 1, 1, 1, 1], 2, 6)).toThrow(RecommendError);
    expect(() => groupBySegment([0, 1], 2, 6)).toThrow(RecommendError);
  });
});
