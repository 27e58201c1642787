import {
  calibrate,
  fitIsotonic,
  fitPlatt,
  poolAdjacentViolators,
} from '../../../worker/analytics/churn/calibration';
import { createRandom } from '../../../worker/analytics/math/random';

describe('pool-adjacent-violators', () => {
  it('pools each decreasing run into its mean', () => {
    // [1 | 3, 2 | 4, 3 | 5] → [1, 2.5, 2.5, 3.5, 3.5, 5]
    expect(Array.from(poolAdjacentViolators([1, 3, 2, 4, 3, 5]))).toEqual([1, 2.5, 2.5, 3.5, 3.5, 5]);
  });
  it('pools backwards through earlier blocks', () => {
    expect(Array.from(poolAdjacentViolators([4, 3, 2, 1]))).toEqual([2.5, 2.5, 2.5, 2.5]);
    // 1, 5, 0: (5, 0) pool to 2.5, which no longer violates 1.
    expect(Array.from(poolAdjacentViolators([1, 5, 0]))).toEqual([1, 2.5, 2.5]);
  });
  it('weights the means', () => {
    // (3·1 + 1·3) / 4
    expect(Array.from(poolAdjacentViolators([3, 1], [1, 3]))).toEqual([1.5, 1.5]);
  });
});

describe('isotonic calibration', () => {
  it('gives tied scores one value and steps up with the score', () => {
    // Scores 0, 0, 1, 2 with labels 1, 0, 0, 1: the points (0: ½ ×2), (1: 0), (2: 1) pool the first two
    // into (1 + 0 + 0)/3 = ⅓; then 1.
    const cal = fitIsotonic(Float64Array.from([0, 0, 1, 2]), Uint8Array.from([1, 0, 0, 1]));
    expect(cal.value[0]).toBeCloseTo(1 / 3, 12);
    expect(calibrate(cal, -5)).toBeCloseTo(1 / 3, 12);
    expect(calibrate(cal, 0.5)).toBeCloseTo(1 / 3, 12);
    expect(calibrate(cal, 1.5)).toBe(1);
    expect(calibrate(cal, 9)).toBe(1);
  });
});

describe('Platt scaling', () => {
  it('recovers a and b of labels drawn from σ(a·s + b)', () => {
    const random = createRandom(11);
    const n = 40_000;
    const s = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = random.normal(0, 1.5);
      y[i] = random.uniform() < 1 / (1 + Math.exp(-(2 * s[i] - 1))) ? 1 : 0;
    }
    const cal = fitPlatt(s, y);
    // Standard errors are about 0.03 and 0.02 at this n.
    expect(cal.a).toBeCloseTo(2, 1);
    expect(cal.b).toBeCloseTo(-1, 1);
  });
  it('stays finite on separable labels (smoothed targets)', () => {
    const cal = fitPlatt(Float64Array.from([-2, -1, 1, 2]), Uint8Array.from([0, 0, 1, 1]));
    expect(Number.isFinite(cal.a) && Number.isFinite(cal.b)).toBe(true);
    expect(calibrate(cal, 2)).toBeLessThan(1);
    expect(calibrate(cal, 2)).toBeGreaterThan(0.5);
  });
});
