import type { GammaGammaParams } from '../../worker/analytics/clv/types';
import { simulateBgNbd } from '../../demo-data/bgnbd-simulation';
import { simulateGammaGammaSpend, withGammaGammaSpend } from '../../demo-data/gamma-gamma-simulation';

// CDNOW estimates of Fader, Hardie & Lee (2005), "RFM and CLV", JMR: E[Z] = p·v/(q−1) ≈ 35.22 dollars.
const CDNOW: GammaGammaParams = { p: 6.25, q: 3.74, v: 15.44 };
const N = 200_000;

function meanAndVariance(values: ArrayLike<number>): { mean: number; variance: number; se: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const delta = values[i] - mean;
    mean += delta / (i + 1);
    m2 += delta * (values[i] - mean);
  }
  const variance = m2 / (values.length - 1);
  return { mean, variance, se: Math.sqrt(variance / values.length) };
}

describe('simulateGammaGammaSpend', () => {
  it('gives repeat buyers a mean spend of p·v/(q−1) within 3 standard errors', () => {
    const history = simulateBgNbd(
      { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      { customers: 4 * N, T: { kind: 'uniform', min: 1, max: 78 }, seed: 21 },
    );
    const withSpend = withGammaGammaSpend(history, CDNOW, { seed: 22 });
    const repeaters: number[] = [];
    let nonZeroWithoutRepeat = 0;
    for (let i = 0; i < history.frequency.length; i++) {
      if (history.frequency[i] > 0) repeaters.push(withSpend.monetaryValue[i]);
      else if (withSpend.monetaryValue[i] !== 0) nonZeroWithoutRepeat++;
    }
    expect(nonZeroWithoutRepeat).toBe(0);
    const { mean, se } = meanAndVariance(repeaters);
    expect(Math.abs(mean - (CDNOW.p * CDNOW.v) / (CDNOW.q - 1))).toBeLessThan(3 * se);
    expect(withSpend.frequency).toBe(history.frequency);
  });

  it.each([1, 5])(
    'gives the mean of %p transactions variance p·v²/(x(q−1)(q−2)) + p²·v²/((q−1)²(q−2))',
    (x) => {
      // Var(z̄ | x) = E[Var(z̄ | ν)] + Var(E[z̄ | ν]) with E[1/ν] = v/(q−1), E[1/ν²] = v²/((q−1)(q−2)).
      const params: GammaGammaParams = { p: 3, q: 12, v: 40 };
      const { p, q, v } = params;
      const values = simulateGammaGammaSpend(params, new Float64Array(N).fill(x), { seed: 23 + x });
      const { mean, variance, se } = meanAndVariance(values);
      const expectedVariance =
        (p * v * v) / (x * (q - 1) * (q - 2)) + (p * p * v * v) / ((q - 1) ** 2 * (q - 2));
      expect(Math.abs(mean - (p * v) / (q - 1))).toBeLessThan(3 * se);
      expect(Math.abs(variance / expectedVariance - 1)).toBeLessThan(0.03);
    },
  );

  it('rejects a non-positive shape', () => {
    expect(() => simulateGammaGammaSpend({ p: 0, q: 3, v: 1 }, new Float64Array(1), { seed: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
  });
});
