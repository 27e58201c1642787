import { cohortPurchaseTimes } from '../../../worker/analytics/clv/repeat-purchase-times';

const day = (d: number) => d * 86_400_000 + 3_600_000; // an hour into UTC day d

describe('cohort purchase times', () => {
  it('merges same-day purchases, skips non-cohort customers and days after the end', () => {
    // customer 0: days 10, 10, 17, 24; customer 1 (not in cohort): day 5; customer 2: days 12, 40 (after end)
    const customer = Int32Array.from([0, 0, 0, 1, 2, 2, 0]);
    const time = Float64Array.from([day(10), day(10), day(17), day(5), day(12), day(40), day(24)]);
    const r = cohortPurchaseTimes(customer, time, Int32Array.from([0, 2]), 3, 30, 7);
    expect(r.originDay).toBe(10);
    expect(Array.from(r.firstPurchase)).toEqual([0, 2 / 7]);
    expect(Array.from(r.repeatPurchases).sort()).toEqual([1, 2]);
  });
});
