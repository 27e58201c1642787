/**
 * Confidence intervals for a proportion and for the difference of two independent proportions.
 * Wilson (1927) score interval; Newcombe (1998), "Interval estimation for the difference between independent
 * proportions: comparison of eleven methods", Statistics in Medicine 17:873–890, method 10 (the hybrid score
 * interval built from the two Wilson intervals). Method 10 keeps its coverage near nominal with small arms and
 * rates near 0 or 1, where the Wald interval (method 1) does not.
 */

/** z of a two-sided 95% interval: Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

export type Interval = { estimate: number; low: number; high: number };

/** Wilson score interval of `successes` out of `n` (n > 0). Example: wilsonInterval(56, 70) ≈ 0.6919–0.8740. */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`n must be a positive whole number, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n)
    throw new RangeError(`successes must be a whole number from 0 to n (${n}), got ${successes}`);
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  // Clamped: at p = 0 or 1 the bound is exactly 0 or 1, rounding can leave 1e-17 on the wrong side.
  return {
    estimate: p,
    low: Math.max(0, (centre - spread) / denominator),
    high: Math.min(1, (centre + spread) / denominator),
  };
}

/**
 * Newcombe's hybrid score interval (method 10) for p1 − p2, where p1 = s1/n1 and p2 = s2/n2:
 * L = d − √((p1 − l1)² + (u2 − p2)²), U = d + √((u1 − p1)² + (p2 − l2)²), (l_i, u_i) the Wilson limits.
 * Example (Newcombe 1998, Table II, a): newcombeDifference(56, 70, 48, 80) ≈ 0.2, 0.0524–0.3339.
 */
export function newcombeDifference(s1: number, n1: number, s2: number, n2: number, z = Z_95): Interval {
  const a = wilsonInterval(s1, n1, z);
  const b = wilsonInterval(s2, n2, z);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    low: d - Math.sqrt((a.estimate - a.low) ** 2 + (b.high - b.estimate) ** 2),
    high: d + Math.sqrt((a.high - a.estimate) ** 2 + (b.estimate - b.low) ** 2),
  };
}
