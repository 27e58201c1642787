import { buildBaskets } from '../../../worker/analytics/recommend/baskets';
import { evaluateHitRate } from '../../../worker/analytics/recommend/hit-rate';
import { buildPurchases } from './builders';

const [A, X, Y, Z] = [0, 1, 2, 3];
// Customer 0 bought A, then X (hidden). Customers 1, 2 bought A with X together; 3–6 bought Y (6 with Z).
// Customer 7 bought Y twice (hidden basket: Y again, so no new product can be hit).
// Training popularity (distinct buyers): Y 5, A 3, X 2, Z 1.
const specs = [
  { customer: 0, time: 2, products: [X] },
  { customer: 0, time: 1, products: [A] },
  { customer: 1, time: 1, products: [A, X] },
  { customer: 2, time: 1, products: [A, X] },
  { customer: 3, time: 1, products: [Y] },
  { customer: 4, time: 1, products: [Y] },
  { customer: 5, time: 1, products: [Y] },
  { customer: 6, time: 1, products: [Y, Z] },
  { customer: 7, time: 1, products: [Y] },
  { customer: 7, time: 3, products: [Y] },
];
const { lines, orders } = buildPurchases(specs);
const baskets = buildBaskets(lines, orders, 4, 8);

describe('evaluateHitRate', () => {
  it('hides the latest basket of customers with two or more and counts hits of both recommenders', () => {
    // Customer 0: co-purchase recommends X (A–X seen twice) → hit; the baseline recommends Y → miss.
    // Customer 7: Y's only partner Z is below the minimum support, so both fall back to A → miss.
    const r = evaluateHitRate(baskets, {
      count: 1,
      similarity: { minSupport: 2, shrinkage: 0 },
    });
    expect(r).toEqual({
      customers: 2,
      hittable: 1,
      hits: 1,
      hitRate: 0.5,
      baselineHits: 0,
      baselineHitRate: 0,
    });
  });

  it('counts the baseline hit when the most popular new product is in the hidden basket', () => {
    // With two slots the baseline for customer 0 is Y, X (A bought): X is a hit.
    const r = evaluateHitRate(baskets, { count: 2, similarity: { minSupport: 2 } });
    expect(r.baselineHits).toBe(1);
    expect(r.hits).toBe(1);
  });

  it('with a time cut, learns from baskets up to it and tests the first basket after it', () => {
    // Cut at t = 1: customer 0 (A before, X at t = 2) and customer 7 (Y before, Y at t = 3) are tested, as in
    // leave-last-out; a customer whose baskets all follow the cut is not.
    const later = buildPurchases([
      ...specs,
      { customer: 8, time: 5, products: [A] },
      { customer: 8, time: 6, products: [X] },
    ]);
    const b = buildBaskets(later.lines, later.orders, 4, 9);
    const r = evaluateHitRate(b, { count: 1, similarity: { minSupport: 2, shrinkage: 0 }, trainUntil: 1 });
    expect(r).toMatchObject({ customers: 2, hittable: 1, hits: 1, baselineHits: 0 });
  });
});
