/**
 * Special functions for the likelihoods. Everything here is pure and allocation-free so it can sit in
 * per-customer loops.
 */

// Local bindings: under jest's sandbox every `Math.x` lookup is far slower than in plain Node, and these
// functions sit in per-customer loops.
const { log, log1p, exp, expm1, abs, sin, PI } = Math;

// Lanczos approximation, g = 7, n = 9 (Press et al., Numerical Recipes 3rd ed., §6.1; coefficients by
// Godfrey). Relative error below 2e-15 for x > 0.
const LANCZOS_G = 7;
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.9189385332046728;
/** Stirling's series coefficients B_{2k}/(2k(2k−1)), k = 1..5. */
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188];

/** ln Γ(x) for x > 0 (reflection for x < 0.5 keeps the Lanczos sum accurate near 0). */
export function lgamma(x: number): number {
  if (x < 0.5) {
    // Γ(x)Γ(1−x) = π / sin(πx)
    return log(PI / abs(sin(PI * x))) - lgamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * log(t) - t + log(sum);
}

/**
 * ln Γ(x + d) − ln Γ(x) for x > 0 and x + d > 0, accurate where the difference of two lgamma values is not:
 * at x = 10⁹, lgamma itself is ~2·10¹⁰ and its rounding (~10⁻⁶) swamps a small difference. Below 15 the
 * recurrence Γ(y+1) = yΓ(y) moves both arguments up (each step a log1p); from there Stirling's series
 * (Abramowitz & Stegun 6.1.41) is differenced term by term, (x+d−½) ln(x+d) − (x−½) ln x written as
 * (x−½)·log1p(d/x) + d·ln(x+d) and each correction 1/y^m as x^{−m}·expm1(−m·log1p(d/x)), so nothing cancels.
 */
export function lnGammaRatio(x: number, d: number): number {
  if (d === 0) return 0;
  let shift = 0;
  while (x < 15 || x + d < 15) {
    // ln Γ(x+d) − ln Γ(x) = [ln Γ(x+1+d) − ln Γ(x+1)] − ln((x+d)/x)
    shift -= log1p(d / x);
    x += 1;
  }
  const ratio = d / x;
  const l = log1p(ratio);
  let value = (x - 0.5) * l + d * log(x + d) - d;
  // Stirling corrections Σ B_{2k} / (2k(2k−1) y^{2k−1}) up to y^−9: below 2e-16 absolute at y ≥ 15.
  let power = 1 / x;
  const inv2 = power * power;
  for (let k = 0; k < STIRLING.length; k++) {
    const m = 2 * k + 1;
    value += STIRLING[k] * power * expm1(-m * l);
    power *= inv2;
  }
  return value + shift;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ψ(x), the digamma function, for x > 0: recurrence up to x ≥ 10, then the asymptotic series. */
export function digamma(x: number): number {
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // Abramowitz & Stegun 6.3.18
  return (
    result +
    log(x) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
  );
}

/** ψ'(x), the trigamma function, for x > 0. */
export function trigamma(x: number): number {
  let result = 0;
  while (x < 10) {
    result += 1 / (x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // Abramowitz & Stegun 6.4.12
  return (
    result +
    inv +
    0.5 * inv2 +
    inv * inv2 * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - inv2 * (5 / 66)))))
  );
}

/** ln(1 + e^x) without overflow. */
export function log1pExp(x: number): number {
  return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

/** ln(e^a − e^b) for a ≥ b; −∞ when equal. */
export function logSubExp(a: number, b: number): number {
  if (b > a) throw new RangeError(`logSubExp needs a >= b, got a=${a}, b=${b}`);
  if (b === -Infinity) return a;
  return a + log1p(-exp(b - a));
}

export type Hyp2f1Result = { logValue: number; sign: 1 | -1; terms: number; converged: boolean };

/**
 * Gauss hypergeometric ₂F₁(a, b; c; z) for |z| < 1 by its power series, summed in log space so that large
 * parameters (a customer with hundreds of repeat purchases) do not overflow. Returns ln|₂F₁| and its sign.
 * Callers near z → 1 should first apply Euler's transformation ₂F₁(a,b;c;z) = (1−z)^(c−a−b) ₂F₁(c−a,c−b;c;z)
 * (Abramowitz & Stegun 15.3.3) when it shrinks the parameters.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number, maxTerms = 100000): Hyp2f1Result {
  if (!(abs(z) < 1)) throw new RangeError(`logHyp2f1 needs |z| < 1, got z=${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`logHyp2f1 is undefined for c=${c}`);
  // Terms are tracked as (sign, ln|term|); the running sum is rescaled by its largest term.
  let logTerm = 0;
  let termSign = 1;
  let scale = 0; // ln of the scale the sum is kept in
  let sum = 1; // sum / e^scale
  let k = 0;
  const logAbsZ = log(abs(z));
  const zSign = z < 0 ? -1 : 1;
  for (; k < maxTerms; k++) {
    const num = (a + k) * (b + k);
    if (num === 0) return finish(sum, scale, k + 1, true);
    const den = (c + k) * (k + 1);
    const ratio = num / den;
    termSign *= (ratio < 0 ? -1 : 1) * zSign;
    logTerm += log(abs(ratio)) + logAbsZ;
    if (logTerm > scale + 30) {
      sum *= exp(scale - logTerm);
      scale = logTerm;
    }
    const term = termSign * exp(logTerm - scale);
    sum += term;
    if (abs(term) <= 1e-16 * abs(sum) && k > 2 && abs(ratio * z) < 1) {
      return finish(sum, scale, k + 1, true);
    }
  }
  return finish(sum, scale, k, false);
}

function finish(sum: number, scale: number, terms: number, converged: boolean): Hyp2f1Result {
  return { logValue: log(abs(sum)) + scale, sign: sum < 0 ? -1 : 1, terms, converged };
}

/** ₂F₁(a, b; c; z) as a plain number (may overflow to ±Infinity; use logHyp2f1 when that matters). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const r = logHyp2f1(a, b, c, z);
  return r.sign * exp(r.logValue);
}
