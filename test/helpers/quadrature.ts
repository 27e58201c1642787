/**
 * Numerical integration for independent checks of closed forms in tests.
 *
 * betaExpectation: E[g(p)] for p ~ Beta(a, b) by tanh-sinh (double-exponential) quadrature on (0, 1)
 * (Takahasi & Mori 1974): p = 1/(1 + e^{−π sinh s}), so the algebraic end-point singularities of the Beta
 * density (a < 1 or b < 1) are integrated to near machine precision. Everything is kept in logs so the
 * density does not overflow for large b.
 */

import { lbeta } from '../../worker/analytics/math/special';

/** g receives p and 1 − p, each computed without cancellation. */
export function betaExpectation(
  a: number,
  b: number,
  g: (p: number, q: number) => number,
  step = 1 / 128,
): number {
  const lnB = lbeta(a, b);
  const limit = 7;
  let sum = 0;
  for (let s = -limit; s <= limit + 1e-12; s += step) {
    const u = Math.PI * Math.sinh(s);
    // ln p = −ln(1 + e^{−u}), ln q = −ln(1 + e^{u})
    const lnP = u > 0 ? -Math.log1p(Math.exp(-u)) : u - Math.log1p(Math.exp(u));
    const lnQ = u > 0 ? -u - Math.log1p(Math.exp(-u)) : -Math.log1p(Math.exp(u));
    // dp/ds = p q π cosh s
    const lnWeight = a * lnP + b * lnQ - lnB + Math.log(Math.PI * Math.cosh(s));
    if (lnWeight < -745) continue;
    sum += Math.exp(lnWeight) * g(Math.exp(lnP), Math.exp(lnQ));
  }
  return sum * step;
}
