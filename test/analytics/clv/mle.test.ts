import { fitByMaximumLikelihood, observedInformation } from '../../../worker/analytics/clv/mle';
import { ModelFitError } from '../../../worker/analytics/clv/types';
import { digamma, lgamma, trigamma } from '../../../worker/analytics/math/special';
import { createSeededRandom } from '../../helpers/random';

/** A Gamma(k, θ) sample (θ a rate): its MLE and observed information have closed forms to check against. */
type Sample = { x: Float64Array; sumX: number; sumLogX: number };

function gammaSample(n: number, shape: number, rate: number, seed: number): Sample {
  const random = createSeededRandom(seed);
  const x = new Float64Array(n);
  let sumX = 0;
  let sumLogX = 0;
  for (let i = 0; i < n; i++) {
    x[i] = random.gamma(shape, rate);
    sumX += x[i];
    sumLogX += Math.log(x[i]);
  }
  return { x, sumX, sumLogX };
}

/** LL = Σ k ln θ − ln Γ(k) + (k − 1) ln x − θ x, with its gradient. */
function gammaLogLikelihood(params: Float64Array, data: Sample, grad: Float64Array | null): number {
  const [k, theta] = params;
  const n = data.x.length;
  if (grad) {
    grad[0] = n * (Math.log(theta) - digamma(k)) + data.sumLogX;
    grad[1] = (n * k) / theta - data.sumX;
  }
  return n * (k * Math.log(theta) - lgamma(k)) + (k - 1) * data.sumLogX - theta * data.sumX;
}

/** Independent MLE: ln k − ψ(k) = ln mean − mean ln x, solved by bisection; θ = k / mean. */
function gammaMle(data: Sample): { k: number; theta: number } {
  const n = data.x.length;
  const target = Math.log(data.sumX / n) - data.sumLogX / n;
  let lo = 1e-6;
  let hi = 1e6;
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (Math.log(mid) - digamma(mid) > target) lo = mid;
    else hi = mid;
  }
  const k = Math.sqrt(lo * hi);
  return { k, theta: k / (data.sumX / n) };
}

describe('fitByMaximumLikelihood', () => {
  const data = gammaSample(5000, 2.5, 0.4, 11);
  const names = ['k', 'theta'] as const;

  it('finds the closed-form MLE and the standard errors of the inverse observed information', () => {
    const fit = fitByMaximumLikelihood(names, gammaLogLikelihood, data, { initial: [1, 1], count: 5000 });
    const mle = gammaMle(data);
    expect(fit.params[0]).toBeCloseTo(mle.k, 6);
    expect(fit.params[1]).toBeCloseTo(mle.theta, 7);
    // Observed information n·[[ψ'(k), −1/θ], [−1/θ, k/θ²]], inverted by hand.
    const n = 5000;
    const i11 = n * trigamma(mle.k);
    const i12 = -n / mle.theta;
    const i22 = (n * mle.k) / (mle.theta * mle.theta);
    const det = i11 * i22 - i12 * i12;
    expect(fit.standardErrors[0] / Math.sqrt(i22 / det)).toBeCloseTo(1, 6);
    expect(fit.standardErrors[1] / Math.sqrt(i11 / det)).toBeCloseTo(1, 6);
    expect(fit.logLikelihood).toBeCloseTo(
      gammaLogLikelihood(Float64Array.of(mle.k, mle.theta), data, null),
      6,
    );
    expect(fit.diagnostics.converged).toBe(true);
    expect(fit.diagnostics.gradientNorm).toBeLessThan(1e-6);
    expect(fit.diagnostics.iterations).toBeGreaterThan(0);
  });

  it('reaches the same optimum when warm-started on a subsample', () => {
    const sub: Sample = { x: data.x.filter((_, i) => i % 10 === 0), sumX: 0, sumLogX: 0 };
    sub.x.forEach((v) => {
      sub.sumX += v;
      sub.sumLogX += Math.log(v);
    });
    const fit = fitByMaximumLikelihood(names, gammaLogLikelihood, data, {
      initial: [1, 1],
      count: 5000,
      warmStart: { data: sub, count: sub.x.length },
    });
    const mle = gammaMle(data);
    expect(fit.params[0]).toBeCloseTo(mle.k, 6);
    expect(fit.params[1]).toBeCloseTo(mle.theta, 7);
    expect(fit.diagnostics.converged).toBe(true);
  });

  it('adds penalizer × Σ params² to the mean negative log-likelihood', () => {
    const penalizer = 0.01;
    const fit = fitByMaximumLikelihood(names, gammaLogLikelihood, data, {
      initial: [1, 1],
      count: 5000,
      penalizer,
    });
    // Stationarity of −LL/n + c(k² + θ²): ∂LL/∂p / n = 2 c p, with the LL gradient written out above.
    const g = new Float64Array(2);
    gammaLogLikelihood(fit.params, data, g);
    expect(g[0] / 5000).toBeCloseTo(2 * penalizer * fit.params[0], 6);
    expect(g[1] / 5000).toBeCloseTo(2 * penalizer * fit.params[1], 6);
    expect(fit.params[0]).toBeLessThan(gammaMle(data).k);
  });

  it('computes the observed information of the total negative log-likelihood', () => {
    const p = Float64Array.of(2, 0.5);
    const info = observedInformation(gammaLogLikelihood, data, p);
    expect(info[0] / (5000 * trigamma(2))).toBeCloseTo(1, 8);
    expect(info[1] / (-5000 / 0.5)).toBeCloseTo(1, 8);
    expect(info[3] / ((5000 * 2) / 0.25)).toBeCloseTo(1, 8);
  });

  it('rejects a negative penalizer and bad starting values with INVALID_DATA', () => {
    const run = (options: { initial: number[]; penalizer?: number }) => () =>
      fitByMaximumLikelihood(names, gammaLogLikelihood, data, { ...options, count: 5000 });
    expect(run({ initial: [1, 1], penalizer: -1 })).toThrow(ModelFitError);
    expect(run({ initial: [1, 0] })).toThrow(/initial theta/);
    expect(run({ initial: [1] })).toThrow(/2 values/);
  });
});
