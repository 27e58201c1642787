import { bgnbd } from '../../../worker/analytics/clv/bgnbd';
import {
  betaGeometricHessian,
  betaGeometricLogLikelihood,
} from '../../../worker/analytics/clv/bg-family-likelihood';
import { preparePurchaseHistory } from '../../../worker/analytics/clv/fit-helpers';
import { mbgnbd } from '../../../worker/analytics/clv/mbgnbd';
import type { BgNbdParams } from '../../../worker/analytics/clv/types';
import { numericalHessian } from '../../../worker/analytics/math/hessian';
import { lbeta, lgamma } from '../../../worker/analytics/math/special';
import { loadCdnowSummary, meanAndStandardError, simulateCustomer } from '../../helpers/purchase-histories';
import { betaExpectation } from '../../helpers/quadrature';
import { createSeededRandom } from '../../helpers/random';

const PARAMS: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('MBG/NBD on CDNOW', () => {
  const cdnow = loadCdnowSummary();
  const fit = mbgnbd.fit(cdnow);
  const bg = bgnbd.fit(cdnow);

  it('converges to a log-likelihood close to BG/NBD on the same data', () => {
    expect(fit.model).toBe('mbgnbd');
    expect(fit.diagnostics.converged).toBe(true);
    expect(fit.diagnostics.gradientNorm).toBeLessThan(1e-6);
    // Same parameter count, nearly the same story: the fits should be within a few LL units.
    expect(Math.abs(fit.logLikelihood - bg.logLikelihood)).toBeLessThan(5);
    for (const name of mbgnbd.paramNames) {
      expect(fit.standardErrors[name] > 0 && Number.isFinite(fit.standardErrors[name])).toBe(true);
    }
  });

  it('computes the log-likelihood of Batislam et al. (2007) customer by customer', () => {
    const { r, alpha, a, b } = PARAMS;
    let expected = 0;
    for (let i = 0; i < cdnow.frequency.length; i++) {
      const x = cdnow.frequency[i];
      const lnA1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
      // B(a, b+x+1)/B(a, b) (α+T)^−(r+x) + B(a+1, b+x)/B(a, b) (α+t_x)^−(r+x)
      const alive = Math.exp(lbeta(a, b + x + 1) - lbeta(a, b)) * Math.pow(alpha + cdnow.T[i], -(r + x));
      const gone = Math.exp(lbeta(a + 1, b + x) - lbeta(a, b)) * Math.pow(alpha + cdnow.recency[i], -(r + x));
      expected += lnA1 + Math.log(alive + gone);
    }
    expect(mbgnbd.logLikelihood(PARAMS, cdnow)).toBeCloseTo(expected, 6);
  });

  it('has analytic derivatives equal to finite differences', () => {
    const h = preparePurchaseHistory(cdnow);
    const at = [0.4, 6, 0.9, 1.7];
    const g = new Float64Array(4);
    betaGeometricLogLikelihood('mbgnbd', at, h, g);
    const ll = (q: ArrayLike<number>) => betaGeometricLogLikelihood('mbgnbd', q, h, null);
    for (let i = 0; i < 4; i++) {
      const step = 1e-4 * at[i];
      const up = at.slice();
      const down = at.slice();
      up[i] += step;
      down[i] -= step;
      expect(Math.abs(g[i] - (ll(up) - ll(down)) / (2 * step))).toBeLessThan(1e-6 * (Math.abs(g[i]) + 10));
    }
    const analytic = betaGeometricHessian('mbgnbd', at, h);
    const fd = numericalHessian(ll, at, 1e-4);
    for (let i = 0; i < 16; i++)
      expect(Math.abs(analytic[i] - fd[i])).toBeLessThan(1e-5 * Math.abs(fd[i]) + 1e-3);
  });
});

describe('MBG/NBD predictions', () => {
  it('lets a customer without repeat purchases be gone already', () => {
    const { a, b, r, alpha } = PARAMS;
    const T = 30;
    const alive = mbgnbd.probabilityAlive(PARAMS, 0, 0, T);
    expect(alive).toBeLessThan(1);
    // From the definition: P(active) ∝ E[1 − p] E[e^{−λT}] vs P(gone at 0) ∝ E[p]; p-moments by quadrature.
    const survive = betaExpectation(a, b, (_p, q) => q) * Math.pow(alpha / (alpha + T), r);
    const gone = betaExpectation(a, b, (p) => p);
    expect(alive / (survive / (survive + gone))).toBeCloseTo(1, 10);
    expect(mbgnbd.probabilityAlive(PARAMS, 0, 0, 0)).toBeCloseTo(b / (a + b), 12);
  });

  it('agrees with a simulation for customers without repeat purchases', () => {
    // Condition on x = 0 in (0, T]: share still active at T and purchases in (T, T+t].
    const random = createSeededRandom(2007);
    const T = 20;
    const t = 26;
    const future: number[] = [];
    const alive: number[] = [];
    for (let i = 0; i < 150000; i++) {
      const c = simulateCustomer(random, PARAMS, T, t, true);
      if (c.x !== 0) continue;
      future.push(c.future);
      alive.push(c.aliveAtT ? 1 : 0);
    }
    const e = meanAndStandardError(future);
    const p = meanAndStandardError(alive);
    expect(Math.abs(mbgnbd.conditionalExpectedPurchases(PARAMS, t, 0, 0, T) - e.mean)).toBeLessThan(3 * e.se);
    expect(Math.abs(mbgnbd.probabilityAlive(PARAMS, 0, 0, T) - p.mean)).toBeLessThan(3 * p.se);
    // BG/NBD says these customers are all alive and buy more: the models really differ here.
    expect(bgnbd.conditionalExpectedPurchases(PARAMS, t, 0, 0, T) - e.mean).toBeGreaterThan(10 * e.se);
  });

  it('agrees with a simulation for a new customer, and P(X(t) = n) is a distribution with that mean', () => {
    const random = createSeededRandom(24);
    const t = 39;
    const counts: number[] = [];
    for (let i = 0; i < 100000; i++) counts.push(simulateCustomer(random, PARAMS, t, 0, true).x);
    const { mean, se } = meanAndStandardError(counts);
    const expected = mbgnbd.expectedPurchasesNewCustomer(PARAMS, t);
    expect(Math.abs(expected - mean)).toBeLessThan(3 * se);
    let total = 0;
    let first = 0;
    for (let n = 0; n <= 200; n++) {
      const pn = mbgnbd.probabilityOfPurchases(PARAMS, n, t);
      total += pn;
      first += n * pn;
    }
    expect(total).toBeCloseTo(1, 9);
    expect(first / expected).toBeCloseTo(1, 8);
    const zeros = counts.filter((c) => c === 0).length / counts.length;
    const p0 = mbgnbd.probabilityOfPurchases(PARAMS, 0, t);
    expect(Math.abs(zeros - p0)).toBeLessThan(3 * Math.sqrt((p0 * (1 - p0)) / counts.length));
  });

  it('matches quadrature of the conditional expectation for repeat buyers and stays finite at x = 5000', () => {
    const cases: [BgNbdParams, number, number, number, number][] = [
      [PARAMS, 39, 2, 30.43, 38.86],
      [{ r: 0.5, alpha: 2, a: 0.3, b: 0.4 }, 20, 0, 0, 10],
      [{ r: 1.5, alpha: 7, a: 1, b: 3 }, 30, 4, 12, 25],
    ];
    for (const [p, t, x, tx, T] of cases) {
      const s = t / (p.alpha + T);
      const R = p.r + x;
      const givenActive = betaExpectation(p.a, p.b + x + 1, (q) =>
        q === 0 ? R * s : -Math.expm1(-R * Math.log1p(q * s)) / q,
      );
      const expected = mbgnbd.probabilityAlive(p, x, tx, T) * givenActive;
      expect(mbgnbd.conditionalExpectedPurchases(p, t, x, tx, T) / expected).toBeCloseTo(1, 9);
    }
    const e = mbgnbd.conditionalExpectedPurchases(PARAMS, 39, 5000, 38.86, 38.86);
    expect(Number.isFinite(e) && e > 0).toBe(true);
  });

  it('predicts every customer at once exactly as one by one', () => {
    const cdnow = loadCdnowSummary();
    const all = mbgnbd.predictAll(PARAMS, cdnow, 39);
    for (let i = 0; i < cdnow.frequency.length; i += 5) {
      const [x, tx, T] = [cdnow.frequency[i], cdnow.recency[i], cdnow.T[i]];
      expect(all.expectedPurchases[i]).toBeCloseTo(
        mbgnbd.conditionalExpectedPurchases(PARAMS, 39, x, tx, T),
        12,
      );
      expect(all.probabilityAlive[i]).toBeCloseTo(mbgnbd.probabilityAlive(PARAMS, x, tx, T), 14);
    }
  });
});
