/**
 * ln ₂F₁(1, p; c; z) for 0 < p < c and 0 ≤ z < 1, with its partial derivatives in p, c and z: the only
 * hypergeometric function the Pareto/NBD likelihood needs once Euler's transformation has been applied (see
 * likelihood.ts). Every series term t_k = (p)_k/(c)_k·z^k is positive and t_{k+1}/t_k = (p+k)/(c+k)·z < z, so
 * the value lies in [1, 1/(1 − z)]: no overflow for any x, which is why the terms need no log-space bookkeeping
 * (the general logHyp2f1 pays a log and an exp per term for that; here it would only cost time).
 *
 * For z ≤ 0.75 the power series converges in at most ~130 terms. Closer to z = 1 it would need O(1/(1 − z))
 * terms, so Gauss's continued fraction is used instead, whose convergents converge in O(1/√(1 − z)) steps for
 * this Stieltjes-type fraction with positive coefficients: ~6,000 steps at 1 − z = 1e-5, but 10⁶ (and still
 * not converged) at 1e-11, where a boundary fit with β/α ≈ 10¹¹ puts a customer without repeat purchases.
 * There (1 − z < NEAR_ONE, c > 1) the incomplete-beta integral of logHyp2f1FirstOneByIntegral is used, at a
 * bounded cost. Derivatives are carried through by forward differentiation of the same recurrences, or under
 * the integral.
 */
import { integrateOnLine } from '../../math/quadrature';

// Local bindings: under jest's vm context every lookup of the global `Math` goes through an interceptor and
// costs ~40× a plain call, which dominated the test run time of these loops.
const { abs, exp, expm1, log, log1p } = Math;

const SERIES_LIMIT = 0.75;
/** 1 − z below which the integral replaces the continued fraction. */
const NEAR_ONE = 1e-5;
const MAX_TERMS = 1_000_000;
const TINY = 1e-300;
const EPS = 1e-17;

/** Terms of the series and steps of the continued fraction (the integral counts in ../../math/quadrature). */
export const hyp2f1Work = { steps: 0 };

/**
 * ln ₂F₁(1, p; c; z). When `gradient` is given, writes [∂/∂p, ∂/∂c, ∂/∂z] of ln ₂F₁ into its first three
 * entries.
 */
export function logHyp2f1FirstOne(
  p: number,
  c: number,
  z: number,
  gradient: Float64Array | null = null,
  /** 1 − z when the caller knows it more accurately than 1 − z rounds (z within 1e-16 of 1). */
  oneMinusZ: number = 1 - z,
): number {
  if (!(p > 0 && c > p && z >= 0 && z <= 1 && oneMinusZ > 0)) {
    throw new RangeError(
      `logHyp2f1FirstOne needs 0 < p < c and 0 ≤ z < 1, got p=${p}, c=${c}, z=${z}, 1 − z=${oneMinusZ}`,
    );
  }
  if (z === 0) {
    if (gradient) {
      gradient[0] = 0;
      gradient[1] = 0;
      gradient[2] = p / c;
    }
    return 0;
  }
  if (z <= SERIES_LIMIT) return powerSeries(p, c, z, gradient);
  if (oneMinusZ < NEAR_ONE && c > 1) return logHyp2f1FirstOneByIntegral(p, c, z, gradient, oneMinusZ);
  return continuedFraction(p, c, z, gradient);
}

/**
 * ₂F₁(1, p; c; z) = (c−1) z^{1−c} (1−z)^e B_z(c−1, −e), e = c−1−p (DLMF 8.17.8, with a = c−1, b = −e), where
 * B_z(c−1, −e) = ∫_0^z τ^{c−2} (1−τ)^{−(c−p)} dτ = z^{c−1}/(c−1) + ∫_0^z τ^{c−2} [(1−τ)^{−(c−p)} − 1] dτ.
 * With τ = zσ, σ = 1/(1+e^{−v}), the powers of z cancel exactly and
 *   ₂F₁ = (c−1) Φ,   Φ = (1−z)^e/(c−1) + ∫ I(v) dv,   I = σ^{c−1} (1−σ) (1−z)^e [(1−τ)^{−(c−p)} − 1].
 * Splitting off the 1 leaves I ≥ 0 with tails e^{cv} and e^{−v}; (1−τ)/(1−z) = 1 + z(1−σ)/(1−z) is formed
 * without cancellation and (1−z)^e (1−τ)^{−(e+1)} = (1−z)^{−1} ((1−τ)/(1−z))^{−(e+1)}, so neither large c nor
 * large e loses digits, and ../../math/quadrature integrates it in a few hundred nodes whatever 1 − z is.
 * Derivatives (when asked) under the integral, as I-weighted means of
 *   ∂ ln I/∂p = −ln(1−z) + ln(1−τ)/(1 − (1−τ)^{c−p}),   ∂ ln I/∂c = ln σ − ∂ ln I/∂p,
 *   ∂ ln I/∂z = [σ(1−z) − e(1−σ)]/((1−z)(1−τ)) + (c−p)σ/((1−τ)(e^y − 1)),   y = −(c−p) ln(1−τ),
 * and of the head term, ∂ ln/∂(p, c, z) = (−ln(1−z), ln(1−z) − 1/(c−1), −e/(1−z)).
 */
export function logHyp2f1FirstOneByIntegral(
  p: number,
  c: number,
  z: number,
  gradient: Float64Array | null = null,
  w: number = 1 - z,
): number {
  const cp = c - p;
  const e = c - 1 - p;
  const lnW = log(w);
  const softplus = (v: number): number => (v > 0 ? v + log1p(exp(-v)) : log1p(exp(v)));
  // Per node: ln σ, 1 − σ, lr = ln((1−τ)/(1−z)) ≥ 0, ln(1−τ), y.
  let lnSigma = 0;
  let oneMinusSigma = 0;
  let lnOneMinusTau = 0;
  let y = 0;
  let lr = 0;
  const at = (v: number): void => {
    lnSigma = -softplus(-v);
    oneMinusSigma = exp(-softplus(v));
    const tau = z * exp(lnSigma);
    // ln(1−τ) and lr = ln((1−τ)/(1−z)), each from the side where it has no cancellation (c − p can be 10⁹).
    if (tau < 0.5) {
      lnOneMinusTau = log1p(-tau);
      lr = lnOneMinusTau - lnW;
    } else {
      lr = log1p((z * oneMinusSigma) / w);
      lnOneMinusTau = lnW + lr;
    }
    y = -cp * lnOneMinusTau;
  };
  const result = integrateOnLine(
    (v) => {
      at(v);
      // ln[(1−z)^e (e^y − 1)]: for y > 1, e·ln(1−z) + y = −ln(1−z) − (e+1)·lr exactly, with no large terms.
      const lnBracket = y > 1 ? -lnW - cp * lr + log1p(-exp(-y)) : e * lnW + log(expm1(y));
      return (c - 1) * lnSigma + log(oneMinusSigma) + lnBracket;
    },
    {
      start: 0,
      moments: gradient
        ? [
            (v) => {
              at(v);
              return -lnW + lnOneMinusTau / -expm1(-y);
            },
            (v) => {
              at(v);
              return lnSigma;
            },
            (v) => {
              at(v);
              const sigma = exp(lnSigma);
              const oneMinusTau = exp(lnOneMinusTau);
              return (
                (sigma * w - e * oneMinusSigma) / (w * oneMinusTau) + (cp * sigma) / (oneMinusTau * expm1(y))
              );
            },
          ]
        : [],
    },
  );
  const lnHead = e * lnW - log(c - 1);
  const lnRest = result.logValue;
  const lnPhi = lnHead > lnRest ? lnHead + log1p(exp(lnRest - lnHead)) : lnRest + log1p(exp(lnHead - lnRest));
  if (gradient) {
    const head = exp(lnHead - lnPhi);
    const rest = exp(lnRest - lnPhi);
    const [dp, lnS, dz] = result.moments;
    gradient[0] = -lnW * head + rest * dp;
    gradient[1] = 1 / (c - 1) + head * (lnW - 1 / (c - 1)) + rest * (lnS - dp);
    gradient[2] = (-e / w) * head + rest * dz;
  }
  return log(c - 1) + lnPhi;
}

/** Σ_k t_k with ∂t_k/∂p = t_k Σ_{j<k} 1/(p+j), ∂t_k/∂c = −t_k Σ_{j<k} 1/(c+j), ∂t_k/∂z = k t_k / z. */
function powerSeries(p: number, c: number, z: number, gradient: Float64Array | null): number {
  let term = 1;
  let sum = 1;
  if (!gradient) {
    let k = 0;
    for (; k < MAX_TERMS; k++) {
      term *= ((p + k) / (c + k)) * z;
      sum += term;
      if (term < EPS * sum) break;
    }
    hyp2f1Work.steps += k;
    return log(sum);
  }
  let sp = 0;
  let sc = 0;
  let dp = 0;
  let dc = 0;
  let dz = 0;
  for (let k = 0; k < MAX_TERMS; k++) {
    term *= ((p + k) / (c + k)) * z;
    sp += 1 / (p + k);
    sc += 1 / (c + k);
    sum += term;
    dp += term * sp;
    dc -= term * sc;
    dz += (k + 1) * term;
    if ((k + 2) * term < EPS * sum) {
      hyp2f1Work.steps += k;
      break;
    }
  }
  gradient[0] = dp / sum;
  gradient[1] = dc / sum;
  gradient[2] = dz / (z * sum);
  return log(sum);
}

/**
 * ₂F₁(a, 1; c+1; z) = ₂F₁(a, b+1; c+1; z)/₂F₁(a, b; c; z) at b = 0, by Gauss's continued fraction
 * 1/(1 − k₁z/(1 − k₂z/(1 − …))) with k_{2n+1} = (a+n)(c−b+n)/((c+2n)(c+2n+1)),
 * k_{2n} = (b+n)(c−a+n)/((c+2n−1)(c+2n)) (from the contiguous relations; Wall 1948, §89; DLMF 15.7),
 * evaluated forwards by the modified Lentz method (Numerical Recipes 3rd ed., §5.2). Here a = p, c = cHyp − 1.
 */
function continuedFraction(p: number, cHyp: number, z: number, gradient: Float64Array | null): number {
  const c = cHyp - 1;
  // h = 1 + a₁/(1 + a₂/(1 + …)) with a_m = −k_m z; ln ₂F₁ = −ln h. C, D are Lentz's ratios; dC*, dD* their
  // derivatives in (p, c, z) and dh* those of ln h.
  let logH = 0;
  let C = 1;
  let D = 0;
  let dCp = 0;
  let dCc = 0;
  let dCz = 0;
  let dDp = 0;
  let dDc = 0;
  let dDz = 0;
  let dhp = 0;
  let dhc = 0;
  let dhz = 0;
  let m = 1;
  for (; m <= MAX_TERMS; m++) {
    const n = m >> 1;
    let k: number;
    let kp: number;
    let kc: number;
    if (m % 2 === 1) {
      const d1 = c + 2 * n;
      const d2 = d1 + 1;
      k = ((p + n) * (c + n)) / (d1 * d2);
      kp = (c + n) / (d1 * d2);
      kc = (p + n) / (d1 * d2) - k * (1 / d1 + 1 / d2);
    } else {
      const d1 = c + 2 * n - 1;
      const d2 = d1 + 1;
      k = (n * (c - p + n)) / (d1 * d2);
      kp = -n / (d1 * d2);
      kc = n / (d1 * d2) - k * (1 / d1 + 1 / d2);
    }
    const am = -k * z;
    let Dden = 1 + am * D;
    if (abs(Dden) < TINY) Dden = TINY;
    const Dnew = 1 / Dden;
    let Cnew = 1 + am / C;
    if (abs(Cnew) < TINY) Cnew = TINY;
    const delta = Cnew * Dnew;
    logH += log(delta);
    if (gradient) {
      const ap = -kp * z;
      const ac = -kc * z;
      const az = -k;
      const D2 = Dnew * Dnew;
      const nDp = -D2 * (ap * D + am * dDp);
      const nDc = -D2 * (ac * D + am * dDc);
      const nDz = -D2 * (az * D + am * dDz);
      const invC = 1 / C;
      const nCp = (ap - am * dCp * invC) * invC;
      const nCc = (ac - am * dCc * invC) * invC;
      const nCz = (az - am * dCz * invC) * invC;
      const incP = nCp / Cnew + nDp / Dnew;
      const incC = nCc / Cnew + nDc / Dnew;
      const incZ = nCz / Cnew + nDz / Dnew;
      dhp += incP;
      dhc += incC;
      dhz += incZ;
      dCp = nCp;
      dCc = nCc;
      dCz = nCz;
      dDp = nDp;
      dDc = nDc;
      dDz = nDz;
      C = Cnew;
      D = Dnew;
      if (
        abs(delta - 1) < 1e-16 &&
        abs(incP) <= 1e-15 * abs(dhp) + 1e-20 &&
        abs(incC) <= 1e-15 * abs(dhc) + 1e-20 &&
        abs(incZ) <= 1e-15 * abs(dhz) + 1e-20
      ) {
        break;
      }
    } else {
      C = Cnew;
      D = Dnew;
      if (abs(delta - 1) < 1e-16) break;
    }
  }
  hyp2f1Work.steps += m;
  if (gradient) {
    gradient[0] = -dhp;
    gradient[1] = -dhc;
    gradient[2] = -dhz;
  }
  return -logH;
}
