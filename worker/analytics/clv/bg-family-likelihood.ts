/**
 * Likelihood and fit of the beta-geometric family: BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers
 * the easy way", Marketing Science 24(2)) and MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical
 * validation and comparison of models for customer base analysis", IJRM 24(3)). Both: λ ~ Gamma(r, α),
 * p ~ Beta(a, b), purchases at rate λ while active, a dropout coin with probability p after each purchase.
 * They differ only in whether the coin is also tossed at the first purchase (time 0). With σ = 0 for BG/NBD
 * and σ = 1 for MBG/NBD, the likelihood of (x, t_x, T) is
 *
 *   L = A₁ · B(a, b+x+σ)/B(a, b) · [ (α+T)^−(r+x) + 1{x>0 or σ=1} · a/(b+x+σ−1) · (α+t_x)^−(r+x) ]
 *   A₁ = Γ(r+x) α^r / Γ(r)
 *
 * (FHL 2005 eq. 6 and Hardie's Excel note, ln A₁ + ln A₂ + ln(A₃ + δA₄); Batislam et al. 2007 eq. 5, where
 * B(a+1, b+x)/B(a, b+x+1) = a/(b+x) gives the same shape with one more survived toss).
 */

import { digamma, lgamma, trigamma } from '../math/special';
import { fitByMaximumLikelihood, toFittedModel } from './mle';
import type { PreparedHistory } from './fit-helpers';
import { preparePurchaseHistory, subsamplePreparedHistory, validatePurchaseHistory } from './fit-helpers';
import type { BgNbdParams, FitOptions, FittedModel, PurchaseHistory } from './types';

export type BetaGeometricVariant = 'bgnbd' | 'mbgnbd';

export const BG_PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** σ: 1 when the dropout coin is also tossed at the first purchase (MBG/NBD). */
export function dropoutShift(variant: BetaGeometricVariant): 0 | 1 {
  return variant === 'mbgnbd' ? 1 : 0;
}

/** Above this many rows, fit a subsample first and polish on the full data. */
const WARM_START_ABOVE_ROWS = 50000;
const WARM_START_ROWS = 20000;

/**
 * Total log-likelihood of prepared data at natural params [r, α, a, b]; when `grad` is given, also writes the
 * analytic ∂LL/∂(r, α, a, b). Per customer the loop needs two logarithms, one exponential and one log1p;
 * everything that depends on x alone is tabulated per distinct x.
 */
export function betaGeometricLogLikelihood(
  variant: BetaGeometricVariant,
  params: ArrayLike<number>,
  h: PreparedHistory,
  grad: Float64Array | null,
): number {
  const tab = frequencyTerms(variant, params, h, false);
  if (!tab) return -Infinity;
  const { r, alpha, a, lnK, invD, sigma } = tab;
  let { ll, gR, gAlpha, gB } = tab;
  const { frequency, recency, T, weight, frequencyIndex, rows } = h;
  let sumW2 = 0;
  for (let i = 0; i < rows; i++) {
    const wt = weight === null ? 1 : weight[i];
    const x = frequency[i];
    const R = r + x;
    const aT = alpha + T[i];
    const u = Math.log(aT);
    if (x === 0 && sigma === 0) {
      ll -= wt * R * u;
      gR -= wt * u;
      gAlpha -= (wt * R) / aT;
      continue;
    }
    // ln[(α+T)^−R + K (α+t_x)^−R] = ln(e^c₁ + e^c₂) = max(c₁, c₂) + log1p(e^−|c₁−c₂|); w₂ = share of e^c₂.
    const k = frequencyIndex[i];
    const aTx = alpha + recency[i];
    const v = Math.log(aTx);
    const c1 = -R * u;
    const c2 = lnK[k] - R * v;
    let w2: number;
    if (c2 > c1) {
      const e = Math.exp(c1 - c2);
      ll += wt * (c2 + Math.log1p(e));
      w2 = 1 / (1 + e);
    } else {
      const e = Math.exp(c2 - c1);
      ll += wt * (c1 + Math.log1p(e));
      w2 = e / (1 + e);
    }
    const w1 = 1 - w2;
    gR -= wt * (w1 * u + w2 * v);
    gAlpha -= wt * R * (w1 / aT + w2 / aTx);
    sumW2 += wt * w2;
    gB -= wt * w2 * invD[k];
  }
  if (grad) {
    grad[0] = gR;
    grad[1] = gAlpha;
    grad[2] = tab.gA + sumW2 / a;
    grad[3] = gB;
  }
  return ll;
}

/**
 * Analytic Hessian of the total log-likelihood in natural params (row-major 4×4), for standard errors. A
 * separate loop from the value/gradient one so that each stays small and monomorphic for the JIT.
 * Per customer, with f = ln(e^c₁ + e^c₂): ∇²f = w₁∇²c₁ + w₂∇²c₂ + w₁w₂ ΔΔᵀ, Δ = ∇c₁ − ∇c₂
 * = (v − u, R/(α+t_x) − R/(α+T), −1/a, 1/D), u = ln(α+T), v = ln(α+t_x), D = b+x+σ−1.
 */
export function betaGeometricHessian(
  variant: BetaGeometricVariant,
  params: ArrayLike<number>,
  h: PreparedHistory,
): Float64Array {
  const hess = new Float64Array(16).fill(NaN);
  const tab = frequencyTerms(variant, params, h, true);
  if (!tab) return hess;
  const { r, alpha, a, lnK, invD, sigma } = tab;
  const { frequency, recency, T, weight, frequencyIndex, rows } = h;
  let sumW2 = 0;
  let sRR = 0;
  let sRAlpha = 0;
  let sAlphaAlpha = 0;
  let sRa = 0;
  let sRb = 0;
  let sAlphaA = 0;
  let sAlphaB = 0;
  let sQ = 0;
  let sQD = 0;
  let sQDD = 0;
  let sW2DD = 0;
  for (let i = 0; i < rows; i++) {
    const wt = weight === null ? 1 : weight[i];
    const x = frequency[i];
    const R = r + x;
    const aT = alpha + T[i];
    const iT = 1 / aT;
    if (x === 0 && sigma === 0) {
      sRAlpha -= wt * iT;
      sAlphaAlpha += wt * R * iT * iT;
      continue;
    }
    const k = frequencyIndex[i];
    const aTx = alpha + recency[i];
    const iTx = 1 / aTx;
    const u = Math.log(aT);
    const v = Math.log(aTx);
    const d = lnK[k] - R * v + R * u; // c₂ − c₁
    const w2 = d > 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d));
    const w1 = 1 - w2;
    const q = wt * w1 * w2;
    const dR = v - u;
    const dAlpha = R * (iTx - iT);
    const iD = invD[k];
    sumW2 += wt * w2;
    sRR += q * dR * dR;
    sRAlpha += q * dR * dAlpha - wt * (w1 * iT + w2 * iTx);
    sAlphaAlpha += q * dAlpha * dAlpha + wt * R * (w1 * iT * iT + w2 * iTx * iTx);
    sRa += q * dR;
    sRb += q * dR * iD;
    sAlphaA += q * dAlpha;
    sAlphaB += q * dAlpha * iD;
    sQ += q;
    sQD += q * iD;
    sQDD += q * iD * iD;
    sW2DD += wt * w2 * iD * iD;
  }
  // x-only terms: ∂²(r ln α)/∂r∂α = 1/α and ∂²/∂α² = −r/α² for every customer, plus the trigamma sums.
  const hRAlpha = h.count / alpha + sRAlpha;
  const hAlphaAlpha = (-h.count * r) / (alpha * alpha) + sAlphaAlpha;
  const hRa = -sRa / a;
  const hAlphaA = -sAlphaA / a;
  const hAB = tab.hAB - sQD / a;
  const entries = [
    [tab.hRR + sRR, hRAlpha, hRa, sRb],
    [hRAlpha, hAlphaAlpha, hAlphaA, sAlphaB],
    [hRa, hAlphaA, tab.hAA + (sQ - sumW2) / (a * a), hAB],
    [sRb, sAlphaB, hAB, tab.hBB + sW2DD + sQDD],
  ];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) hess[i * 4 + j] = entries[i][j];
  return hess;
}

type FrequencyTerms = {
  sigma: 0 | 1;
  r: number;
  alpha: number;
  a: number;
  /** ln(a / (b + x + σ − 1)) per distinct x: the log weight of "dropped out right after t_x". */
  lnK: Float64Array;
  /** 1 / (b + x + σ − 1) per distinct x. */
  invD: Float64Array;
  /** Sums over customers of the x-only terms ln A₁ + ln B(a, b+x+σ) − ln B(a, b) and their derivatives. */
  ll: number;
  gR: number;
  gAlpha: number;
  gA: number;
  gB: number;
  hRR: number;
  hAA: number;
  hAB: number;
  hBB: number;
};

/** The x-only parts, once per distinct x weighted by its customers; null for invalid params. */
function frequencyTerms(
  variant: BetaGeometricVariant,
  params: ArrayLike<number>,
  h: PreparedHistory,
  withHessian: boolean,
): FrequencyTerms | null {
  const sigma = dropoutShift(variant);
  const r = params[0];
  const alpha = params[1];
  const a = params[2];
  const b = params[3];
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0) || !Number.isFinite(r + alpha + a + b)) return null;
  const K = h.distinctFrequencies.length;
  const lnK = new Float64Array(K);
  const invD = new Float64Array(K);
  const lnAlpha = Math.log(alpha);
  const lgR = lgamma(r);
  const psiR = digamma(r);
  const lgB = lgamma(b);
  const psiB = digamma(b);
  const lgAB = lgamma(a + b);
  const psiAB = digamma(a + b);
  const lnA = Math.log(a);
  const t = {
    sigma,
    r,
    alpha,
    a,
    lnK,
    invD,
    ll: 0,
    gR: 0,
    gAlpha: 0,
    gA: 0,
    gB: 0,
    hRR: 0,
    hAA: 0,
    hAB: 0,
    hBB: 0,
  };
  const t1R = withHessian ? trigamma(r) : 0;
  const t1B = withHessian ? trigamma(b) : 0;
  const t1AB = withHessian ? trigamma(a + b) : 0;
  for (let k = 0; k < K; k++) {
    const x = h.distinctFrequencies[k];
    const W = h.frequencyWeights[k];
    const bx = b + x + sigma;
    const abx = a + bx;
    // ln A₁ + ln B(a, b+x+σ) − ln B(a, b)  (FHL 2005 eq. 6; Batislam et al. 2007)
    t.ll += W * (lgamma(r + x) - lgR + r * lnAlpha + lgAB + lgamma(bx) - lgB - lgamma(abx));
    const psiAbx = digamma(abx);
    t.gR += W * (digamma(r + x) - psiR + lnAlpha);
    t.gAlpha += (W * r) / alpha;
    t.gA += W * (psiAB - psiAbx);
    t.gB += W * (psiAB + digamma(bx) - psiB - psiAbx);
    if (withHessian) {
      const t1Abx = trigamma(abx);
      t.hRR += W * (trigamma(r + x) - t1R);
      t.hAA += W * (t1AB - t1Abx);
      t.hAB += W * (t1AB - t1Abx);
      t.hBB += W * (t1AB + trigamma(bx) - t1B - t1Abx);
    }
    if (x > 0 || sigma === 1) {
      lnK[k] = lnA - Math.log(bx - 1);
      invD[k] = 1 / (bx - 1);
    }
  }
  return t;
}

/** Maximum-likelihood fit (see ./mle for the objective, penalty and standard errors). */
export function fitBetaGeometric<Name extends BetaGeometricVariant>(
  variant: Name,
  data: PurchaseHistory,
  options: FitOptions = {},
): FittedModel<Name, BgNbdParams> {
  const label = variant === 'bgnbd' ? 'BG/NBD' : 'MBG/NBD';
  const n = validatePurchaseHistory(data, label);
  const prepared = preparePurchaseHistory(data);
  const sub =
    prepared.rows > WARM_START_ABOVE_ROWS ? subsamplePreparedHistory(prepared, WARM_START_ROWS) : null;
  const penalizer = options.penalizer ?? 0;
  const ll = (p: Float64Array, h: PreparedHistory, g: Float64Array | null): number =>
    betaGeometricLogLikelihood(variant, p, h, g);
  const fit = fitByMaximumLikelihood(BG_PARAM_NAMES, ll, prepared, {
    initial: options.initial ?? startingValues(prepared),
    count: prepared.count,
    penalizer,
    maxIterations: options.maxIterations,
    hessian: (p, h) => betaGeometricHessian(variant, p, h),
    warmStart: sub ? { data: sub, count: sub.count } : undefined,
  });
  return toFittedModel<Name, BgNbdParams>(variant, BG_PARAM_NAMES, fit, n, penalizer);
}

/** r = 1 and α from the observed purchase rate (E[λ] = r/α); a = b = 1, a flat prior on p. */
function startingValues(h: PreparedHistory): number[] {
  let purchases = 0;
  let exposure = 0;
  for (let i = 0; i < h.rows; i++) {
    const w = h.weight ? h.weight[i] : 1;
    purchases += w * h.frequency[i];
    exposure += w * h.T[i];
  }
  const alpha = Math.min(1e6, Math.max(1e-6, exposure / Math.max(purchases, 1e-9)));
  return [1, alpha, 1, 1];
}
