import { integrateOnLine } from '../../../worker/analytics/math/quadrature';
import { lgamma } from '../../../worker/analytics/math/special';

const softplus = (v: number): number => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));

describe('integrateOnLine', () => {
  it('integrates Gaussians of any width and position to machine precision', () => {
    for (const sigma of [1e-4, 0.01, 1, 30]) {
      for (const mu of [-50, 0, 7.3]) {
        const { logValue, converged } = integrateOnLine((v) => -((v - mu) * (v - mu)) / (2 * sigma * sigma));
        expect(converged).toBe(true);
        expect(logValue).toBeCloseTo(Math.log(sigma * Math.sqrt(2 * Math.PI)), 12);
      }
    }
  });

  it('gives the beta function as ∫ e^{av}(1+e^v)^{−a−b} dv for skewed and narrow shapes', () => {
    for (const [a, b] of [
      [1, 1],
      [1, 1e6],
      [3.5, 0.5],
      [1e4, 2e4],
      [40, 1],
    ]) {
      const { logValue, evaluations } = integrateOnLine((v) => a * v - (a + b) * softplus(v));
      const expected = lgamma(a) + lgamma(b) - lgamma(a + b);
      expect(Math.abs(logValue - expected)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected)));
      expect(evaluations).toBeLessThan(3000);
    }
  });

  it('returns weighted means of extra functions on the same nodes', () => {
    // Under the logistic density e^v/(1+e^v)²: E v = 0, E v² = π²/3.
    const { moments } = integrateOnLine((v) => v - 2 * softplus(v), { moments: [(v) => v, (v) => v * v] });
    expect(moments[0]).toBeCloseTo(0, 12);
    expect(moments[1]).toBeCloseTo((Math.PI * Math.PI) / 3, 11);
  });
});
