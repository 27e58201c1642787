import {
  NON_PRODUCT_CATEGORY,
  OTHER_CATEGORY,
  categorizeProducts,
  categoryCoverage,
  categoryOfDescription,
  demoCatalogueCategories,
  isNonProductCode,
} from '../../../worker/analytics/segments/product-categories';
import { PRODUCT_CATALOGUE } from '../../../demo-data/product-catalogue';

describe('categoryOfDescription', () => {
  it.each([
    ['WHITE HANGING HEART T-LIGHT HOLDER', 'Candles & lighting'],
    ['JUMBO BAG RED RETROSPOT', 'Bags'],
    ['LUNCH BAG RED RETROSPOT', 'Bags'],
    ["PAPER CHAIN KIT 50'S CHRISTMAS", 'Christmas & seasonal'],
    ["JUMBO BAG 50'S CHRISTMAS", 'Christmas & seasonal'],
    ['REGENCY CAKESTAND 3 TIER', 'Kitchen & dining'],
    ['ROSES REGENCY TEACUP AND SAUCER', 'Kitchen & dining'],
    ['ROUND SNACK BOXES SET OF4 WOODLAND', 'Kitchen & dining'],
    ['PARTY BUNTING', 'Party & celebrations'],
    ['RED RETROSPOT WRAP', 'Cards & wrapping'],
    ['PACK OF 6 BIRDY GIFT TAGS', 'Cards & wrapping'],
    ['RED  HARMONICA IN BOX', 'Toys & games'],
    ['VINTAGE HEADS AND TAILS CARD GAME', 'Toys & games'],
    ['GIN + TONIC DIET METAL SIGN', 'Home decor'],
    ['ALARM CLOCK BAKELIKE RED', 'Home decor'],
    ['BATHROOM METAL SIGN', 'Home decor'],
    ['WATERING CAN BLUE ELEPHANT', 'Garden & outdoor'],
    ['AMBER DROP EARRINGS W LONG BEADS', 'Jewellery & accessories'],
    ['HOT WATER BOTTLE KEEP CALM', 'Home textiles'],
    ['SET/3 RED GINGHAM ROSE STORAGE BOX', 'Storage & organisation'],
    ['STRAWBERRY BATH SPONGE', 'Bath & beauty'],
    ['PACK OF 12 COLOURED PENCILS', 'Stationery & craft'],
    ['POSTAGE', NON_PRODUCT_CATEGORY],
    ['Manual', NON_PRODUCT_CATEGORY],
    ['FRENCH CARRIAGE LANTERN', 'Candles & lighting'],
    ['PIGGY BANK RETROSPOT', OTHER_CATEGORY],
    ['', OTHER_CATEGORY],
  ])('%p → %p', (description, category) => {
    expect(categoryOfDescription(description)).toBe(category);
  });

  it('matches whole words only, with an optional plural', () => {
    // PEN must not match inside PENDANT (which is jewellery), TIN not inside TINY, CUP not inside CUPBOARD.
    expect(categoryOfDescription('SILVER PENDANT')).toBe('Jewellery & accessories');
    expect(categoryOfDescription('TINY THING')).toBe(OTHER_CATEGORY);
    expect(categoryOfDescription('BLUE PENS')).toBe('Stationery & craft');
    expect(categoryOfDescription('SET OF 3 CANDLES')).toBe('Candles & lighting');
  });

  it('treats non-product stock codes as Non-product whatever the description', () => {
    for (const code of [
      'POST',
      'D',
      'M',
      'DOT',
      'BANK CHARGES',
      'AMAZONFEE',
      'C2',
      'CRUK',
      'S',
      'B',
      'gift_0001_20',
    ]) {
      expect(isNonProductCode(code)).toBe(true);
      expect(categoryOfDescription('JUMBO BAG RED', code)).toBe(NON_PRODUCT_CATEGORY);
    }
    expect(isNonProductCode('85123A')).toBe(false);
    expect(isNonProductCode('PADS')).toBe(false);
  });
});

describe('categorizeProducts', () => {
  it('prefers an explicit category, then the stock code, then the description', () => {
    const r = categorizeProducts(['p1', 'POST', 'p3', 'p4', 'p5'], {
      names: ['JUMBO BAG RED', 'POSTAGE', 'MUG', '', 'LUNCH BAG'],
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
    const r = categorizeProducts(['a', 'POST', 'c'], { names: ['JUMBO BAG', 'POSTAGE', 'PIGGY BANK'] });
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
