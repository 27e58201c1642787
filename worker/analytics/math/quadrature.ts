/**
 * ∫ e^{ℓ(v)} dv over the real line for a smooth, unimodal log-integrand ℓ whose tails fall at least linearly,
 * by the trapezoidal rule. For integrands analytic in a strip |Im v| < d the rule converges like e^{−2πd/h}
 * (Trefethen & Weideman 2014, "The exponentially convergent trapezoidal rule", SIAM Review 56(3), §5), so a
 * fixed, modest number of nodes gives double precision: this is how the prediction code turns an infinite
 * or very slowly convergent series into a computation of bounded cost. The caller maps its interval to the
 * line (e.g. y = z/(1 + e^{−v}) for (0, z)), which makes algebraic end-point behaviour exponential decay.
 *
 * The peak v* is found by a doubling search and golden sections, the step h is the smaller of `maxStep`
 * and half the width 1/√(−ℓ''(v*)), each side is summed until the terms have died out, and the step is then
 * halved (adding the midpoints) until two levels agree to `tolerance`.
 */

const { abs, exp, log, max, min, sqrt } = Math;

export type LineIntegral = {
  /** ln ∫ e^{ℓ(v)} dv. */
  logValue: number;
  /** ∫ e^ℓ m_i / ∫ e^ℓ for each of the `moments` functions, on the same nodes. */
  moments: number[];
  /** Evaluations of ℓ (the cost). */
  evaluations: number;
  /** Whether two successive step sizes agreed to the tolerance within the node budget. */
  converged: boolean;
};

export type LineIntegralOptions = {
  /** Where to start looking for the peak. */
  start?: number;
  /** Largest step: ~π/(9·d) for a strip of half-width d (default 0.25, for d = π/2). */
  maxStep?: number;
  /** Agreement of two levels that ends the halving (default 1e-13). */
  tolerance?: number;
  /** Functions m_i(v) whose e^ℓ-weighted means are wanted too (e.g. derivatives under the integral). */
  moments?: ((v: number) => number)[];
};

/** Evaluations of ℓ over all calls, for tests that bound the cost of predictions. */
export const quadratureWork = { evaluations: 0 };

const SMALL = 1e-17;
const MAX_NODES_PER_SIDE = 20000;
const MAX_HALVINGS = 5;
const GOLDEN = (sqrt(5) - 1) / 2;

export function integrateOnLine(
  logF: (v: number) => number,
  options: LineIntegralOptions = {},
): LineIntegral {
  let evaluations = 0;
  const f = (v: number): number => {
    evaluations++;
    const y = logF(v);
    return y === y ? y : -Infinity; // NaN (outside the domain) counts as −∞
  };
  const peak = findPeak(f, options.start ?? 0);
  let center = peak.at;
  let top = peak.value;
  if (!(top > -Infinity) || top === Infinity) {
    quadratureWork.evaluations += evaluations;
    return { logValue: top, moments: [], evaluations, converged: false };
  }
  // Curvature at the peak by central differences with a spacing adapted to it, and Newton steps that move
  // the centre onto the peak of a peak narrower than the golden-section tolerance.
  let spacing = 0.25;
  let kappa = 0;
  for (let i = 0; i < 6; i++) {
    const up = f(center + spacing);
    const down = f(center - spacing);
    kappa = -(up - 2 * top + down) / (spacing * spacing);
    if (!(kappa > 0)) kappa = 1e-6;
    const newton = (up - down) / (2 * spacing * kappa);
    if (abs(newton) < 4 * spacing) {
      const moved = center + newton;
      const value = f(moved);
      if (value > top) {
        center = moved;
        top = value;
      }
    }
    const next = min(0.25, 0.5 / sqrt(kappa));
    if (abs(next - spacing) < 0.2 * spacing && abs(newton) < 0.1 * spacing) break;
    spacing = next;
  }
  let h = min(options.maxStep ?? 0.25, 0.5 / sqrt(kappa));
  const moments = options.moments ?? [];
  const momentSums = new Float64Array(moments.length);
  const term = (v: number): number => {
    const t = exp(f(v) - top);
    if (t > 0) for (let i = 0; i < moments.length; i++) momentSums[i] += t * moments[i](v);
    return t;
  };
  let sum = term(center);
  let left = 0;
  let right = 0;
  let converged = true;
  for (const direction of [1, -1]) {
    let small = 0;
    let previous = Infinity;
    let m = 1;
    for (; m <= MAX_NODES_PER_SIDE; m++) {
      const t = term(center + direction * m * h);
      sum += t;
      small = t <= SMALL * sum && t <= previous ? small + 1 : 0;
      previous = t;
      if (small >= 3) break;
    }
    if (m > MAX_NODES_PER_SIDE) converged = false;
    if (direction > 0) right = min(m, MAX_NODES_PER_SIDE);
    else left = min(m, MAX_NODES_PER_SIDE);
  }
  let integral = h * sum;
  let weights = sum;
  let agreed = false;
  for (let level = 0; level < MAX_HALVINGS; level++) {
    let midpoints = 0;
    for (let m = -left; m < right; m++) midpoints += term(center + (m + 0.5) * h);
    weights += midpoints;
    const refined = 0.5 * (integral + h * midpoints);
    h *= 0.5;
    left *= 2;
    right *= 2;
    agreed = abs(refined - integral) <= (options.tolerance ?? 1e-13) * refined;
    integral = refined;
    if (agreed) break;
  }
  quadratureWork.evaluations += evaluations;
  return {
    logValue: top + log(integral),
    moments: Array.from(momentSums, (s) => s / weights),
    evaluations,
    converged: converged && agreed,
  };
}

/** Maximum of a unimodal f: doubling steps uphill to bracket it, then golden sections to ~1e-3. */
function findPeak(f: (v: number) => number, start: number): { at: number; value: number } {
  let x = start;
  let fx = f(x);
  // From −∞ (outside the domain) step towards where f is finite.
  let step = 1;
  let guard = 0;
  while (fx === -Infinity && guard++ < 60) {
    const up = f(x + step);
    const down = f(x - step);
    if (up > -Infinity || down > -Infinity) {
      x = up >= down ? x + step : x - step;
      fx = max(up, down);
    } else step *= 2;
  }
  let lo = NaN;
  let hi = NaN;
  step = 1;
  const fr = f(x + step);
  const fl = f(x - step);
  if (fr <= fx && fl <= fx) {
    lo = x - step;
    hi = x + step;
  } else {
    const direction = fr > fl ? 1 : -1;
    let previous = x;
    let current = x + direction * step;
    let fc = direction > 0 ? fr : fl;
    for (let i = 0; i < 80; i++) {
      step *= 2;
      const next = current + direction * step;
      const fn = f(next);
      if (fn <= fc) {
        lo = min(previous, next);
        hi = max(previous, next);
        x = current;
        fx = fc;
        break;
      }
      previous = current;
      current = next;
      fc = fn;
    }
    if (Number.isNaN(lo)) {
      lo = min(previous, current);
      hi = max(previous, current);
    }
    if (fc > fx) {
      x = current;
      fx = fc;
    }
  }
  // Golden-section search on [lo, hi].
  let c = hi - GOLDEN * (hi - lo);
  let d = lo + GOLDEN * (hi - lo);
  let fcv = f(c);
  let fdv = f(d);
  for (let i = 0; i < 60 && hi - lo > 1e-3; i++) {
    if (fcv >= fdv) {
      hi = d;
      d = c;
      fdv = fcv;
      c = hi - GOLDEN * (hi - lo);
      fcv = f(c);
    } else {
      lo = c;
      c = d;
      fcv = fdv;
      d = lo + GOLDEN * (hi - lo);
      fdv = f(d);
    }
  }
  const at = fcv >= fdv ? c : d;
  const value = max(fcv, fdv);
  return value >= fx ? { at, value } : { at: x, value: fx };
}
