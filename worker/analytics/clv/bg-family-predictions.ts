/**
 * Predictions of the beta-geometric family (BG/NBD: σ = 0, MBG/NBD: σ = 1; see ./bg-family-likelihood).
 *
 * All conditional predictions rest on one fact: given the history and that the customer is still active at T,
 * λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x+σ) independently (x+σ dropout coins survived). An active customer
 * with (λ, p) makes (1 − e^{−λpt})/p purchases in the next t on average (FHL 2005, eq. 9 at the individual
 * level), so
 *
 *   E[Y(t) | x, t_x, T] = P(alive) · G(a, b+x+σ, r+x, α+T, t)
 *   G(a, β, R, c, t)    = E_p[(1 − (1 + p t/c)^−R) / p],  p ~ Beta(a, β)
 *                       = (a+β−1)/(a−1) · [1 − (c/(c+t))^R ₂F₁(R, β; a+β−1; z)],  z = t/(c+t)
 *
 * which is FHL 2005 eq. 10 (σ = 0) and Batislam et al. 2007's conditional expectation (σ = 1). The ₂F₁ form
 * breaks in floating point two ways: the parameters grow with x (overflow, slow series at x = 5000), and
 * c = a+b−1 < 0 when x = 0 and a + b < 1 (lifetimes returns garbage there). Euler's transformation
 * (Abramowitz & Stegun 15.3.3) ₂F₁(R, β; C; z) = (1−z)^{C−R−β} ₂F₁(C−R, C−β; C; z) with C = a+β−1 turns the
 * bracket into 1 − (1−z)^{a−1} ₂F₁(A, a−1; C; z), A = C − R = a+b−1−r+σ, whose numerator parameters no longer
 * depend on x. Splitting off the k = 0 term and cancelling (a−1) and C against the Pochhammer symbols
 * ((a−1)_k = (a−1)(a)_{k−1}, (C)_k = C (C+1)_{k−1}) leaves
 *
 *   G = C · [−expm1((a−1) ln(1−z)) / (a−1)] − (1−z)^{a−1} Σ_{k≥1} (A)_k (a)_{k−1} z^k / ((C+1)_{k−1} k!)
 *
 * with no division by a−1 or C, every denominator (C+1 = a+β > 0) positive, and terms that shrink faster as
 * x grows. G is finally clamped to [0, R t/c], its exact bounds (Bernoulli's inequality).
 */

import { lbeta, lgamma, logAddExp } from '../math/special';
import { dropoutShift, type BetaGeometricVariant } from './bg-family-likelihood';
import { evaluateGivenActive, givenActiveTable, sumSeries, type GivenActiveTable } from './bg-family-series';
import { validatePurchaseHistory } from './fit-helpers';
import type { BgNbdParams, PurchaseHistory } from './types';
import { ModelFitError } from './types';

/** Relative accuracy the NBD tail is summed to, and a cap on its terms. */
const SERIES_EPSILON = 1e-16;
const MAX_TERMS = 50_000_000;

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

/** G(a, β, R, c, t) of the header: expected purchases in (T, T+t] of a customer known to be active at T. */
export function expectedPurchasesGivenActive(
  a: number,
  beta: number,
  R: number,
  c: number,
  t: number,
): number {
  if (t === 0) return 0;
  const C = a + beta - 1;
  // t → ∞: every remaining purchase happens, E[1/p] = (a+β−1)/(a−1), finite only for a > 1.
  if (t === Infinity) return a > 1 ? C / (a - 1) : Infinity;
  const A = C - R;
  const s = t / c;
  const z = s / (1 + s);
  const head = leadingTerms(a, C, s);
  const sum = sumSeries(A, C, a, z, head.scale);
  return clampG(head.value - head.power * sum, R * s);
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
 * NBD(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j. The upper tail is summed directly when the head is
 * above ½ so it keeps its relative accuracy far out.
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
  const lnB = lbeta(a, b);
  if (t === 0) return n === 0 ? 1 : 0;
  const lnQ = -Math.log1p(t / alpha); // ln(α/(α+t))
  const lnZ = Math.log(t) - Math.log(alpha + t); // ln(t/(α+t))
  const lgR = lgamma(r);
  const lnPmf = (j: number): number => lgamma(r + j) - lgR - lgamma(j + 1) + r * lnQ + j * lnZ;
  let p = Math.exp(lbeta(a, b + n + sigma) - lnB + lnPmf(n));
  if (n > 0 || sigma === 1) {
    p += Math.exp(lbeta(a + 1, b + n + sigma - 1) - lnB + logUpperTail(r, lnZ, n, lnPmf));
  }
  return Math.min(1, p);
}

type PerFrequency = { table: GivenActiveTable; lnK: number };

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
      const C = a + b + x + sigma - 1;
      perX = { table: givenActiveTable(C - R, C, a), lnK: Math.log(a / (b + x + sigma - 1)) };
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
      let g = evaluateGivenActive(perX.table, 1 / (1 + t * invC));
      // Beyond the tables (t more than 10⁵ × (α+T)): sum the series directly.
      g = Number.isNaN(g) ? expectedPurchasesGivenActive(a, b + x + sigma, R, c, t) : clampG(g, R * t * invC);
      expectedPurchases[h][i] = alive * g;
    }
  }
  return { expectedPurchases, probabilityAlive };
}

/** C·Φ and (1−z)^{a−1} of the header, from s = t/c without cancellation (Φ → −ln(1−z) as a → 1). */
function leadingTerms(a: number, C: number, s: number): { value: number; power: number; scale: number } {
  const L = -Math.log1p(s); // ln(1 − z)
  const y = (a - 1) * L;
  const em = Math.expm1(y);
  const phi = Math.abs(y) < 1e-8 ? -L * (1 + 0.5 * y) : -em / (a - 1);
  const power = 1 + em;
  return { value: C * phi, power, scale: Math.abs(C * phi) / power };
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

/** ln P(N ≥ n) for N ~ NBD(r, α, t); lnZ = ln(t/(α+t)), lnPmf(j) = ln P(N = j). */
function logUpperTail(r: number, lnZ: number, n: number, lnPmf: (j: number) => number): number {
  if (n === 0) return 0;
  // Head Σ_{j<n} P(N = j) in log space (P(0) itself can underflow when the mean is large), each term from
  // the previous one by P(j+1)/P(j) = (r+j) z/(j+1).
  let lnTerm = lnPmf(0);
  let lnHead = lnTerm;
  for (let j = 1; j < n; j++) {
    lnTerm += Math.log((r + j - 1) / j) + lnZ;
    lnHead = logAddExp(lnHead, lnTerm);
  }
  if (lnHead < Math.log(0.5)) return Math.log1p(-Math.exp(lnHead));
  const z = Math.exp(lnZ);
  // Tail Σ_{j≥n} relative to P(N = n); ratios (r+j)z/(j+1) tend to z from one side.
  let rel = 1;
  let sum = 1;
  for (let j = n; j < n + MAX_TERMS; j++) {
    rel *= ((r + j) * z) / (j + 1);
    sum += rel;
    const q = z * Math.max(1, (r + j + 1) / (j + 2));
    if (q < 1 && rel * q <= SERIES_EPSILON * (1 - q) * sum) break;
  }
  return lnPmf(n) + Math.log(sum);
}
