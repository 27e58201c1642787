import { fitLogisticRegression, logisticLogits } from '../../../worker/analytics/churn/logistic-regression';
import { minimizeBfgs } from '../../../worker/analytics/math/optimize';
import { log1pExp } from '../../../worker/analytics/math/special';
import { createRandom } from '../../../worker/analytics/math/random';

/** Rows with x1 ~ N(2, 1), x2 ~ N(0, 3), x3 ~ Bernoulli(0.3) and y ~ Bernoulli(σ(β0 + β·x)). */
function simulate(n: number, beta: number[], seed: number) {
  const random = createRandom(seed);
  const values = new Float64Array(n * 3);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = [random.normal(2, 1), random.normal(0, 3), random.uniform() < 0.3 ? 1 : 0];
    values.set(x, i * 3);
    const eta = beta[0] + beta[1] * x[0] + beta[2] * x[1] + beta[3] * x[2];
    y[i] = random.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { values, y };
}

/** Coefficients on the raw scale from the standardised ones. */
function rawCoefficients(model: ReturnType<typeof fitLogisticRegression>): number[] {
  const slopes = model.coefficients.map((b, j) => b / model.sd[j]);
  const intercept = model.intercept - slopes.reduce((s, b, j) => s + b * model.mean[j], 0);
  return [intercept, ...slopes];
}

describe('L2-regularised logistic regression', () => {
  const truth = [-1, 0.8, -0.5, 1.2];
  const names = ['x1', 'x2', 'x3'];

  it('recovers the coefficients of simulated data', () => {
    const { values, y } = simulate(30_000, truth, 2024);
    const model = fitLogisticRegression(values, names, y, { l2: 1e-6 });
    expect(model.converged).toBe(true);
    const raw = rawCoefficients(model);
    // Standard errors at n = 30,000 are ≈ 0.04 (intercept), 0.015, 0.006, 0.03: allow about 3 SE.
    expect(Math.abs(raw[0] - truth[0])).toBeLessThan(0.12);
    expect(Math.abs(raw[1] - truth[1])).toBeLessThan(0.05);
    expect(Math.abs(raw[2] - truth[2])).toBeLessThan(0.02);
    expect(Math.abs(raw[3] - truth[3])).toBeLessThan(0.09);
  });

  it('reaches the same optimum as BFGS on the penalised objective', () => {
    const { values, y } = simulate(2_000, truth, 7);
    const l2 = 5;
    const model = fitLogisticRegression(values, names, y, { l2 });
    // Independent route: standardise here and minimise the documented objective with BFGS.
    const n = y.length;
    const z = new Float64Array(n * 3);
    for (let j = 0; j < 3; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += values[i * 3 + j];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (values[i * 3 + j] - m) ** 2;
      const sd = Math.sqrt(v / n);
      for (let i = 0; i < n; i++) z[i * 3 + j] = (values[i * 3 + j] - m) / sd;
    }
    const objective = (b: Float64Array, grad: Float64Array | null) => {
      let f = 0;
      grad?.fill(0);
      for (let i = 0; i < n; i++) {
        const eta = b[0] + b[1] * z[i * 3] + b[2] * z[i * 3 + 1] + b[3] * z[i * 3 + 2];
        f += log1pExp(eta) - y[i] * eta;
        if (grad) {
          const r = 1 / (1 + Math.exp(-eta)) - y[i];
          grad[0] += r;
          for (let j = 0; j < 3; j++) grad[j + 1] += r * z[i * 3 + j];
        }
      }
      for (let j = 1; j < 4; j++) {
        f += 0.5 * l2 * b[j] * b[j];
        if (grad) grad[j] += l2 * b[j];
      }
      return f;
    };
    const reference = minimizeBfgs(objective, [0, 0, 0, 0], { gradientTolerance: 1e-9 });
    expect(model.intercept).toBeCloseTo(reference.x[0], 5);
    model.coefficients.forEach((b, j) => expect(b).toBeCloseTo(reference.x[j + 1], 5));
  });

  it('shrinks the coefficients towards 0 as the penalty grows', () => {
    const { values, y } = simulate(2_000, truth, 9);
    const weak = fitLogisticRegression(values, names, y, { l2: 0.01 });
    const strong = fitLogisticRegression(values, names, y, { l2: 1e6 });
    const norm = (m: typeof weak) => Math.hypot(...m.coefficients);
    expect(norm(strong)).toBeLessThan(norm(weak) / 100);
  });

  it('scores rows with the stored standardisation', () => {
    const model = {
      names: ['a', 'b'],
      mean: [10, 0],
      sd: [2, 1],
      intercept: 0.5,
      coefficients: [1, -1],
      l2: 1,
      iterations: 0,
      converged: true,
      logLoss: 0,
    };
    // 0.5 + 1·(14 − 10)/2 − 1·3 = −0.5
    expect(logisticLogits(model, Float64Array.from([14, 3]))[0]).toBeCloseTo(-0.5, 12);
  });

  it('uses a seeded sample of at most maxRows rows', () => {
    const { values, y } = simulate(5_000, truth, 5);
    const a = fitLogisticRegression(values, names, y, { maxRows: 1000, seed: 4 });
    const b = fitLogisticRegression(values, names, y, { maxRows: 1000, seed: 4 });
    const all = fitLogisticRegression(values, names, y);
    expect(a.coefficients).toEqual(b.coefficients);
    expect(a.coefficients).not.toEqual(all.coefficients);
  });
});

describe('sign-constrained logistic regression (projected Newton)', () => {
  /**
   * Two strongly correlated columns (orders and recent orders, say) where the truth uses only the first:
   * x2 = x1 + small noise, y ~ σ(−1.5·x1). Unconstrained, the pair's weights trade against each other and
   * one comes out with the wrong sign often; constrained ≤ 0, neither can.
   */
  function correlated(n: number, seed: number) {
    const random = createRandom(seed);
    const values = new Float64Array(n * 3);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x1 = random.normal(0, 1);
      const x2 = x1 + random.normal(0, 0.15);
      const x3 = random.normal(0, 1);
      values.set([x1, x2, x3], i * 3);
      // x2's own effect is slightly positive: unconstrained, its coefficient comes out > 0.
      y[i] = random.uniform() < 1 / (1 + Math.exp(-(-1.5 * x1 + 0.4 * (x2 - x1) * 6 + 0.5 * x3))) ? 1 : 0;
    }
    return { values, y };
  }
  const names = ['orders', 'recent_orders', 'other'];
  const truth = [-1, 0.8, -0.5, 1.2];

  /** Gradient of the documented penalised objective at the fitted model (on the standardised scale). */
  function gradientAt(model: ReturnType<typeof fitLogisticRegression>, values: Float64Array, y: Uint8Array) {
    const p = names.length;
    const g = new Float64Array(p + 1);
    for (let i = 0; i < y.length; i++) {
      let eta = model.intercept;
      const z: number[] = [];
      for (let j = 0; j < p; j++) {
        z.push((values[i * p + j] - model.mean[j]) / model.sd[j]);
        eta += model.coefficients[j] * z[j];
      }
      const r = 1 / (1 + Math.exp(-eta)) - y[i];
      g[0] += r;
      for (let j = 0; j < p; j++) g[j + 1] += r * z[j];
    }
    for (let j = 0; j < p; j++) g[j + 1] += model.l2 * model.coefficients[j];
    return g;
  }

  it('holds each coefficient to its sign and meets the KKT conditions', () => {
    const { values, y } = correlated(8_000, 21);
    const free = fitLogisticRegression(values, names, y);
    expect(free.coefficients[1]).toBeGreaterThan(0); // the "wrong" sign the constraint is for
    const held = fitLogisticRegression(values, names, y, { signs: [-1, -1, 0] });
    expect(held.converged).toBe(true);
    expect(held.coefficients[0]).toBeLessThan(0);
    expect(held.coefficients[1]).toBeLessThanOrEqual(0);
    const g = gradientAt(held, values, y);
    const scale = y.length;
    // Free parameters: zero gradient. A coefficient held at its bound 0: the gradient points out of the
    // feasible side (for β ≤ 0, a negative gradient: moving below 0 would increase the objective).
    expect(Math.abs(g[0]) / scale).toBeLessThan(1e-6);
    expect(Math.abs(g[1]) / scale).toBeLessThan(1e-6);
    expect(Math.abs(g[3]) / scale).toBeLessThan(1e-6);
    expect(held.coefficients[1]).toBe(0);
    expect(g[2]).toBeLessThan(0);
    // The constrained optimum costs some fit, never improves on the free one.
    expect(held.logLoss).toBeGreaterThanOrEqual(free.logLoss - 1e-12);
  });

  it('changes nothing when the free optimum already has the required signs', () => {
    const { values, y } = simulate(5_000, truth, 3);
    const free = fitLogisticRegression(values, names, y);
    const signs = free.coefficients.map((b) => Math.sign(b));
    const held = fitLogisticRegression(values, names, y, { signs });
    held.coefficients.forEach((b, j) => expect(b).toBeCloseTo(free.coefficients[j], 8));
  });

  it('wants one sign per feature', () => {
    const { values, y } = simulate(100, truth, 3);
    expect(() => fitLogisticRegression(values, names, y, { signs: [1] })).toThrow(
      expect.objectContaining({ code: 'INVALID_CHURN_INPUT' }),
    );
  });
});
