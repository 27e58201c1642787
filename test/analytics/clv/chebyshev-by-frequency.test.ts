import { evaluateByFrequency } from '../../../worker/analytics/clv/chebyshev-by-frequency';
import { discountedClvs } from '../../../worker/analytics/clv/clv';
import { predictCustomers } from '../../../worker/analytics/clv/predict-customers';
import {
  TRANSACTION_MODELS,
  TRANSACTION_MODEL_NAMES,
} from '../../../worker/analytics/clv/transaction-models';
import { createRandom } from '../../../worker/analytics/math/random';

function syntheticBase(n: number, seed: number) {
  const random = createRandom(seed);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const monetaryValue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = 1 + 155 * random.uniform();
    frequency[i] = Math.min(12, random.poisson(1.5));
    recency[i] = frequency[i] > 0 ? T[i] * random.uniform() : 0;
    monetaryValue[i] = frequency[i] > 0 ? 5 + 50 * random.uniform() : 0;
  }
  return { frequency, recency, T, monetaryValue };
}

describe('evaluateByFrequency', () => {
  it('reproduces a smooth function to 1e-10 and evaluates it far fewer times than there are customers', () => {
    const data = syntheticBase(50_000, 7);
    const f = (x: number, T: number) => (x + 1) / Math.sqrt(T + 3) + Math.log1p(T) * 0.1;
    const { values, stats } = evaluateByFrequency(data.frequency, data.T, f, { offset: 3 });
    for (let i = 0; i < values.length; i++) {
      const exact = f(data.frequency[i], data.T[i]);
      expect(Math.abs(values[i] - exact)).toBeLessThan(1e-10 * Math.abs(exact) + 1e-14);
    }
    expect(stats.interpolated).toBeGreaterThan(45_000);
    expect(stats.evaluations).toBeLessThan(5_000);
  });

  it('falls back to direct evaluation where the check fails (a kink no polynomial follows)', () => {
    const data = syntheticBase(5_000, 8);
    const f = (_x: number, T: number) => Math.abs(T - 50);
    const { values, stats } = evaluateByFrequency(data.frequency, data.T, f, { offset: 1 });
    for (let i = 0; i < values.length; i++) expect(values[i]).toBe(Math.abs(data.T[i] - 50));
    expect(stats.direct).toBe(5_000);
  });
});

describe('predictCustomers CLV', () => {
  it.each(TRANSACTION_MODEL_NAMES)(
    '%s: matches the horizon-by-horizon discounted CLV of the conditional expectation to 1e-9',
    (name) => {
      const model = TRANSACTION_MODELS[name];
      const params: Record<string, number> =
        name === 'pareto-nbd'
          ? { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }
          : { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
      const data = syntheticBase(3_000, 11);
      const settings = { months: 12, monthlyDiscountRate: 0.01, timeUnit: 'week' as const, margin: 0.4 };
      const p = predictCustomers(model, params, data, null, { horizon: 52, ...settings });
      // Reference: lifetimes' recipe, one conditional expectation per customer and month.
      const reference = discountedClvs({
        ...settings,
        averageValues: p.expectedAverageValue,
        expectedPurchases: (t) =>
          Float64Array.from(data.frequency, (x, i) =>
            model.conditionalExpectedPurchases(params, t, x, data.recency[i], data.T[i]),
          ),
      });
      for (let i = 0; i < data.T.length; i++) {
        expect(Math.abs(p.clv[i] - reference.clv[i])).toBeLessThan(1e-9 * Math.max(1, reference.clv[i]));
      }
    },
  );
});
