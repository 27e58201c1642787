/**
 * Unconstrained minimisation for the maximum-likelihood fits: BFGS with a More–Thuente-style strong-Wolfe
 * line search (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 6.1 and 3.5/3.6). Models optimise
 * over log-parameters, so positivity needs no constraints.
 */

/** Objective: returns f(x) and, when `grad` is given, writes ∇f(x) into it. */
export type Objective = (x: Float64Array, grad: Float64Array | null) => number;

export type MinimizeOptions = {
  maxIterations?: number;
  /** Stop when the infinity norm of the gradient falls below this. */
  gradientTolerance?: number;
  /** Stop when the relative decrease of f over an iteration falls below this. */
  functionTolerance?: number;
};

export type MinimizeResult = {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  iterations: number;
  evaluations: number;
  converged: boolean;
  message: string;
};

export function minimizeBfgs(
  f: Objective,
  x0: ArrayLike<number>,
  options: MinimizeOptions = {},
): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-6;
  const ftol = options.functionTolerance ?? 1e-13;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(fx)) {
    return result(x, fx, g, 0, evaluations, false, 'objective is not finite at the starting point');
  }
  // Inverse Hessian approximation, row-major.
  const H = identity(n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  let firstStep = true;
  for (let iter = 1; iter <= maxIterations; iter++) {
    if (normInf(g) < gtol) return result(x, fx, g, iter - 1, evaluations, true, 'gradient below tolerance');
    // d = −H g
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc -= H[i * n + j] * g[j];
      d[i] = acc;
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction: reset to steepest descent.
      resetIdentity(H, n);
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dot(g, d);
    }
    const initialStep = firstStep ? Math.min(1, 1 / Math.max(1e-12, normInf(g))) : 1;
    const ls = wolfeLineSearch(f, x, fx, g, d, slope, initialStep, xNew, gNew);
    evaluations += ls.evaluations;
    if (!ls.ok) {
      if (!firstStep) {
        // Retry once from steepest descent with a fresh Hessian before giving up.
        resetIdentity(H, n);
        firstStep = true;
        continue;
      }
      return result(
        x,
        fx,
        g,
        iter,
        evaluations,
        normInf(g) < gtol * 100,
        'line search failed: ' + ls.message,
      );
    }
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const fOld = fx;
    x = Float64Array.from(xNew);
    g = Float64Array.from(gNew);
    fx = ls.value;
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (firstStep) {
        // Scale the initial inverse Hessian (Nocedal & Wright eq. 6.20).
        resetIdentity(H, n, sy / dot(y, y));
        firstStep = false;
      }
      bfgsUpdate(H, s, y, sy, n);
    }
    if (Math.abs(fOld - fx) <= ftol * Math.max(1, Math.abs(fx)) && normInf(g) < gtol * 1e3) {
      return result(x, fx, g, iter, evaluations, true, 'relative function decrease below tolerance');
    }
  }
  return result(x, fx, g, maxIterations, evaluations, normInf(g) < gtol, 'iteration limit reached');
}

type LineSearchResult = { ok: boolean; value: number; evaluations: number; message: string };

function wolfeLineSearch(
  f: Objective,
  x: Float64Array,
  fx: number,
  g: Float64Array,
  d: Float64Array,
  slope0: number,
  step0: number,
  xNew: Float64Array,
  gNew: Float64Array,
): LineSearchResult {
  const c1 = 1e-4;
  const c2 = 0.9;
  const n = x.length;
  let evaluations = 0;
  const phi = (alpha: number): { value: number; slope: number } => {
    for (let i = 0; i < n; i++) xNew[i] = x[i] + alpha * d[i];
    const value = f(xNew, gNew);
    evaluations++;
    return { value, slope: Number.isFinite(value) ? dot(gNew, d) : NaN };
  };
  let lo = 0;
  let fLo = fx;
  let slopeLo = slope0;
  let hi = Infinity;
  let alpha = step0;
  for (let k = 0; k < 60; k++) {
    const p = phi(alpha);
    if (!Number.isFinite(p.value) || p.value > fx + c1 * alpha * slope0 || p.value >= fLo) {
      hi = alpha;
    } else if (Math.abs(p.slope) <= -c2 * slope0) {
      return { ok: true, value: p.value, evaluations, message: '' };
    } else if (p.slope * (hi - lo) >= 0 && Number.isFinite(hi)) {
      hi = lo;
      lo = alpha;
      fLo = p.value;
      slopeLo = p.slope;
    } else {
      lo = alpha;
      fLo = p.value;
      slopeLo = p.slope;
    }
    if (Number.isFinite(hi)) {
      // Zoom: safeguarded quadratic interpolation between lo and hi.
      const width = hi - lo;
      let next =
        lo -
        (slopeLo * width * width) /
          (2 * ((Number.isFinite(p.value) && alpha === hi ? p.value : fLo) - fLo - slopeLo * width));
      const a = Math.min(lo, hi);
      const b = Math.max(lo, hi);
      if (!Number.isFinite(next) || next <= a + 0.1 * (b - a) || next >= b - 0.1 * (b - a))
        next = (lo + hi) / 2;
      alpha = next;
      if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
    } else {
      alpha *= 2;
    }
  }
  // Accept any point with sufficient decrease if the curvature condition could not be met.
  if (lo > 0) {
    const p = phi(lo);
    if (Number.isFinite(p.value) && p.value < fx)
      return { ok: true, value: p.value, evaluations, message: '' };
  }
  return { ok: false, value: fx, evaluations, message: 'no step satisfied the Wolfe conditions' };
}

function bfgsUpdate(H: Float64Array, s: Float64Array, y: Float64Array, sy: number, n: number): void {
  // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / yᵀs
  const rho = 1 / sy;
  const Hy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += H[i * n + j] * y[j];
    Hy[i] = acc;
  }
  const yHy = dot(y, Hy);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
    }
  }
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  resetIdentity(m, n);
  return m;
}

function resetIdentity(m: Float64Array, n: number, scale = 1): void {
  m.fill(0);
  for (let i = 0; i < n; i++) m[i * n + i] = scale;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normInf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function result(
  x: Float64Array,
  value: number,
  gradient: Float64Array,
  iterations: number,
  evaluations: number,
  converged: boolean,
  message: string,
): MinimizeResult {
  return { x, value, gradient, iterations, evaluations, converged, message };
}
