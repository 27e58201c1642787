/**
 * Pareto/NBD individual likelihood (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005, "A Note on
 * Deriving the Pareto/NBD Model and Related Expressions", eqs. 22–24), in log space.
 *
 * Given λ and μ, L = λ^x e^{−(λ+μ)T} + λ^x μ ∫_{t_x}^T e^{−(λ+μ)τ} dτ. Mixing over λ ~ Γ(r, α), μ ~ Γ(s, β):
 *
 *   L = Γ(r+x) α^r β^s / Γ(r) · { (α+T)^{−(r+x)} (β+T)^{−s} + s·[I(t_x) − I(T)] },
 *   I(u) = ∫_u^∞ (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ,
 *
 * so that the note's A₀ = (r+s+x)·[I(t_x) − I(T)]. The note writes I(u) with
 * ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+u)) when α ≥ β and ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+u)) when α < β,
 * choosing the larger of α, β so that 0 ≤ z < 1. Euler's transformation (Abramowitz & Stegun 15.3.3) turns
 * both into ₂F₁(1, ·; r+s+x+1; z), whose value stays in [1, 1/(1−z)] however large x is:
 *
 *   α ≥ β: I(u) = (α+u)^{−(r+x)} (β+u)^{−s} ₂F₁(1, r+x; r+s+x+1; (α−β)/(α+u)) / (r+s+x)
 *   α < β: I(u) = (α+u)^{1−r−x} (β+u)^{−(s+1)} ₂F₁(1, s+1; r+s+x+1; (β−α)/(β+u)) / (r+s+x)
 *
 * All powers are taken in logs, so x in the thousands neither overflows nor underflows, and at α = β the
 * hypergeometric factor is exactly 1.
 */
import { lgamma, logAddExp, logSubExp } from '../../math/special';
import type { ParetoNbdParams } from '../types';
import { logHyp2f1FirstOne } from './hyp2f1-unit';

// Local bindings: under jest's vm context every lookup of the global `Math` goes through an interceptor and
// costs ~40× a plain call, which dominated the test run time of these loops.
const { exp, log } = Math;

/**
 * ln I(u) for a customer with x repeat purchases (see the module comment). When `gradient` is given, writes
 * ∂ ln I/∂(r, α, s, β) into its first four entries (chain rule through z and the ₂F₁ parameters).
 */
export function logTailIntegral(
  params: ParetoNbdParams,
  x: number,
  u: number,
  gradient: Float64Array | null = null,
  /** Room for the three ₂F₁ partials, so a caller in a loop can reuse one buffer. */
  hypScratch: Float64Array | null = gradient ? new Float64Array(3) : null,
): number {
  const { r, alpha, s, beta } = params;
  const rsx = r + s + x;
  const au = alpha + u;
  const bu = beta + u;
  const logAu = log(au);
  const logBu = log(bu);
  // Partials of ln ₂F₁ in (p, c, z).
  const h = gradient ? hypScratch : null;
  if (alpha >= beta) {
    // 1 − z = (β+u)/(α+u), passed on: at β/α = 1e-17 the difference 1 − z would round to 0.
    const z = (alpha - beta) / au;
    const logF = logHyp2f1FirstOne(r + x, rsx + 1, z, h, bu / au);
    if (h && gradient) {
      // ∂z/∂α = (β+u)/(α+u)², ∂z/∂β = −1/(α+u); p = r+x, c = r+s+x+1.
      gradient[0] = -logAu - 1 / rsx + h[0] + h[1];
      gradient[1] = -(r + x) / au + (h[2] * bu) / (au * au);
      gradient[2] = -logBu - 1 / rsx + h[1];
      gradient[3] = -s / bu - h[2] / au;
    }
    return -(r + x) * logAu - s * logBu - log(rsx) + logF;
  }
  const z = (beta - alpha) / bu;
  const logF = logHyp2f1FirstOne(s + 1, rsx + 1, z, h, au / bu);
  if (h && gradient) {
    // ∂z/∂α = −1/(β+u), ∂z/∂β = (α+u)/(β+u)²; p = s+1, c = r+s+x+1.
    gradient[0] = -logAu - 1 / rsx + h[1];
    gradient[1] = -(r + x - 1) / au - h[2] / bu;
    gradient[2] = -logBu - 1 / rsx + h[0] + h[1];
    gradient[3] = -(s + 1) / bu + (h[2] * au) / (bu * bu);
  }
  return (1 - r - x) * logAu - (s + 1) * logBu - log(rsx) + logF;
}

/**
 * The two parts of the likelihood bracket, in logs: `alive` = ln[(α+T)^{−(r+x)} (β+T)^{−s}] (the customer is
 * still alive at T) and `died` = ln{s·[I(t_x) − I(T)]} (died between t_x and T; −∞ when t_x = T).
 * `logITx` lets a caller that has already computed ln I(t_x) pass it in.
 */
function logLikelihoodParts(
  params: ParetoNbdParams,
  x: number,
  tx: number,
  T: number,
  logITx = tx < T ? logTailIntegral(params, x, tx) : 0,
  logIT = tx < T ? logTailIntegral(params, x, T) : 0,
): { alive: number; died: number } {
  const { r, alpha, s, beta } = params;
  const alive = -(r + x) * log(alpha + T) - s * log(beta + T);
  // I is decreasing in u; equality (or a rounding inversion) means the died-in-between term vanishes.
  const died = tx < T && logITx > logIT ? log(s) + logSubExp(logITx, logIT) : -Infinity;
  return { alive, died };
}

/** ln Γ(r+x) − ln Γ(r) + r ln α + s ln β: the factor in front of the bracket. */
function logLikelihoodPrefactor(params: ParetoNbdParams, x: number): number {
  const { r, alpha, s, beta } = params;
  return lgamma(r + x) - lgamma(r) + r * log(alpha) + s * log(beta);
}

/** ln L(r, α, s, β | x, t_x, T) for one customer (Fader & Hardie 2005 note, eqs. 22–24). */
export function logLikelihoodCustomer(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { alive, died } = logLikelihoodParts(params, x, tx, T);
  return logLikelihoodPrefactor(params, x) + logAddExp(alive, died);
}

/**
 * P(alive at T | x, t_x, T) = alive / (alive + died) (Fader & Hardie 2005 note, eq. 18; Schmittlein et al.
 * 1987, eq. 11), written as 1/(1 + e^{died − alive}) so neither part has to be exponentiated on its own.
 */
export function probabilityAliveCustomer(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { alive, died } = logLikelihoodParts(params, x, tx, T);
  if (died === -Infinity) return 1;
  return 1 / (1 + exp(died - alive));
}
