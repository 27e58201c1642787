/**
 * Pareto/NBD predictions: conditional expectation, P(alive), the distribution and mean of purchases for a new
 * customer. Parameters and ages are in the time unit the model was fitted in.
 */
import { integrateOnLine } from '../../math/quadrature';
import { lgamma, lnGammaRatio, logAddExp } from '../../math/special';
import type { ParetoNbdParams, PurchaseHistory } from '../types';
import { probabilityAliveCustomer } from './likelihood';

// Local bindings: under jest's vm context every lookup of the global `Math` goes through an interceptor and
// costs ~40× a plain call, which dominated the test run time of these loops.
const { abs, exp, expm1, log, log1p } = Math;

/**
 * β/(s−1)·[1 − (β/(β+t))^{s−1}]: E[min(τ, t)] for a Pareto(II) lifetime τ with shape s and scale β.
 * Written as −β·expm1((s−1)·ln(β/(β+t)))/(s−1) so it stays accurate as s → 1, where it tends to β ln((β+t)/β).
 */
export function expectedLifetimeWithin(s: number, beta: number, t: number): number {
  const logRatio = log(beta) - log(beta + t); // ln(β/(β+t)) ≤ 0
  const e = (s - 1) * logRatio;
  if (abs(e) < 1e-8) return -beta * logRatio * (1 + e / 2);
  return (-beta * expm1(e)) / (s - 1);
}

/**
 * E[X(t)] for a randomly chosen new customer: rβ/(α(s−1))·[1 − (β/(β+t))^{s−1}] (Schmittlein et al. 1987;
 * Fader & Hardie 2005 note), with the s → 1 limit (r/α)·β·ln((β+t)/β). λ and the lifetime are independent,
 * so it is E[λ]·E[min(τ, t)].
 */
export function expectedPurchasesNewCustomer(params: ParetoNbdParams, t: number): number {
  const { r, alpha, s, beta } = params;
  if (t <= 0) return 0;
  return (r / alpha) * expectedLifetimeWithin(s, beta, t);
}

/**
 * E[X(T, T+t] | x, t_x, T] = (r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^{s−1}]·P(alive)
 * (Schmittlein et al. 1987, eq. 22; Fader & Hardie 2005 note): given alive, λ ~ Γ(r+x, α+T) and
 * μ ~ Γ(s, β+T) independently.
 */
export function conditionalExpectedPurchases(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = params;
  const pAlive = probabilityAliveCustomer(params, x, tx, T);
  return ((r + x) / (alpha + T)) * expectedLifetimeWithin(s, beta + T, t) * pAlive;
}

/**
 * P(X(t) = n) for a new customer (Fader, Hardie & Lee 2006 note, "Deriving an expression for P(X(t) = x) under
 * the Pareto/NBD model"), in the form of their derivation before the ₂F₁ appear:
 *   P(X(t) = n) = NBD(n; r, α, t)·(β/(β+t))^s + ∫_0^t NBD(n; r, α, τ) · sβ^s/(β+τ)^{s+1} dτ,
 * alive at t with n purchases, or dead at τ ∈ (0, t) after n purchases; NBD(n; r, α, τ) =
 * Γ(r+n)/(Γ(r) n!) (α/(α+τ))^r (τ/(α+τ))^n is E_λ[Poisson(n; λτ)] and sβ^s/(β+τ)^{s+1} = E_μ[μ e^{−μτ}], which
 * factor because λ and μ are independent. The ₂F₁ sums of the note need O(t/max(α, β)) terms, each a series
 * of its own; the integral, over v with τ = t/(1 + e^{−v}) (tails e^{(n+1)v} and e^{−v}), takes a few hundred
 * nodes of ../../math/quadrature for any parameters.
 */
export function probabilityOfPurchases(params: ParetoNbdParams, n: number, t: number): number {
  if (!(n >= 0 && Number.isInteger(n))) return 0;
  if (t <= 0) return n === 0 ? 1 : 0;
  const { r, alpha, s, beta } = params;
  // ln[Γ(r+n)/(Γ(r) n!)] with lnGammaRatio: lgamma's rounding at r = 10⁹ is ~10⁻⁶.
  const lnCoefficient = lnGammaRatio(r, n) - lgamma(n + 1);
  const lnNbd = (tau: number, lnTau: number): number =>
    lnCoefficient - r * log1p(tau / alpha) + (n === 0 ? 0 : n * (lnTau - log(alpha + tau)));
  const lnAlive = lnNbd(t, log(t)) - s * log1p(t / beta);
  const lnT = log(t);
  const softplus = (v: number): number => (v > 0 ? v + log1p(exp(-v)) : log1p(exp(v)));
  const died = integrateOnLine(
    (v) => {
      const lnTau = lnT - softplus(-v);
      const tau = exp(lnTau);
      // density of death at τ, s β^s (β+τ)^{−s−1} = (s/β)(1 + τ/β)^{−s−1}; dτ = τ (1 − τ/t) dv
      return lnNbd(tau, lnTau) + log(s / beta) - (s + 1) * log1p(tau / beta) + lnTau - softplus(v);
    },
    { start: 0 },
  );
  return exp(logAddExp(lnAlive, died.logValue));
}

/**
 * Expected purchases over the next t periods and P(alive) for every customer; `data` as accepted by the fit
 * (0 ≤ t_x ≤ T, t_x = 0 when x = 0), not re-validated here.
 */
export function predictAll(
  params: ParetoNbdParams,
  data: PurchaseHistory,
  t: number,
): { expectedPurchases: Float64Array; probabilityAlive: Float64Array } {
  const count = data.frequency.length;
  const expectedPurchases = new Float64Array(count);
  const probabilityAlive = new Float64Array(count);
  const { r, alpha, s, beta } = params;
  for (let i = 0; i < count; i++) {
    const x = data.frequency[i];
    const T = data.T[i];
    const pAlive = probabilityAliveCustomer(params, x, data.recency[i], T);
    probabilityAlive[i] = pAlive;
    expectedPurchases[i] =
      t > 0 ? ((r + x) / (alpha + T)) * expectedLifetimeWithin(s, beta + T, t) * pAlive : 0;
  }
  return { expectedPurchases, probabilityAlive };
}
