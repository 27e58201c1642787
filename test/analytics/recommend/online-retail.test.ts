/**
 * Acceptance on the whole UCI Online Retail file: leave-last-basket-out hit rate@5 against the most-popular
 * baseline, and the recommendations and segment tables of every customer checked against plain Map/Set
 * recomputations from the cleaned lines.
 */
import { loadOnlineRetail } from '../../helpers/online-retail';
import type { CleanResult } from '../../../worker/analytics/clean/types';
import { buildBaskets, productMaskFrom } from '../../../worker/analytics/recommend/baskets';
import { evaluateHitRate } from '../../../worker/analytics/recommend/hit-rate';
import { isOnlineRetailProduct } from '../../../connectors/csv/online-retail-products';
import {
  recommendationsOf,
  recommendForCustomers,
  type RecommendResult,
} from '../../../worker/analytics/recommend/recommendation-stage';

let clean: CleanResult;
/** Per customer, the set of recommendable product indices bought (independent of the module's CSR). */
let boughtBy: Set<number>[];

beforeAll(async () => {
  clean = await loadOnlineRetail({ keepLines: true });
  boughtBy = clean.customers.map(() => new Set<number>());
  const { order, product } = clean.lines!;
  for (let l = 0; l < order.length; l++) {
    const p = product[l];
    if (p >= 0 && isOnlineRetailProduct(clean.products![p])) boughtBy[clean.orders.customer[order[l]]].add(p);
  }
});

describe('Online Retail recommendations', () => {
  it('beat the most-popular baseline on hit rate@5 of the held-out last basket', () => {
    const baskets = buildBaskets(clean.lines!, clean.orders, clean.products!.length, clean.customers.length, {
      productMask: productMaskFrom(clean.products!, isOnlineRetailProduct),
    });
    const r = evaluateHitRate(baskets);
    // Customers with ≥ 2 orders holding a product, counted independently.
    const ordersWithProducts = new Map<number, Set<number>>();
    const { order, product } = clean.lines!;
    for (let l = 0; l < order.length; l++) {
      const p = product[l];
      if (p < 0 || !isOnlineRetailProduct(clean.products![p])) continue;
      const c = clean.orders.customer[order[l]];
      if (!ordersWithProducts.has(c)) ordersWithProducts.set(c, new Set());
      ordersWithProducts.get(c)!.add(order[l]);
    }
    const repeat = [...ordersWithProducts.values()].filter((s) => s.size >= 2).length;
    expect(r.customers).toBe(repeat);
    console.log(
      `Online Retail hit rate@5 (leave last basket out, ${r.customers} customers, ${r.hittable} with a new ` +
        `product in it): co-purchase ${(100 * r.hitRate).toFixed(1)}% (${r.hits}), most popular ` +
        `${(100 * r.baselineHitRate).toFixed(1)}% (${r.baselineHits})`,
    );
    expect(r.hitRate).toBeGreaterThan(r.baselineHitRate);
    // Also with recency weights and at the customer level.
    const recent = evaluateHitRate(baskets, { recencyHalfLifeDays: 60 });
    const byCustomer = evaluateHitRate(baskets, { level: 'customer' });
    console.log(
      `60-day half-life ${(100 * recent.hitRate).toFixed(1)}%; customer-level co-occurrence ${(100 * byCustomer.hitRate).toFixed(1)}%`,
    );
    expect(recent.hitRate).toBeGreaterThan(recent.baselineHitRate);
    // A global cut three months before the end: learn up to 2011-09-09, test each customer's next basket.
    const cut = evaluateHitRate(baskets, { trainUntil: Date.UTC(2011, 8, 9, 23, 59, 59, 999) });
    console.log(
      `time cut 2011-09-09 (${cut.customers} customers): co-purchase ${(100 * cut.hitRate).toFixed(1)}%, ` +
        `most popular ${(100 * cut.baselineHitRate).toFixed(1)}%`,
    );
    expect(cut.hitRate).toBeGreaterThan(cut.baselineHitRate);
    expect(byCustomer.hitRate).toBeGreaterThan(byCustomer.baselineHitRate);
  });

  describe('for every customer', () => {
    let result: RecommendResult;
    let uk: number[];
    beforeAll(() => {
      uk = clean.customerCountry!.map((country) => (country === 'United Kingdom' ? 0 : 1));
      result = recommendForCustomers({
        lines: clean.lines!,
        orders: clean.orders,
        products: clean.products!,
        productNames: clean.productNames,
        customersCount: clean.customers.length,
        isProduct: isOnlineRetailProduct,
        segmentOf: uk,
        segmentNames: ['UK', 'international'],
      });
    });

    it('gives five products not yet bought, never a service code, each with a reason', () => {
      const nameOf = (p: number) => clean.productNames![p] || clean.products![p];
      const index = new Map(clean.products!.map((id, p) => [id, p]));
      let coPurchase = 0;
      for (let c = 0; c < clean.customers.length; c++) {
        const recs = recommendationsOf(result, c);
        expect(recs).toHaveLength(5);
        expect(new Set(recs.map((x) => x.productId)).size).toBe(5);
        const boughtNames = new Set([...boughtBy[c]].map(nameOf));
        for (const x of recs) {
          const p = index.get(x.productId)!;
          expect(boughtBy[c].has(p)).toBe(false);
          expect(isOnlineRetailProduct(x.productId)).toBe(true);
          if (x.reasonKind === 'often-bought-with') {
            coPurchase++;
            expect(boughtNames.has(x.reason.replace('often bought with ', ''))).toBe(true);
          } else {
            expect(x.reason).toBe(
              x.reasonKind === 'segment-best-seller'
                ? `popular with ${uk[c] === 0 ? 'UK' : 'international'} customers`
                : 'a best seller',
            );
          }
        }
      }
      // Almost every customer gets co-purchase picks (4k products, basket level).
      expect(coPurchase).toBeGreaterThan(0.9 * 5 * clean.customers.length);
    });

    it('ranks each segment’s products by lift over all customers, as counted from the lines', () => {
      const customersWithProducts = boughtBy.filter((s) => s.size > 0).length;
      for (const table of result.segments) {
        const members = boughtBy.filter((s, c) => uk[c] === table.segment && s.size > 0);
        expect(table.customers).toBe(members.length);
        expect(table.byLift).toHaveLength(10);
        for (const row of table.byLift) {
          const p = row.product;
          const inSegment = members.filter((s) => s.has(p)).length;
          const overall = boughtBy.filter((s) => s.has(p)).length;
          expect(row.buyers).toBe(inSegment);
          expect(inSegment).toBeGreaterThanOrEqual(5);
          expect(row.lift).toBeCloseTo(inSegment / members.length / (overall / customersWithProducts), 10);
        }
        for (let k = 1; k < table.byLift.length; k++) {
          expect(table.byLift[k].lift).toBeLessThanOrEqual(table.byLift[k - 1].lift);
        }
      }
      console.log(
        result.segments
          .map(
            (s) =>
              `${s.segmentName}: by revenue ${s.byRevenue
                .slice(0, 3)
                .map((r) => `${r.productName} £${r.revenue.toFixed(0)}`)
                .join('; ')} | by lift ${s.byLift
                .slice(0, 3)
                .map((r) => `${r.productName} ×${r.lift.toFixed(2)}`)
                .join('; ')}`,
          )
          .join('\n'),
      );
    });
  });
});
