/**
 * The smallest rise in the retention rate a program can detect before it starts: two-sided test of two
 * independent proportions with unequal arms, α 5%, power 80%. Chow, Shao & Wang (2008), "Sample Size
 * Calculations in Clinical Research", 2nd ed., §4.2 (two-sample parallel design, test for equality):
 *   n_c = (z_{1−α/2} + z_{1−β})² · [p_t(1−p_t)/κ + p_c(1−p_c)] / δ², with n_t = κ·n_c and p_t = p_c + δ.
 * Here n_t and n_c are given and δ is solved for: δ = (z_{1−α/2} + z_{1−β}) · √(p_t(1−p_t)/n_t + p_c(1−p_c)/n_c),
 * a fixed point in δ since p_t depends on it.
 */
import { Z_95 } from './proportion-intervals';

/** Φ⁻¹(0.80): the z of 80% power. */
export const Z_POWER_80 = 0.8416212335729143;

/** Above this (in points of retention rate) a program is said to be too small to measure a useful effect. */
export const USEFUL_EFFECT_POINTS = 10;

export type MinimumDetectableEffect = {
  treated: number;
  control: number;
  baselineRate: number;
  /** Absolute rise in the retention rate (0.05 = 5 points); undefined when no rise up to 100% is detectable. */
  effect: number | undefined;
  measurable: boolean;
  words: string;
};

/**
 * Example: minimumDetectableEffect(800, 200, 0.5) → effect ≈ 0.110 (11.0 points): a control arm of 200 is
 * the binding constraint.
 */
export function minimumDetectableEffect(
  treated: number,
  control: number,
  baselineRate: number,
): MinimumDetectableEffect {
  if (!(baselineRate >= 0 && baselineRate <= 1))
    throw new RangeError(`baselineRate must be a proportion from 0 to 1, got ${baselineRate}`);
  const effect = treated > 0 && control > 0 ? solveEffect(treated, control, baselineRate) : undefined;
  const measurable = effect !== undefined && effect * 100 <= USEFUL_EFFECT_POINTS;
  return {
    treated,
    control,
    baselineRate,
    effect,
    measurable,
    words: describe(treated, control, baselineRate, effect),
  };
}

function solveEffect(nT: number, nC: number, p: number): number | undefined {
  const k = Z_95 + Z_POWER_80;
  const varianceControl = (p * (1 - p)) / nC;
  let delta = k * Math.sqrt((p * (1 - p)) / nT + varianceControl);
  // The map δ ↦ k·√(…(p+δ)…) is a contraction for any arm size worth testing; 100 steps is far beyond need.
  for (let i = 0; i < 100; i++) {
    const pT = p + delta;
    if (pT >= 1) return undefined;
    const next = k * Math.sqrt((pT * (1 - pT)) / nT + varianceControl);
    if (Math.abs(next - delta) < 1e-12) return next;
    delta = next;
  }
  return p + delta < 1 ? delta : undefined;
}

function describe(nT: number, nC: number, p: number, effect: number | undefined): string {
  const arms = `${nT} treated and ${nC} control customers at a ${(p * 100).toFixed(1)}% baseline retention rate`;
  if (effect === undefined)
    return `With ${arms} no rise in retention is detectable (power 80%, α 5%): the program is too small to measure anything; widen the eligibility or give the control arm a larger share.`;
  const points = (effect * 100).toFixed(1);
  if (effect * 100 > USEFUL_EFFECT_POINTS)
    return `With ${arms} only a rise of ${points} points or more is detectable (power 80%, α 5%): too small to measure a useful effect; widen the eligibility or give the control arm a larger share.`;
  return `With ${arms} a rise of ${points} points in the retention rate is detectable (power 80%, α 5%).`;
}
