/**
 * Predictions of the beta-geometric family (BG/NBD: σ = 0, MBG/NBD: σ = 1; see ./bg-family-likelihood).
 *
 * All conditional predictions rest on one fact: given the history and that the customer is still active at T,
 * λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x+σ) independently (x+σ dropout coins survived). An active customer
 * with (λ, p) makes (1 − e^{−λpt})/p purchases in the next t on average (FHL 2005, eq. 9 at the individual
 * level), so
 *
 *   E[Y(t) | x, t_x, T] = P(alive) · G(a, b+x+σ, r+x, t/(α+T))
 *   G(a, β, R, s)       = E_p[(1 − (1 + p s)^−R) / p],  p ~ Beta(a, β)
 *
 * which is FHL 2005 eq. 10 (σ = 0) and Batislam et al. 2007's conditional expectation (σ = 1). The ₂F₁ form of
 * those papers breaks in floating point at fitted parameters on the boundary (a → 0 with b in the millions,
 * r → ∞): ./bg-family-series evaluates G by positive-term series or a bounded integral instead. G is clamped
 * to [0, R s], its exact bounds (Bernoulli's inequality).
 */

import { integrateOnLine } from '../math/quadrature';
import { lgamma, lnGammaRatio } from '../math/special';
import { dropoutShift, type BetaGeometricVariant } from './bg-family-likelihood';
import {
  evaluateGivenActive,
  givenActiveExpectation,
  givenActiveTable,
  type GivenActiveTable,
} from './bg-family-series';
import { validatePurchaseHistory } from './fit-helpers';
import type { BgNbdParams, PurchaseHistory } from './types';
import { ModelFitError } from './types';

/** Throws INVALID_DATA unless r, α, a, b are finite and > 0 (plain comparisons: this runs per customer). */
function requireParams(params: BgNbdParams): void {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0 && r + alpha + a + b < Infinity)) {
    throw new ModelFitError(
      'INVALID_DATA',
      `parameters r=${r}, alpha=${alpha}, a=${a}, b=${b} are invalid; pass fitted params (finite, > 0)`,
    );
  }
}

/** Throws INVALID_DATA unless t ≥ 0 and, unless allowed, finite. */
function requireHorizon(t: number, allowInfinity = false): void {
  if (!(t >= 0) || (!allowInfinity && t === Infinity)) {
    throw new ModelFitError('INVALID_DATA', `horizon t is ${t}; it must be a finite number >= 0`);
  }
}

/** The rules of validatePurchaseHistory for one customer. */
function requireCustomer(x: number, tx: number, T: number): void {
  if (!(
    x >= 0 &&
    x < 1e15 &&
    Math.floor(x) === x &&
    tx >= 0 &&
    tx <= T &&
    T < Infinity &&
    (x > 0 || tx === 0)
  )) {
    throw new ModelFitError(
      'INVALID_DATA',
      `history x=${x}, t_x=${tx}, T=${T} is invalid: x must be a whole number >= 0, ` +
        '0 <= t_x <= T finite, and t_x = 0 when x = 0',
    );
  }
}

/** P(alive at T | x, t_x, T): FHL 2005 / Hardie's "Computing P(alive) using the BG/NBD model"; σ = 1 for MBG. */
export function betaGeometricProbabilityAlive(
  variant: BetaGeometricVariant,
  params: BgNbdParams,
  x: number,
  tx: number,
  T: number,
): number {
  requireParams(params);
  requireCustomer(x, tx, T);
  const sigma = dropoutShift(variant);
  if (x === 0 && sigma === 0) return 1;
  const { r, alpha, a, b } = params;
  // ln odds of "dropped out right after the last purchase" vs "still active"
  const lnOdds = Math.log(a / (b + x + sigma - 1)) + (r + x) * Math.log1p((T - tx) / (alpha + tx));
  return logistic(-lnOdds);
}

/** G(a, β, R, t/c) of the header: expected purchases in (T, T+t] of a customer known to be active at T. */
export function expectedPurchasesGivenActive(
  a: number,
  beta: number,
  R: number,
  c: number,
  t: number,
): number {
  if (t === 0) return 0;
  // t → ∞: every remaining purchase happens, E[1/p] = (a+β−1)/(a−1), finite only for a > 1.
  if (t === Infinity) return a > 1 ? (a + beta - 1) / (a - 1) : Infinity;
  const s = t / c;
  return clampG(givenActiveExpectation(a, beta, R, s), R * s);
}

/** E[Y(t) | x, t_x, T] (FHL 2005 eq. 10; Batislam et al. 2007 for MBG/NBD), computed as in the header. */
export function betaGeometricConditionalExpectedPurchases(
  variant: BetaGeometricVariant,
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  requireHorizon(t, true);
  const sigma = dropoutShift(variant);
  const { r, alpha, a, b } = params;
  const alive = betaGeometricProbabilityAlive(variant, params, x, tx, T);
  return alive * expectedPurchasesGivenActive(a, b + x + sigma, r + x, alpha + T, t);
}

/**
 * E[X(t)] for a new customer (FHL 2005 eq. 9): active at 0 with probability 1 (BG/NBD) or b/(a+b) (MBG/NBD,
 * the coin at the first purchase), then G with the prior.
 */
export function betaGeometricExpectedPurchasesNewCustomer(
  variant: BetaGeometricVariant,
  params: BgNbdParams,
  t: number,
): number {
  requireParams(params);
  requireHorizon(t, true);
  const sigma = dropoutShift(variant);
  const { r, alpha, a, b } = params;
  const active = sigma === 1 ? b / (a + b) : 1;
  return active * expectedPurchasesGivenActive(a, b + sigma, r, alpha, t);
}

/**
 * P(X(t) = n) for a new customer (FHL 2005 eq. 8; Batislam et al. 2007 for σ = 1):
 *   B(a, b+n+σ)/B(a,b) · NBD(n) + 1{n>0 or σ=1} · B(a+1, b+n+σ−1)/B(a,b) · P(NBD ≥ n),
 * NBD(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j. P(NBD ≥ n) is the regularized incomplete beta function
 * I_z(n, r), z = t/(α+t) (the negative binomial distribution function: both vanish at z = 0 and have the
 * z-derivative z^{n−1}(1−z)^{r−1}/B(n, r)), taken from its integral so the cost does not grow with n, r or z.
 */
export function betaGeometricProbabilityOfPurchases(
  variant: BetaGeometricVariant,
  params: BgNbdParams,
  n: number,
  t: number,
): number {
  requireParams(params);
  requireHorizon(t);
  if (!(Number.isInteger(n) && n >= 0)) return 0;
  const sigma = dropoutShift(variant);
  const { r, alpha, a, b } = params;
  if (t === 0) return n === 0 ? 1 : 0;
  const lnQ = -Math.log1p(t / alpha); // ln(α/(α+t))
  const lnZ = Math.log(t) - Math.log(alpha + t); // ln(t/(α+t))
  // Differences of ln Γ by lnGammaRatio: lgamma's own rounding at r = 10⁹ or b = 10⁷ is 1e-6 to 1e-8.
  const lnPmf = lnGammaRatio(r, n) - lgamma(n + 1) + r * lnQ + n * lnZ;
  // ln[B(a, b+m)/B(a, b)] = ln[Γ(b+m)/Γ(b)] − ln[Γ(a+b+m)/Γ(a+b)]
  const lnBetaShift = (m: number): number => lnGammaRatio(b, m) - lnGammaRatio(a + b, m);
  let p = Math.exp(lnBetaShift(n + sigma) + lnPmf);
  if (n > 0 || sigma === 1) {
    // B(a+1, y) = B(a, y) · a/(a+y)
    const m = n + sigma - 1;
    p += Math.exp(Math.log(a / (a + b + m)) + lnBetaShift(m) + logNbdUpperTail(r, lnZ, lnQ, n));
  }
  return Math.min(1, p);
}

/**
 * ln P(N ≥ n) for N ~ NBD(r, z): ln I_z(n, r) = ln ∫_0^z y^{n−1}(1−y)^{r−1} dy − ln B(n, r), the integral by
 * ../math/quadrature over v with y = z/(1 + e^{−v}) (tails e^{nv} and e^{−v}, so a few hundred nodes at most).
 */
function logNbdUpperTail(r: number, lnZ: number, lnW: number, n: number): number {
  if (n === 0) return 0;
  const z = Math.exp(lnZ);
  const w = Math.exp(lnW); // 1 − z, accurately
  const softplus = (v: number): number => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
  const { logValue } = integrateOnLine(
    (v) => {
      const lnY = lnZ - softplus(-v); // y = z σ(v)
      const lnRest = -softplus(v); // 1 − y/z = σ(−v); dy = y (1 − y/z) dv
      // ln(1 − y): log1p(−y) while y is small (r can be 10⁹), else (1 − z) + z (1 − σ(v)) near y = 1.
      const y = Math.exp(lnY);
      const lnOneMinusY = y < 0.5 ? Math.log1p(-y) : Math.log(w + z * Math.exp(lnRest));
      return n * lnY + (r - 1) * lnOneMinusY + lnRest;
    },
    { start: Math.log(n / (r + 1)) - lnZ },
  );
  // ln B(n, r) = ln Γ(n) − [ln Γ(r+n) − ln Γ(r)]
  return Math.min(0, logValue - (lgamma(n) - lnGammaRatio(r, n)));
}

type PerFrequency = { table: GivenActiveTable | null; lnK: number };

export type Predictions = {
  /** E[Y(t) | x, t_x, T] per customer. */
  expectedPurchases: Float64Array;
  /** P(alive at T | x, t_x, T) per customer. */
  probabilityAlive: Float64Array;
};

export type HorizonPredictions = {
  /** expectedPurchases[h][i]: E[Y(horizons[h]) | x, t_x, T] of customer i. */
  expectedPurchases: Float64Array[];
  probabilityAlive: Float64Array;
};

/** Conditional expected purchases over the next t and P(alive) for every customer. */
export function betaGeometricPredictAll(
  variant: BetaGeometricVariant,
  params: BgNbdParams,
  data: PurchaseHistory,
  t: number,
): Predictions {
  const out = betaGeometricPredictHorizons(variant, params, data, [t]);
  return { expectedPurchases: out.expectedPurchases[0], probabilityAlive: out.probabilityAlive };
}

/**
 * Conditional expected purchases at several horizons (e.g. the monthly steps of a CLV sum) and P(alive), in
 * one pass: P(alive) once per customer, then one division and one polynomial per horizon (the per-x tables of
 * ./bg-family-series do not depend on t).
 */
export function betaGeometricPredictHorizons(
  variant: BetaGeometricVariant,
  params: BgNbdParams,
  data: PurchaseHistory,
  horizons: readonly number[],
): HorizonPredictions {
  requireParams(params);
  for (const t of horizons) requireHorizon(t);
  validatePurchaseHistory(data, 'the prediction', { requireRepeatBuyers: false });
  const sigma = dropoutShift(variant);
  const { r, alpha, a, b } = params;
  const { frequency, recency, T } = data;
  const n = frequency.length;
  const H = horizons.length;
  const expectedPurchases = horizons.map(() => new Float64Array(n));
  const probabilityAlive = new Float64Array(n);
  // Per distinct x: the table of G and ln(a/(b+x+σ−1)); an array for whole numbers up to 2^20 (the usual
  // case), a Map beyond.
  const byX: (PerFrequency | undefined)[] = [];
  const otherX = new Map<number, PerFrequency>();
  for (let i = 0; i < n; i++) {
    const x = frequency[i];
    const c = alpha + T[i];
    const R = r + x;
    const small = x <= 1 << 20;
    let perX = small ? byX[x] : otherX.get(x);
    if (perX === undefined) {
      perX = { table: givenActiveTable(a, b + x + sigma, R), lnK: Math.log(a / (b + x + sigma - 1)) };
      if (small) byX[x] = perX;
      else otherX.set(x, perX);
    }
    let alive = 1;
    if (x !== 0 || sigma === 1) {
      alive = logistic(-(perX.lnK + R * Math.log1p((T[i] - recency[i]) / (alpha + recency[i]))));
    }
    probabilityAlive[i] = alive;
    const invC = 1 / c;
    for (let h = 0; h < H; h++) {
      const t = horizons[h];
      if (t === 0) continue;
      let g = perX.table === null ? NaN : evaluateGivenActive(perX.table, 1 / (1 + t * invC));
      // No table for this x, or beyond it (t more than 127 (α+T)): evaluate G directly.
      g = Number.isNaN(g) ? expectedPurchasesGivenActive(a, b + x + sigma, R, c, t) : clampG(g, R * t * invC);
      expectedPurchases[h][i] = alive * g;
    }
  }
  return { expectedPurchases, probabilityAlive };
}

function clampG(g: number, upper: number): number {
  if (!(g > 0)) return 0;
  return g < upper ? g : upper;
}

/** 1 / (1 + e^−v) without overflow. */
function logistic(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}
