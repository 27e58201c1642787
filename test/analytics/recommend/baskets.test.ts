import { buildBaskets, customerItems, productMaskFrom } from '../../../worker/analytics/recommend/baskets';
import { isOnlineRetailProduct } from '../../../connectors/csv/online-retail-products';
import { RecommendError } from '../../../worker/analytics/recommend/recommend-error';
import { buildPurchases } from './builders';

// Products: 0 = mug, 1 = POST (not a product), 2 = candle.
const products = ['22423', 'POST', '85123A'];
const { lines, orders } = buildPurchases([
  { customer: 0, time: 1, products: [2, 0, 2, 1], amounts: [3, 5, 4, 15] },
  { customer: 1, time: 5, products: [1], amounts: [15] },
  { customer: 0, time: 10, products: [1, 0], amounts: [15, 6] },
  { customer: 1, time: 7, products: [-1], amounts: [2] },
]);
const mask = productMaskFrom(products, isOnlineRetailProduct);

describe('buildBaskets', () => {
  it('keeps distinct products per order, in first-line order, with their summed amounts, and drops non-products', () => {
    const b = buildBaskets(lines, orders, 3, 2, { productMask: mask });
    expect(Array.from(b.order)).toEqual([0, 2]);
    expect(Array.from(b.customer)).toEqual([0, 0]);
    expect(Array.from(b.time)).toEqual([1, 10]);
    expect(Array.from(b.offsets)).toEqual([0, 2, 3]);
    expect(Array.from(b.items)).toEqual([2, 0, 0]);
    expect(Array.from(b.amounts)).toEqual([3 + 4, 5, 6]);
  });

  it('keeps every product id without a mask, and no basket for lines without a product', () => {
    const b = buildBaskets(lines, orders, 3, 2);
    expect(Array.from(b.order)).toEqual([0, 1, 2]);
    expect(Array.from(b.items)).toEqual([2, 0, 1, 1, 1, 0]);
  });

  it('keeps only orders up to the cutoff time, inclusive', () => {
    const b = buildBaskets(lines, orders, 3, 2, { productMask: mask, until: 5 });
    expect(Array.from(b.order)).toEqual([0]);
    expect(buildBaskets(lines, orders, 3, 2, { until: 5 }).order.length).toBe(2);
  });

  it('rejects lines that point outside the orders or products', () => {
    const bad = { ...lines, product: Int32Array.from([...lines.product.slice(0, -1), 7]) };
    expect(() => buildBaskets(bad, orders, 3, 2)).toThrow(RecommendError);
  });
});

describe('customerItems', () => {
  it('gives each customer their distinct products with revenue and latest purchase time', () => {
    const b = buildBaskets(lines, orders, 3, 2, { productMask: mask });
    const items = customerItems(b);
    expect(Array.from(items.offsets)).toEqual([0, 2, 2]);
    expect(Array.from(items.items)).toEqual([2, 0]);
    expect(Array.from(items.revenue)).toEqual([7, 5 + 6]);
    expect(Array.from(items.lastTime)).toEqual([1, 10]);
    expect(Array.from(items.baskets)).toEqual([2, 0]);
  });

  it('leaves out excluded baskets', () => {
    const b = buildBaskets(lines, orders, 3, 2, { productMask: mask });
    const items = customerItems(b, Uint8Array.from([1, 0]));
    expect(Array.from(items.items)).toEqual([2, 0]);
    expect(Array.from(items.revenue)).toEqual([7, 5]);
    expect(Array.from(items.baskets)).toEqual([1, 0]);
  });
});

describe('isOnlineRetailProduct', () => {
  it('rejects postage, fees, manual lines, discounts, samples and gift vouchers', () => {
    for (const code of ['POST', 'D', 'M', 'm', 'DOT', 'BANK CHARGES', 'AMAZONFEE', 'C2', 'CRUK', 'S', 'B']) {
      expect(isOnlineRetailProduct(code)).toBe(false);
    }
    expect(isOnlineRetailProduct('gift_0001_20')).toBe(false);
    expect(isOnlineRetailProduct('')).toBe(false);
  });

  it('accepts stock codes of goods', () => {
    for (const code of ['85123A', '22423', '47566', 'DCGS0003', 'PADS']) {
      expect(isOnlineRetailProduct(code)).toBe(true);
    }
  });
});
