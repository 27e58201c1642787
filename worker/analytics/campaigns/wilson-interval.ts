/**
 * Wilson score interval for a binomial proportion (E. B. Wilson, "Probable inference, the law of succession,
 * and statistical inference", JASA 22, 1927): unlike the normal approximation it stays inside [0, 1] and is
 * honest for small samples, so a campaign with 3 members shows how little it says.
 */
export type Interval = { low: number; high: number };

const Z95 = 1.959963984540054;

export function wilsonInterval(successes: number, trials: number, z = Z95): Interval | undefined {
  if (!Number.isInteger(trials) || trials <= 0) return undefined;
  if (!(successes >= 0 && successes <= trials))
    throw new RangeError(`successes ${successes} outside 0..${trials}`);
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
