/**
 * Wilson score interval for a binomial proportion (Wilson 1927, "Probable inference, the law of succession,
 * and statistical inference", JASA 22; recommended over the Wald interval by Brown, Cai & DasGupta 2001,
 * "Interval estimation for a binomial proportion", Statistical Science 16): it stays inside [0, 1] and keeps
 * its coverage for the small deal counts a new rep has.
 *   centre = (p̂ + z²/2n) / (1 + z²/n),  half-width = z √(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n)
 */

/** Two-sided 95% normal quantile. */
export const Z_95 = 1.959963984540054;

export type Interval = { low: number; high: number };

/** The Wilson interval of `successes` out of `trials`; [0, 1] when there are no trials (nothing is known). */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval {
  if (!Number.isInteger(trials) || trials < 0)
    throw new RangeError(`trials must be a non-negative integer, got ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials)
    throw new RangeError(`successes must be an integer in 0…${trials}, got ${successes}`);
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
