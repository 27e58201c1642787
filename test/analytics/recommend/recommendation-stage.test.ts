import { RecommendError } from '../../../worker/analytics/recommend/recommend-error';
import { isOnlineRetailProduct } from '../../../connectors/csv/online-retail-products';
import {
  recommendationsOf,
  recommendForCustomers,
} from '../../../worker/analytics/recommend/recommendation-stage';
import { buildPurchases } from './builders';

const products = ['MUG', 'POST', 'TEAPOT', 'CANDLE', 'LAMP'];
const productNames = ['Blue mug', 'Postage', 'Teapot', '', 'Lamp'];
const [MUG, POST, TEAPOT, CANDLE, LAMP] = [0, 1, 2, 3, 4];
// Mug and teapot go together (customers 1–3); customer 0 bought a mug; customer 4 only a lamp; customer 5
// only postage. Distinct buyers: mug 4, teapot 3, candle 2, lamp 1 (POST is not a product).
const { lines, orders } = buildPurchases([
  { customer: 0, time: 0, products: [MUG, POST] },
  { customer: 1, time: 0, products: [MUG, TEAPOT] },
  { customer: 2, time: 0, products: [MUG, TEAPOT, CANDLE] },
  { customer: 3, time: 0, products: [MUG, TEAPOT, CANDLE] },
  { customer: 4, time: 0, products: [LAMP], amounts: [50] },
  { customer: 5, time: 0, products: [POST] },
]);
const input = { lines, orders, products, productNames, customersCount: 6, isProduct: isOnlineRetailProduct };

describe('recommendForCustomers', () => {
  it('explains co-purchase picks by the bought product and fills with best sellers', () => {
    const r = recommendForCustomers({ ...input, minSupport: 2 });
    const recs = recommendationsOf(r, 0);
    expect(recs.map((x) => [x.productId, x.reason])).toEqual([
      ['TEAPOT', 'often bought with Blue mug'],
      ['CANDLE', 'often bought with Blue mug'],
      ['LAMP', 'a best seller'],
    ]);
    // Only three products are left that customer 0 has not bought: the list stops there.
    expect(recs[0].score).toBeGreaterThan(recs[1].score);
    expect(recs[2].score).toBe(0);
    expect(recs[1].productName).toBe('CANDLE');
  });

  it('recommends best sellers to customers with nothing to go on, never a non-product', () => {
    const r = recommendForCustomers({ ...input, minSupport: 2, count: 3 });
    expect(recommendationsOf(r, 5).map((x) => [x.productId, x.reasonKind])).toEqual([
      ['MUG', 'best-seller'],
      ['TEAPOT', 'best-seller'],
      ['CANDLE', 'best-seller'],
    ]);
    for (let c = 0; c < 6; c++) expect(recommendationsOf(r, c).map((x) => x.productId)).not.toContain('POST');
  });

  it("names the customer's segment in fallbacks and builds a table per segment", () => {
    // Segment 0 "Lamp lovers" = customers 4, 5: its best seller is the lamp.
    const r = recommendForCustomers({
      ...input,
      minSupport: 2,
      segmentOf: [1, 1, 1, 1, 0, 0],
      segmentNames: ['Lamp lovers', 'Kitchen'],
      segmentTables: { minBuyers: 1 },
    });
    expect(recommendationsOf(r, 5)[0]).toMatchObject({
      productId: 'LAMP',
      reason: 'popular with Lamp lovers customers',
    });
    expect(r.segments.map((s) => s.segmentName)).toEqual(['Lamp lovers', 'Kitchen']);
    // Segment 0: 1 customer with products (customer 5 bought only postage); lamp lift = (1/1) / (1/5) = 5.
    expect(r.segments[0].customers).toBe(1);
    expect(r.segments[0].byLift[0]).toMatchObject({ productId: 'LAMP', productName: 'Lamp', lift: 5 });
    expect(r.segments[0].byRevenue[0]).toMatchObject({ productId: 'LAMP', revenue: 50 });
  });

  it('returns empty lists when there is nothing to learn from', () => {
    const none = buildPurchases([]);
    const r = recommendForCustomers({ ...none, products: [], customersCount: 2 });
    expect(recommendationsOf(r, 0)).toEqual([]);
    expect(recommendationsOf(r, 1)).toEqual([]);
    expect(r.segments).toEqual([]);
  });

  it('rejects a count of zero and names of the wrong length with a typed error', () => {
    expect(() => recommendForCustomers({ ...input, count: 0 })).toThrow(RecommendError);
    expect(() => recommendForCustomers({ ...input, productNames: ['x'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
