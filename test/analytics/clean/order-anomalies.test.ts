import { flagAnomalousOrders, medianInPlace } from '../../../worker/analytics/clean/order-anomalies';

function sortedMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

describe('medianInPlace', () => {
  it('equals the median of the sorted values, odd and even sizes, with ties', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(random() * 60);
      const values = Array.from({ length: n }, () => (random() < 0.3 ? 1 : Math.floor(random() * 20)));
      expect(medianInPlace(Float64Array.from(values))).toBe(sortedMedian(values));
    }
  });
});

describe('flagAnomalousOrders', () => {
  it('flags nothing when more than half the orders share one amount (MAD = 0)', () => {
    const amount = Float64Array.from([10, 10, 10, 10, 9999]);
    const r = flagAnomalousOrders(amount, new Uint8Array(5).fill(1), 5, 5);
    expect(r.madLog).toBe(0);
    expect(r.flagged).toBe(0);
    expect(r.upperAmount).toBeNull();
  });

  it('skips orders that are not included and zero amounts', () => {
    const amount = Float64Array.from([100, 110, 0, 90, 1e9, 105]);
    const include = Uint8Array.from([1, 1, 1, 1, 0, 1]);
    const r = flagAnomalousOrders(amount, include, 6, 5);
    expect(r.considered).toBe(4);
    expect(r.flags[4]).toBe(0);
    expect(r.medianLog).toBeCloseTo(sortedMedian([100, 110, 90, 105].map(Math.log)), 12);
  });
});
