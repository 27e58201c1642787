import { ONLINE_RETAIL_CATEGORY_RULES } from '../../../connectors/csv/online-retail-categories';
import { demoCatalogueCategories, PRODUCT_CATALOGUE } from '../../../demo-data/product-catalogue';
import {
  NON_PRODUCT_CATEGORY,
  OTHER_CATEGORY,
  categorizeProducts,
  categoryCoverage,
} from '../../../worker/analytics/segments/product-categories';

describe('categorizeProducts', () => {
  it('prefers an explicit category, then the stock code, then the description', () => {
    const r = categorizeProducts(['p1', 'POST', 'p3', 'p4', 'p5'], {
      names: ['JUMBO BAG RED', 'POSTAGE', 'MUG', '', 'LUNCH BAG'],
      ...ONLINE_RETAIL_CATEGORY_RULES,
      explicit: new Map([
        ['p3', 'Drinkware'],
        ['p5', ' '],
      ]),
    });
    const label = (p: number) => r.categories[r.productCategory[p]];
    expect([0, 1, 2, 3, 4].map(label)).toEqual([
      'Bags',
      NON_PRODUCT_CATEGORY,
      'Drinkware',
      OTHER_CATEGORY,
      'Bags',
    ]);
    expect(r.source).toEqual(['description', 'stock-code', 'explicit', 'none', 'description']);
    // Named categories present (rule order, then explicit), then Other and Non-product last.
    expect(r.categories).toEqual(['Bags', 'Drinkware', OTHER_CATEGORY, NON_PRODUCT_CATEGORY]);
  });

  it('reads ids and descriptions only with the rules it is given, in their order', () => {
    const ids = ['a', 'POST', 'c'];
    const names = ['JUMBO BAG', 'POSTAGE', 'SILVER PENDANT'];
    const bare = categorizeProducts(ids, { names });
    expect(bare.categories).toEqual([OTHER_CATEGORY, NON_PRODUCT_CATEGORY]);
    expect(bare.source).toEqual(['none', 'none', 'none']);
    const own = categorizeProducts(ids, {
      names,
      rules: [
        { category: 'Jewellery', keywords: 'PENDANT' },
        { category: 'Bags', keywords: 'BAG' },
      ],
      isNonProduct: (id) => id === 'POST',
    });
    expect([0, 1, 2].map((p) => own.categories[own.productCategory[p]])).toEqual([
      'Bags',
      NON_PRODUCT_CATEGORY,
      'Jewellery',
    ]);
    expect(own.categories).toEqual(['Jewellery', 'Bags', OTHER_CATEGORY, NON_PRODUCT_CATEGORY]);
  });

  it('maps the demo catalogue through its explicit categories', () => {
    const explicit = demoCatalogueCategories();
    const ids = PRODUCT_CATALOGUE.map((p) => p.id);
    const r = categorizeProducts(ids, { explicit });
    expect(r.categories).toEqual([
      'Coffee',
      'Tea',
      'Brewing',
      'Accessories',
      'Snacks',
      'Gifts',
      OTHER_CATEGORY,
      NON_PRODUCT_CATEGORY,
    ]);
    PRODUCT_CATALOGUE.forEach((p, i) => expect(r.categories[r.productCategory[i]]).toBe(p.category));
    expect(r.source.every((s) => s === 'explicit')).toBe(true);
  });
});

describe('categoryCoverage', () => {
  it('reports the share of positive line revenue in named categories', () => {
    const r = categorizeProducts(['a', 'POST', 'c'], {
      names: ['JUMBO BAG', 'POSTAGE', 'PIGGY BANK'],
      ...ONLINE_RETAIL_CATEGORY_RULES,
    });
    const cov = categoryCoverage(r, {
      // 60 bags, 10 postage, 20 other, 10 on a line without product (Other), −5 ignored.
      product: Int32Array.from([0, 1, 2, -1, 0]),
      amount: Float64Array.from([60, 10, 20, 10, -5]),
    });
    expect(cov.revenue).toBe(100);
    expect(cov.categorisedShare).toBeCloseTo(0.6, 12);
    expect(cov.otherShare).toBeCloseTo(0.3, 12);
    expect(cov.nonProductShare).toBeCloseTo(0.1, 12);
    expect(cov.revenueByCategory).toEqual({ Bags: 60, Other: 30, 'Non-product': 10 });
  });
});
