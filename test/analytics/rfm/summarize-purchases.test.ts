import { RfmInputError, summarizePurchases } from '../../../worker/analytics/rfm/summarize-purchases';
import type { OrdersInput } from '../../../worker/analytics/rfm/types';

const DAY = 86_400_000;
const day0 = Date.UTC(2024, 0, 1);

/** Orders from [customer index, day offset from 2024-01-01 (fractions = time of day), amount]. */
function buildOrders(list: [number, number, number][]): OrdersInput {
  return {
    customer: Int32Array.from(list.map((o) => o[0])),
    time: Float64Array.from(list.map((o) => day0 + o[1] * DAY)),
    amount: Float64Array.from(list.map((o) => o[2])),
  };
}

// Customer a: day 0 twice (10 + 5, merged), day 7 (20), day 14 at 23:00 (30), day 30 (after the end).
// Customer b: one purchase on day 3 (8).  Customer c: first purchase on day 12 (4), again day 13 (6).
const orders = buildOrders([
  [0, 0.4, 10],
  [1, 3, 8],
  [0, 0.9, 5],
  [0, 7, 20],
  [2, 12, 4],
  [0, 14 + 23 / 24, 30],
  [2, 13, 6],
  [0, 30, 1000],
]);
const customers = ['a', 'b', 'c'];
const observationEnd = '2024-01-22'; // day 21

describe('summarizePurchases', () => {
  it('merges same-day purchases and averages the repeat days only (days)', () => {
    const s = summarizePurchases(orders, customers, { observationEnd, period: 'day' });
    expect(s.ids).toEqual(['a', 'b', 'c']);
    expect(Array.from(s.frequency)).toEqual([2, 0, 1]);
    expect(Array.from(s.recency)).toEqual([14, 0, 1]);
    expect(Array.from(s.T)).toEqual([21, 18, 9]);
    // a: repeat days 7 (20) and 14 (30) → 25; the first day's 15 is left out. c: day 13 → 6.
    expect(Array.from(s.monetaryValue)).toEqual([25, 0, 6]);
    expect(Array.from(s.totalRevenue)).toEqual([65, 8, 10]);
    expect(s.firstPurchase[0]).toBe(day0 + 0.4 * DAY);
    expect(s.holdout).toBeUndefined();
  });

  it('expresses ages in weeks as days / 7', () => {
    const s = summarizePurchases(orders, customers, { observationEnd, period: 'week' });
    expect(Array.from(s.frequency)).toEqual([2, 0, 1]);
    expect(Array.from(s.recency)).toEqual([2, 0, 1 / 7]);
    expect(Array.from(s.T)).toEqual([3, 18 / 7, 9 / 7]);
  });

  it('includes the whole observation end day', () => {
    const s = summarizePurchases(orders, customers, { observationEnd: '2024-01-15', period: 'day' });
    expect(s.frequency[0]).toBe(2); // the 23:00 purchase on day 14 counts
    expect(s.T[0]).toBe(14);
  });

  it('splits calibration and holdout at the calibration end', () => {
    const s = summarizePurchases(orders, customers, {
      observationEnd,
      calibrationEnd: '2024-01-11', // day 10
      period: 'day',
    });
    // c's first purchase (day 12) is after the calibration end: not in the summary.
    expect(s.ids).toEqual(['a', 'b']);
    expect(Array.from(s.frequency)).toEqual([1, 0]);
    expect(Array.from(s.recency)).toEqual([7, 0]);
    expect(Array.from(s.T)).toEqual([10, 7]);
    expect(Array.from(s.monetaryValue)).toEqual([20, 0]);
    expect(s.holdout).toBeDefined();
    expect(Array.from(s.holdout!.frequency)).toEqual([1, 0]);
    expect(Array.from(s.holdout!.monetaryValue)).toEqual([30, 0]);
    expect(s.holdout!.duration).toBe(11);
    // Historic value covers calibration and holdout, up to the observation end.
    expect(Array.from(s.totalRevenue)).toEqual([65, 8]);
    expect(Array.from(s.customerIndex)).toEqual([0, 1]);
  });

  it('counts holdout purchase days, not orders, and averages per day', () => {
    const o = buildOrders([
      [0, 0, 1],
      [0, 5, 2],
      [0, 5.5, 4],
      [0, 8, 9],
    ]);
    const s = summarizePurchases(o, ['x'], {
      observationEnd: '2024-01-10',
      calibrationEnd: '2024-01-02',
      period: 'week',
    });
    expect(s.holdout!.frequency[0]).toBe(2);
    expect(s.holdout!.monetaryValue[0]).toBe((6 + 9) / 2);
    expect(s.holdout!.duration).toBe(8 / 7);
    expect(s.T[0]).toBe(1 / 7);
  });

  it('accepts orders in any order', () => {
    const reversed = buildOrders([
      [0, 14, 30],
      [0, 7, 20],
      [0, 0, 15],
    ]);
    const s = summarizePurchases(reversed, ['a'], { observationEnd, period: 'day' });
    expect([s.frequency[0], s.recency[0], s.T[0], s.monetaryValue[0]]).toEqual([2, 14, 21, 25]);
  });

  it('rejects a calibration end that is not before the observation end', () => {
    expect(() =>
      summarizePurchases(orders, customers, {
        observationEnd,
        calibrationEnd: observationEnd,
        period: 'day',
      }),
    ).toThrow(RfmInputError);
    expect(() => summarizePurchases(orders, customers, { observationEnd: 'soon', period: 'day' })).toThrow(
      /soon/,
    );
  });
});
