import { bgnbd } from '../../../worker/analytics/clv/bgnbd';
import {
  betaGeometricHessian,
  betaGeometricLogLikelihood,
  BG_PARAM_NAMES,
} from '../../../worker/analytics/clv/bg-family-likelihood';
import { preparePurchaseHistory, subsamplePreparedHistory } from '../../../worker/analytics/clv/fit-helpers';
import { fitByMaximumLikelihood } from '../../../worker/analytics/clv/mle';
import { ModelFitError, type BgNbdParams, type PurchaseHistory } from '../../../worker/analytics/clv/types';
import { invertSpd } from '../../../worker/analytics/math/linear-algebra';
import { numericalHessian } from '../../../worker/analytics/math/hessian';
import { hyp2f1, lbeta, lgamma, logHyp2f1 } from '../../../worker/analytics/math/special';
import { loadCdnowSummary, meanAndStandardError, simulateCustomer } from '../../helpers/purchase-histories';
import { betaExpectation } from '../../helpers/quadrature';
import { createSeededRandom } from '../../helpers/random';

/** Fader, Hardie & Lee (2005), CDNOW estimates (weeks). */
const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/** P(alive) from the model's definition: ratio of the two λ/p integrals, the p parts by quadrature. */
function probabilityAliveByQuadrature(
  p: BgNbdParams,
  x: number,
  tx: number,
  T: number,
  sigma: 0 | 1,
): number {
  // Gamma integrals ∫ λ^x e^{−λ s} g(λ) dλ = Γ(r+x) α^r / (Γ(r) (α+s)^{r+x}); the common factor cancels.
  const lam = (s: number) => -(p.r + x) * Math.log(p.alpha + s);
  const survive = betaExpectation(p.a, p.b, (_q, oneMinus) => Math.pow(oneMinus, x + sigma));
  if (x === 0 && sigma === 0) return 1;
  const dropped = betaExpectation(p.a, p.b, (q, oneMinus) => q * Math.pow(oneMinus, x + sigma - 1));
  const alive = survive * Math.exp(lam(T));
  return alive / (alive + dropped * Math.exp(lam(tx)));
}

/** E[purchases in (T, T+t] | active]: (1 − (1 + p t/(α+T))^−(r+x)) / p averaged over p ~ Beta(a, b+x+σ). */
function expectedGivenActiveByQuadrature(
  p: BgNbdParams,
  t: number,
  x: number,
  T: number,
  sigma: 0 | 1,
): number {
  const s = t / (p.alpha + T);
  const R = p.r + x;
  return betaExpectation(p.a, p.b + x + sigma, (q) =>
    q === 0 ? R * s : -Math.expm1(-R * Math.log1p(q * s)) / q,
  );
}

function history(rows: [number, number, number][]): PurchaseHistory {
  return {
    frequency: Float64Array.from(rows, (r) => r[0]),
    recency: Float64Array.from(rows, (r) => r[1]),
    T: Float64Array.from(rows, (r) => r[2]),
  };
}

describe('BG/NBD on CDNOW', () => {
  const cdnow = loadCdnowSummary();
  const fit = bgnbd.fit(cdnow);

  it('reproduces the published estimates and log-likelihood (Fader, Hardie & Lee 2005)', () => {
    expect(fit.n).toBe(2357);
    expect(fit.params.r).toBeCloseTo(0.243, 3);
    expect(fit.params.alpha).toBeCloseTo(4.414, 3);
    expect(fit.params.a).toBeCloseTo(0.793, 3);
    expect(fit.params.b).toBeCloseTo(2.426, 3);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(fit.diagnostics.converged).toBe(true);
    expect(fit.diagnostics.gradientNorm).toBeLessThan(1e-6);
    expect(fit.diagnostics.warnings).toEqual([]);
  });

  it('reports the standard errors lifetimes publishes for this fit', () => {
    // lifetimes' BetaGeoFitter summary on this file: se r 0.012557, alpha 0.378221, a 0.185719, b 0.705345.
    // (The figure 0.338 for alpha sometimes quoted is a typo of 0.378.)
    expect(fit.standardErrors.r / 0.012557).toBeCloseTo(1, 2);
    expect(fit.standardErrors.alpha / 0.378221).toBeCloseTo(1, 2);
    expect(fit.standardErrors.a / 0.185719).toBeCloseTo(1, 2);
    expect(fit.standardErrors.b / 0.705345).toBeCloseTo(1, 2);
  });

  it('has standard errors equal to those from a finite-difference Hessian of the log-likelihood', () => {
    const p = [fit.params.r, fit.params.alpha, fit.params.a, fit.params.b];
    const h = numericalHessian(
      (q) => -bgnbd.logLikelihood({ r: q[0], alpha: q[1], a: q[2], b: q[3] }, cdnow),
      p,
      2e-3,
    );
    const cov = invertSpd(h, 4);
    expect(cov).not.toBeNull();
    BG_PARAM_NAMES.forEach((name, i) => {
      const se = Math.sqrt((cov as Float64Array)[i * 4 + i]);
      expect(Number.isFinite(fit.standardErrors[name]) && fit.standardErrors[name] > 0).toBe(true);
      expect(Math.abs(fit.standardErrors[name] / se - 1)).toBeLessThan(0.01);
    });
  });

  it("matches Hardie's worked example: x = 2, t_x = 30.43, T = 38.86 → 1.226 purchases in 39 weeks", () => {
    expect(bgnbd.conditionalExpectedPurchases(PUBLISHED, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it('computes the log-likelihood as the sum of eq. 6 over customers', () => {
    const { r, alpha, a, b } = PUBLISHED;
    let expected = 0;
    for (let i = 0; i < cdnow.frequency.length; i++) {
      const x = cdnow.frequency[i];
      const lnA1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
      const lnA2 = lbeta(a, b + x) - lbeta(a, b);
      const A3 = Math.pow(alpha + cdnow.T[i], -(r + x));
      const A4 = x > 0 ? (a / (b + x - 1)) * Math.pow(alpha + cdnow.recency[i], -(r + x)) : 0;
      expected += lnA1 + lnA2 + Math.log(A3 + A4);
    }
    expect(bgnbd.logLikelihood(PUBLISHED, cdnow)).toBeCloseTo(expected, 6);
  });
});

describe('BG/NBD likelihood derivatives', () => {
  const cdnow = preparePurchaseHistory(loadCdnowSummary());
  const at = [0.3, 5, 0.7, 2.1];

  it('has an analytic gradient equal to central differences of the log-likelihood', () => {
    const g = new Float64Array(4);
    betaGeometricLogLikelihood('bgnbd', at, cdnow, g);
    for (let i = 0; i < 4; i++) {
      const h = 1e-4 * at[i];
      const up = at.slice();
      const down = at.slice();
      up[i] += h;
      down[i] -= h;
      const fd =
        (betaGeometricLogLikelihood('bgnbd', up, cdnow, null) -
          betaGeometricLogLikelihood('bgnbd', down, cdnow, null)) /
        (2 * h);
      // LL is ~1e4 in size: its rounding limits the differences to ~1e-7 absolute.
      expect(Math.abs(g[i] - fd)).toBeLessThan(1e-6 * (Math.abs(fd) + 10));
    }
  });

  it('has an analytic Hessian equal to finite differences of the log-likelihood', () => {
    const analytic = betaGeometricHessian('bgnbd', at, cdnow);
    const fd = numericalHessian((q) => betaGeometricLogLikelihood('bgnbd', q, cdnow, null), at, 1e-4);
    for (let i = 0; i < 16; i++)
      expect(Math.abs(analytic[i] - fd[i])).toBeLessThan(1e-5 * Math.abs(fd[i]) + 1e-3);
  });

  it('weights collapsed duplicate customers exactly like the individual rows', () => {
    // Day-resolution data: 5,000 customers on few distinct (x, t_x, T), prepared with and without collapsing.
    const random = createSeededRandom(5);
    const rows: [number, number, number][] = [];
    for (let i = 0; i < 5000; i++) {
      const T = Math.round(10 + 20 * random.uniform()) / 7;
      const x = random.uniform() < 0.6 ? 0 : 1 + Math.floor(3 * random.uniform());
      rows.push([x, x ? Math.round(T * 7 * random.uniform()) / 7 : 0, T]);
    }
    const collapsed = preparePurchaseHistory(history(rows));
    expect(collapsed.rows).toBeLessThan(2500);
    expect(collapsed.count).toBe(5000);
    let separate = 0;
    for (let i = 0; i < rows.length; i += 1000) {
      separate += betaGeometricLogLikelihood(
        'bgnbd',
        at,
        preparePurchaseHistory(history(rows.slice(i, i + 1000))),
        null,
      );
    }
    expect(betaGeometricLogLikelihood('bgnbd', at, collapsed, null)).toBeCloseTo(separate, 6);
  });
});

describe('BG/NBD conditional expectation and P(alive)', () => {
  it('equals quadrature of the model definition, including a + b < 1 with x = 0', () => {
    const cases: [BgNbdParams, number, number, number, number][] = [
      [PUBLISHED, 39, 2, 30.43, 38.86],
      [PUBLISHED, 52, 0, 0, 20],
      [{ r: 0.5, alpha: 2, a: 0.3, b: 0.4 }, 20, 0, 0, 10], // c = a + b − 1 = −0.3
      [{ r: 0.5, alpha: 2, a: 0.3, b: 0.4 }, 20, 3, 7, 10],
      [{ r: 1.5, alpha: 7, a: 1, b: 3 }, 30, 4, 12, 25], // a = 1: the closed form's 0/0
      [{ r: 1.5, alpha: 7, a: 1 + 1e-10, b: 3 }, 30, 4, 12, 25],
      [{ r: 2, alpha: 1, a: 4, b: 0.5 }, 100, 40, 30, 31],
    ];
    for (const [p, t, x, tx, T] of cases) {
      const alive = probabilityAliveByQuadrature(p, x, tx, T, 0);
      expect(bgnbd.probabilityAlive(p, x, tx, T) / alive).toBeCloseTo(1, 10);
      const expected = alive * expectedGivenActiveByQuadrature(p, t, x, T, 0);
      expect(bgnbd.conditionalExpectedPurchases(p, t, x, tx, T) / expected).toBeCloseTo(1, 9);
    }
  });

  it('agrees with the straightforward hypergeometric formula (eq. 10) where that is finite', () => {
    const p = PUBLISHED;
    for (const [t, x, tx, T] of [
      [39, 2, 30.43, 38.86],
      [10, 7, 20, 30],
      [52, 500, 38.8, 38.86],
      [39, 5000, 38.859, 38.86],
    ]) {
      const z = t / (p.alpha + T + t);
      // ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z), in logs because both factors overflow at x = 5000
      const f = logHyp2f1(p.r + x, p.b + x, p.a + p.b + x - 1, z, 1e6);
      expect(f.converged).toBe(true);
      const product = f.sign * Math.exp((p.r + x) * Math.log1p(-z) + f.logValue);
      const naive = ((p.a + p.b + x - 1) / (p.a - 1)) * (1 - product);
      const lnOdds = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * Math.log((p.alpha + T) / (p.alpha + tx));
      const expected = naive / (1 + Math.exp(lnOdds));
      expect(bgnbd.conditionalExpectedPurchases(p, t, x, tx, T) / expected).toBeCloseTo(1, 8);
    }
  });

  it('never returns NaN or a negative number, even for 5,000 repeat purchases', () => {
    const p = PUBLISHED;
    for (const x of [0, 1, 50, 500, 5000]) {
      for (const tx of [0.5, 20, 38.86]) {
        for (const t of [0, 1e-9, 1, 39, 1e4]) {
          const e = bgnbd.conditionalExpectedPurchases(p, t, x, x === 0 ? 0 : tx, 38.86);
          const alive = bgnbd.probabilityAlive(p, x, x === 0 ? 0 : tx, 38.86);
          expect(e >= 0 && Number.isFinite(e)).toBe(true);
          expect(alive >= 0 && alive <= 1).toBe(true);
        }
      }
    }
    // Active through T with 5,000 purchases in 38.86 weeks: about 5000/(α+T) per week while alive.
    const e = bgnbd.conditionalExpectedPurchases(p, 1, 5000, 38.86, 38.86);
    expect(e).toBeGreaterThan(50);
    expect(e).toBeLessThan(5000.243 / (4.414 + 38.86));
  });

  it('is exactly 1 alive for customers without repeat purchases (BG/NBD)', () => {
    expect(bgnbd.probabilityAlive(PUBLISHED, 0, 0, 50)).toBe(1);
  });

  it('predicts every customer at once exactly as one by one', () => {
    const cdnow = loadCdnowSummary();
    for (const t of [1, 39, 520]) {
      const all = bgnbd.predictAll(PUBLISHED, cdnow, t);
      for (let i = 0; i < cdnow.frequency.length; i += 7) {
        const [x, tx, T] = [cdnow.frequency[i], cdnow.recency[i], cdnow.T[i]];
        expect(all.expectedPurchases[i]).toBeCloseTo(
          bgnbd.conditionalExpectedPurchases(PUBLISHED, t, x, tx, T),
          12,
        );
        expect(all.probabilityAlive[i]).toBeCloseTo(bgnbd.probabilityAlive(PUBLISHED, x, tx, T), 14);
      }
    }
  });
});

describe('BG/NBD predictions for many customers', () => {
  it('gives the same numbers at several horizons in one pass, for small and very large x', () => {
    const random = createSeededRandom(31);
    const rows: [number, number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const T = 78 * random.uniform() ** 2;
      const x = i % 50 === 0 ? 200 + 97 * i : Math.floor(random.exponential(0.3));
      rows.push([x, x === 0 ? 0 : T * Math.sqrt(random.uniform()), T]);
    }
    rows.push([3, 1e-9, 1e-9], [0, 0, 0]); // brand-new customers
    const data = history(rows);
    const params = { r: 0.5, alpha: 2, a: 0.3, b: 0.4 }; // a + b < 1
    const horizons = [0, 4.345, 13, 52, 260];
    const all = bgnbd.predictHorizons(params, data, horizons);
    horizons.forEach((t, h) => {
      const single = bgnbd.predictAll(params, data, t);
      expect(Array.from(all.expectedPurchases[h])).toEqual(Array.from(single.expectedPurchases));
      for (let i = 0; i < rows.length; i += 10) {
        const [x, tx, T] = rows[i];
        const one = bgnbd.conditionalExpectedPurchases(params, t, x, tx, T);
        expect(Math.abs(all.expectedPurchases[h][i] - one)).toBeLessThanOrEqual(1e-12 * one);
        expect(all.probabilityAlive[i]).toBe(single.probabilityAlive[i]);
      }
    });
  });

  it('falls back to the direct series beyond the tabulated range (t > 1.3·10⁵ (α + T))', () => {
    const far = bgnbd.predictAll(PUBLISHED, history([[0, 0, 0.01]]), 6e5);
    // Independent: quadrature of the definition.
    expect(
      far.expectedPurchases[0] / expectedGivenActiveByQuadrature(PUBLISHED, 6e5, 0, 0.01, 0),
    ).toBeCloseTo(1, 9);
  });
});

describe('BG/NBD for a new customer', () => {
  it('has P(X(t) = n) summing to 1 and E[X(t)] = Σ n P(X(t) = n)', () => {
    for (const [t, nMax] of [
      [1, 200],
      [39, 200],
      [78, 1000], // at 78 weeks P(X > 200) is still 2e-8
    ]) {
      let total = 0;
      let mean = 0;
      for (let n = 0; n <= nMax; n++) {
        const pn = bgnbd.probabilityOfPurchases(PUBLISHED, n, t);
        expect(pn >= 0).toBe(true);
        total += pn;
        mean += n * pn;
      }
      expect(total).toBeCloseTo(1, 9);
      expect(mean / bgnbd.expectedPurchasesNewCustomer(PUBLISHED, t)).toBeCloseTo(1, 8);
    }
  });

  it('matches eq. 9 with the hypergeometric function directly', () => {
    const { r, alpha, a, b } = PUBLISHED;
    const t = 39;
    const expected =
      ((a + b - 1) / (a - 1)) *
      (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
    expect(bgnbd.expectedPurchasesNewCustomer(PUBLISHED, t)).toBeCloseTo(expected, 12);
  });

  it('agrees with a simulation of the purchase process', () => {
    const random = createSeededRandom(2005);
    const t = 39;
    const counts: number[] = [];
    for (let i = 0; i < 100000; i++) counts.push(simulateCustomer(random, PUBLISHED, t, 0, false).x);
    const { mean, se } = meanAndStandardError(counts);
    expect(Math.abs(bgnbd.expectedPurchasesNewCustomer(PUBLISHED, t) - mean)).toBeLessThan(3 * se);
    for (const n of [0, 1, 2, 5]) {
      const share = counts.filter((c) => c === n).length / counts.length;
      const p = bgnbd.probabilityOfPurchases(PUBLISHED, n, t);
      expect(Math.abs(share - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / counts.length));
    }
  });
});

describe('BG/NBD fit', () => {
  it('recovers simulated parameters on 60,000 customers through the subsample warm start', () => {
    const random = createSeededRandom(77);
    const truth = { r: 0.5, alpha: 6, a: 0.9, b: 3 };
    const rows: [number, number, number][] = [];
    for (let i = 0; i < 60000; i++) {
      const T = 1 + 77 * random.uniform();
      const c = simulateCustomer(random, truth, T, 0, false);
      rows.push([c.x, c.tx, T]);
    }
    const data = history(rows);
    const fit = bgnbd.fit(data);
    expect(fit.diagnostics.converged).toBe(true);
    BG_PARAM_NAMES.forEach((name) => {
      expect(Math.abs(fit.params[name] - truth[name])).toBeLessThan(3.5 * fit.standardErrors[name]);
    });
    // Same optimum as a plain fit without the warm start.
    const prepared = preparePurchaseHistory(data);
    expect(subsamplePreparedHistory(prepared, 20000)).not.toBeNull();
    const plain = fitByMaximumLikelihood(
      BG_PARAM_NAMES,
      (p, h, g) => betaGeometricLogLikelihood('bgnbd', p, h, g),
      prepared,
      { initial: [0.5, 5, 1, 2], count: prepared.count },
    );
    BG_PARAM_NAMES.forEach((name, i) => expect(fit.params[name] / plain.params[i]).toBeCloseTo(1, 5));
    expect(fit.logLikelihood).toBeCloseTo(plain.logLikelihood, 5);
  });

  it('shrinks the parameters with a penalizer (lifetimes convention: mean −LL + c Σ params²)', () => {
    const cdnow = loadCdnowSummary();
    const penalized = bgnbd.fit(cdnow, { penalizer: 0.01 });
    expect(penalized.penalizer).toBe(0.01);
    expect(penalized.params.alpha).toBeLessThan(4.414);
    const g = new Float64Array(4);
    const p = BG_PARAM_NAMES.map((k) => penalized.params[k]);
    betaGeometricLogLikelihood('bgnbd', p, preparePurchaseHistory(cdnow), g);
    p.forEach((v, i) => expect(g[i] / 2357).toBeCloseTo(2 * 0.01 * v, 5));
    expect(penalized.logLikelihood).toBeLessThan(-9582.4);
  });

  it('explains bad input with typed errors', () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ModelFitError);
        return `${(e as ModelFitError).code}: ${(e as Error).message}`;
      }
      return 'no error';
    };
    expect(code(() => bgnbd.fit(history([])))).toMatch(/^EMPTY_DATA/);
    expect(
      code(() =>
        bgnbd.fit(
          history([
            [0, 0, 5],
            [0, 0, 9],
          ]),
        ),
      ),
    ).toMatch(/^NO_REPEAT_BUYERS/);
    expect(
      code(() =>
        bgnbd.fit(
          history([
            [1, 2, 5],
            [-1, 0, 9],
          ]),
        ),
      ),
    ).toMatch(/^INVALID_DATA: customer at index 1/);
    expect(
      code(() =>
        bgnbd.fit(
          history([
            [1, 2, 5],
            [1, NaN, 9],
          ]),
        ),
      ),
    ).toMatch(/index 1: recency is NaN/);
    expect(code(() => bgnbd.fit(history([[1, 6, 5]])))).toMatch(/index 0: recency 6 is after T 5/);
    expect(
      code(() =>
        bgnbd.fit(
          history([
            [1, 2, 5],
            [0, 3, 9],
          ]),
        ),
      ),
    ).toMatch(/index 1: recency is 3 with frequency 0/);
    expect(code(() => bgnbd.fit(history([[1.5, 2, 5]])))).toMatch(/whole number/);
  });
});

describe('BG/NBD prediction inputs', () => {
  it('rejects impossible histories, horizons and parameters instead of returning NaN', () => {
    expect(() => bgnbd.probabilityAlive(PUBLISHED, 2, 40, 38)).toThrow(/t_x <= T/);
    expect(() => bgnbd.conditionalExpectedPurchases(PUBLISHED, -1, 2, 30, 38)).toThrow(/horizon t is -1/);
    expect(() => bgnbd.conditionalExpectedPurchases({ ...PUBLISHED, a: -1 }, 1, 2, 30, 38)).toThrow(
      ModelFitError,
    );
    expect(() => bgnbd.probabilityOfPurchases(PUBLISHED, 1, NaN)).toThrow(/horizon/);
    expect(() => bgnbd.predictAll(PUBLISHED, history([[0, 1, 5]]), 10)).toThrow(/index 0/);
  });

  it('expects 1/E[p]-style limits at an infinite horizon: (a+b+x−1)/(a−1) when a > 1, ∞ otherwise', () => {
    const p = { r: 0.5, alpha: 3, a: 2.5, b: 4 };
    expect(bgnbd.conditionalExpectedPurchases(p, Infinity, 0, 0, 10)).toBeCloseTo((2.5 + 4 - 1) / 1.5, 12);
    expect(bgnbd.expectedPurchasesNewCustomer(PUBLISHED, Infinity)).toBe(Infinity);
  });
});
