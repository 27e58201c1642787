import { ONLINE_RETAIL_CATEGORY_RULES } from '../../../connectors/csv/online-retail-categories';
import { categorizeProducts } from '../../../worker/analytics/segments/product-categories';
import { InterestInputError, interestSegments } from '../../../worker/analytics/segments/interests';

// Products: 0 bag, 1 candle, 2 mug, 3 postage, 4 unmatched (Other).
const products = categorizeProducts(['p0', 'p1', 'p2', 'POST', 'p4'], {
  names: ['JUMBO BAG', 'SCENTED CANDLE', 'MUG', 'POSTAGE', 'PIGGY BANK'],
  ...ONLINE_RETAIL_CATEGORY_RULES,
});

/** Customers 0–4; orders as [customer]; lines as [order, product, amount]. */
function input(orders: number[], lines: [number, number, number][], customers = 5) {
  return {
    customers: Array.from({ length: customers }, (_, i) => `c${i}`),
    orders: { customer: Int32Array.from(orders) },
    lines: {
      order: Int32Array.from(lines.map((l) => l[0])),
      product: Int32Array.from(lines.map((l) => l[1])),
      amount: Float64Array.from(lines.map((l) => l[2])),
    },
  };
}

describe('interestSegments', () => {
  const clean = input(
    [0, 0, 1, 2, 3, 4],
    [
      // c0: 60 bags over two orders + 40 candles + 25 postage (ignored) → bags 0.6.
      [0, 0, 30],
      [1, 0, 30],
      [1, 1, 40],
      [1, 3, 25],
      // c1: 40 bags, 35 candles, 25 mugs → nothing reaches 0.5: Varied.
      [2, 0, 40],
      [2, 1, 35],
      [2, 2, 25],
      // c2: only postage → Unknown.
      [3, 3, 10],
      // c3: 50/50 bags and mugs → an even split has no dominant interest.
      [4, 0, 5],
      [4, 2, 5],
      // c4: 30 Other + 10 on a line without product id (Other) + 10 mugs → Other 0.8; a refund line ignored.
      [5, 4, 30],
      [5, -1, 10],
      [5, 2, 10],
      [5, 2, -4],
    ],
  );
  const r = interestSegments(clean, products);

  it('uses every category but Non-product as a column, Other last', () => {
    expect(r.categories).toEqual(['Bags', 'Candles & lighting', 'Kitchen & dining', 'Other']);
  });

  it('computes spend shares per customer from the lines (hand-computed)', () => {
    const row = (i: number) => Array.from(r.shares.subarray(i * 4, i * 4 + 4));
    expect(row(0)).toEqual([0.6, 0.4, 0, 0]);
    expect(row(1)).toEqual([0.4, 0.35, 0.25, 0]);
    expect(row(2)).toEqual([0, 0, 0, 0]);
    expect(row(3)).toEqual([0.5, 0, 0.5, 0]);
    expect(row(4)).toEqual([0, 0, 0.2, 0.8]);
    expect(Array.from(r.spend)).toEqual([100, 100, 0, 10, 50]);
  });

  it('labels the dominant interest at a share of 0.5 or more, else Varied; no spend → Unknown', () => {
    expect(r.interest).toEqual(['Bags', 'Varied', 'Unknown', 'Varied', 'Other']);
    expect(Array.from(r.dominantIndex)).toEqual([0, -1, -2, -1, 3]);
    expect(r.counts).toEqual({
      Bags: 1,
      'Candles & lighting': 0,
      'Kitchen & dining': 0,
      Other: 1,
      Varied: 2,
      Unknown: 1,
    });
  });

  it('takes the threshold as an option', () => {
    const loose = interestSegments(clean, products, { dominantShare: 0.4 });
    // c1's bags (0.4) now qualify; c3's 0.5/0.5 is still a tie for the top share, so still Varied.
    expect(loose.interest).toEqual(['Bags', 'Bags', 'Unknown', 'Varied', 'Other']);
    expect(loose.dominantIndex[3]).toBe(-1);
    expect(() => interestSegments(clean, products, { dominantShare: 0 })).toThrow(InterestInputError);
  });

  it('marks everyone Unknown when there are no lines', () => {
    const noLines = { customers: ['a', 'b'], orders: { customer: Int32Array.from([0, 1]) } };
    const u = interestSegments(noLines, products);
    expect(u.interest).toEqual(['Unknown', 'Unknown']);
    expect(u.shares.length).toBe(2 * 4);
  });
});
