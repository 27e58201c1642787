import { buildBaskets, customerItems } from '../../../worker/analytics/recommend/baskets';
import { itemNeighbours } from '../../../worker/analytics/recommend/item-similarity';
import {
  REASON_BEST_SELLER,
  REASON_OFTEN_BOUGHT_WITH,
  REASON_SEGMENT_BEST_SELLER,
  recommendCustomers,
} from '../../../worker/analytics/recommend/score-unbought-items';
import { buildPurchases, DAY } from './builders';

const [A, B, C, D, E, F] = [0, 1, 2, 3, 4, 5];
// Training baskets (customer 9): {A,B,C} {A,B} {A,B} {B,C} {A,D}. Plain cosine (minSupport 1, λ = 0):
// A–B 3/4, A–C 1/√8, A–D 1/2, B–C 2/√8; E and F never co-occur with anything.
const history = [
  [A, B, C],
  [A, B],
  [A, B],
  [B, C],
  [A, D],
].map((products) => ({ customer: 9, time: 0, products }));

function setup(customerBaskets: { customer: number; time: number; products: number[] }[]) {
  const { lines, orders } = buildPurchases([...history, ...customerBaskets]);
  const baskets = buildBaskets(lines, orders, 6, 10);
  // Similarities from the shared history only, so the expectations above hold whatever the customer bought.
  const include = Uint8Array.from(baskets.order, (o) => (o < history.length ? 1 : 0));
  const neighbours = itemNeighbours(baskets, 6, { minSupport: 1, shrinkage: 0, include });
  const items = customerItems(baskets);
  return { items, neighbours };
}

function slots(r: ReturnType<typeof recommendCustomers>, c: number) {
  const out = [];
  for (let k = c * r.count; k < (c + 1) * r.count; k++) {
    out.push({ p: r.product[k], score: r.score[k], reason: r.reason[k], because: r.because[k] });
  }
  return out;
}

const bestSellers = Int32Array.from([A, B, E, C, F, D]);

describe('recommendCustomers', () => {
  it('sums similarities from the bought products and names the largest contributor', () => {
    // Customer 0 bought A and C: B = 3/4 + 2/√8 (A contributes most), D = 1/2 (from A).
    const { items, neighbours } = setup([{ customer: 0, time: 0, products: [A, C] }]);
    const r = recommendCustomers(items, neighbours, { bestSellers, customers: [0] });
    const s = slots(r, 0);
    expect(s[0]).toEqual({
      p: B,
      score: expect.closeTo(0.75 + 2 / Math.sqrt(8), 12),
      reason: REASON_OFTEN_BOUGHT_WITH,
      because: A,
    });
    expect(s[1]).toEqual({
      p: D,
      score: expect.closeTo(0.5, 12),
      reason: REASON_OFTEN_BOUGHT_WITH,
      because: A,
    });
    // Fills from the best sellers, skipping A and C (bought) and B (already recommended): E, F; then nothing.
    expect(s.slice(2).map((x) => [x.p, x.reason, x.score])).toEqual([
      [E, REASON_BEST_SELLER, 0],
      [F, REASON_BEST_SELLER, 0],
      [-1, 0, 0],
    ]);
  });

  it('never recommends a product the customer bought', () => {
    // Bought A and B: C = 1/√8 + 2/√8 (B contributes most), D = 1/2; A and B appear nowhere.
    const { items, neighbours } = setup([{ customer: 0, time: 0, products: [A, B] }]);
    const s = slots(recommendCustomers(items, neighbours, { bestSellers, customers: [0] }), 0);
    expect(s.map((x) => x.p)).toEqual([C, D, E, F, -1]);
    expect(s[0].score).toBeCloseTo(3 / Math.sqrt(8), 12);
    expect(s[0].because).toBe(B);
  });

  it('weighs recent purchases more with a half-life', () => {
    // A bought 60 days before C, half-life 60 days: w_A = 1/2, w_C = 1. B = 3/8 + 2/√8 (C contributes most).
    const { items, neighbours } = setup([
      { customer: 0, time: 0, products: [A] },
      { customer: 0, time: 60 * DAY, products: [C] },
    ]);
    const r = recommendCustomers(items, neighbours, { bestSellers, customers: [0], recencyHalfLifeDays: 60 });
    const s = slots(r, 0);
    expect(s[0]).toMatchObject({ p: B, score: expect.closeTo(0.375 + 2 / Math.sqrt(8), 12), because: C });
    expect(s[1]).toMatchObject({ p: D, score: expect.closeTo(0.25, 12), because: A });
  });

  it("falls back to the customer's segment's best sellers before everyone's", () => {
    // Customer 0 bought only F (no neighbours): segment 1's list [F, C, D] gives C, D; everyone's A, B, E.
    const { items, neighbours } = setup([{ customer: 0, time: 0, products: [F] }]);
    const segmentOf = Int32Array.from([1, -1, -1, -1, -1, -1, -1, -1, -1, 0]);
    const r = recommendCustomers(items, neighbours, {
      bestSellers,
      customers: [0],
      segmentOf,
      segmentBestSellers: [Int32Array.from([A]), Int32Array.from([F, C, D])],
    });
    expect(slots(r, 0).map((x) => [x.p, x.reason, x.because])).toEqual([
      [C, REASON_SEGMENT_BEST_SELLER, 1],
      [D, REASON_SEGMENT_BEST_SELLER, 1],
      [A, REASON_BEST_SELLER, -1],
      [B, REASON_BEST_SELLER, -1],
      [E, REASON_BEST_SELLER, -1],
    ]);
  });

  it('gives a customer without purchases the best sellers, and leaves unscored customers empty', () => {
    const { items, neighbours } = setup([]);
    const r = recommendCustomers(items, neighbours, { bestSellers, count: 3, customers: [0] });
    expect(slots(r, 0).map((x) => x.p)).toEqual([A, B, E]);
    expect(slots(r, 1).map((x) => x.p)).toEqual([-1, -1, -1]);
  });
});
