/**
 * Maximum-likelihood fitting shared by the transaction models (BG/NBD, MBG/NBD, Pareto/NBD). A model supplies
 * its total log-likelihood with an analytic gradient; this module does the rest the same way for every model.
 *
 * Stable API:
 *
 *   fitByMaximumLikelihood(paramNames, logLikelihood, data, options): MleFit
 *     - logLikelihood(params, data, gradient): total (weighted) log-likelihood of `data` at the natural,
 *       positive `params` (in paramNames order); when `gradient` is not null, also writes ∂LL/∂params into it.
 *       Return -Infinity/NaN where the LL is not finite; the optimiser then backs off.
 *     - options.count: how many customers `data` stands for (sum of the weights); the objective is a mean.
 *     - options.initial: natural-scale starting values. options.penalizer (default 0), options.maxIterations.
 *     - options.hessian(params, data): optional analytic Hessian of the total LL (natural parameters, row-major);
 *       used for the standard errors instead of differencing the gradient (one pass instead of 2k).
 *     - options.warmStart: { data, count } — a small subsample of the same data. When given, the model is fitted
 *       on it first and the full data only polish that solution (see below), which is what makes a million
 *       customers fast.
 *   toFittedModel(name, paramNames, fit, n, penalizer): the FittedModel record of ./types.
 *   observedInformation(logLikelihood, data, params): Hessian of the total negative LL (natural parameters) by
 *     central differences of the analytic gradient; row-major Float64Array.
 *
 * Objective (lifetimes' convention, so penalised fits are comparable with lifetimes):
 *   f(θ) = −LL(e^θ)/count + penalizer · Σ_k (e^θ_k)²
 * minimised by BFGS over θ = ln params, so positivity needs no constraint. The penalty is on the natural
 * parameters, squared, and is added to the MEAN negative LL: it shrinks large parameters (a runaway b, say)
 * and its weight does not grow with the number of customers.
 *
 * Standard errors come from the inverse observed information −∇²LL at the estimate, in natural parameters,
 * WITHOUT the penalty (the penalty is a regulariser, not data). NaN when the matrix is not positive definite.
 *
 * Warm start: after the subsample fit, the Hessian H of the subsample objective (same mean scale as the full
 * objective) is factorised H = L Lᵀ, and the full objective is minimised in y = Lᵀ(θ − θ_sub). In y the
 * Hessian is close to the identity, so BFGS's first steps are already Newton steps and a few full-data
 * evaluations suffice.
 */

import { invertSpd } from '../math/linear-algebra';
import { minimizeBfgs, type MinimizeResult } from '../math/optimize';
import type { FitDiagnostics, FittedModel, ModelName } from './types';
import { ModelFitError } from './types';

export type LogLikelihoodFn<D> = (params: Float64Array, data: D, gradient: Float64Array | null) => number;

export type MleOptions<D> = {
  /** Natural-scale starting values, in paramNames order; all > 0. */
  initial: ArrayLike<number>;
  /** Number of customers `data` stands for (the sum of its weights): the divisor of the mean objective. */
  count: number;
  penalizer?: number;
  maxIterations?: number;
  /** Analytic Hessian of the total LL at natural params (row-major); finite differences of the gradient if absent. */
  hessian?: (params: Float64Array, data: D) => Float64Array;
  /** Optional subsample (with its own count) to fit first; the full data then only polish the solution. */
  warmStart?: { data: D; count: number };
};

export type MleFit = {
  params: Float64Array;
  /** Standard errors in natural parameters from the observed information; NaN when it is singular. */
  standardErrors: Float64Array;
  /** Inverse observed information (row-major), null when not positive definite. */
  covariance: Float64Array | null;
  /** Total log-likelihood at params (penalty not included). */
  logLikelihood: number;
  diagnostics: FitDiagnostics;
};

/** Gradient tolerance (infinity norm, per customer, log-parameters) for convergence. */
const GRADIENT_TOLERANCE = 1e-7;

export function fitByMaximumLikelihood<D>(
  paramNames: readonly string[],
  logLikelihood: LogLikelihoodFn<D>,
  data: D,
  options: MleOptions<D>,
): MleFit {
  const k = paramNames.length;
  const penalizer = options.penalizer ?? 0;
  if (!(penalizer >= 0 && Number.isFinite(penalizer))) {
    throw new ModelFitError('INVALID_DATA', `penalizer must be a finite number >= 0, got ${penalizer}`);
  }
  if (options.initial.length !== k) {
    throw new ModelFitError('INVALID_DATA', `initial must have ${k} values (${paramNames.join(', ')})`);
  }
  for (let i = 0; i < k; i++) {
    const v = options.initial[i];
    if (!(v > 0 && Number.isFinite(v))) {
      throw new ModelFitError(
        'INVALID_DATA',
        `initial ${paramNames[i]} must be a finite number > 0, got ${v}`,
      );
    }
  }
  const maxIterations = options.maxIterations ?? 500;
  const theta0 = Float64Array.from(options.initial, Math.log);
  let evaluations = 0;
  let iterations = 0;
  const warnings: string[] = [];

  let start: Float64Array = theta0;
  let precondition: Float64Array | null = null;
  if (options.warmStart) {
    const sub = options.warmStart;
    const subObjective = logObjective(logLikelihood, sub.data, sub.count, penalizer);
    const res = minimizeBfgs(subObjective, theta0, { maxIterations, gradientTolerance: GRADIENT_TOLERANCE });
    evaluations += res.evaluations;
    iterations += res.iterations;
    if (allFinite(res.x) && Number.isFinite(res.value)) {
      start = res.x;
      const h = hessianOfGradient(
        (theta, g) => {
          evaluations++;
          return subObjective(theta, g);
        },
        res.x,
        1e-4,
        false,
      );
      precondition = choleskyLower(h, k);
    }
  }

  const objective = logObjective(logLikelihood, data, options.count, penalizer);
  let res: MinimizeResult;
  if (precondition) {
    // Minimise over y with θ = start + L⁻ᵀ y; ∇_y f = L⁻¹ ∇_θ f.
    const L = precondition;
    const theta = new Float64Array(k);
    const gTheta = new Float64Array(k);
    const toTheta = (y: ArrayLike<number>, out: Float64Array): void => {
      solveUpperTransposed(L, y, out, k);
      for (let i = 0; i < k; i++) out[i] += start[i];
    };
    const yObjective = (y: Float64Array, grad: Float64Array | null): number => {
      toTheta(y, theta);
      const value = objective(theta, grad ? gTheta : null);
      if (grad) solveLower(L, gTheta, grad, k);
      return value;
    };
    const yRes = minimizeBfgs(yObjective, new Float64Array(k), {
      maxIterations,
      gradientTolerance: GRADIENT_TOLERANCE,
    });
    const x = new Float64Array(k);
    toTheta(yRes.x, x);
    const gradient = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      // ∇_θ f = L ∇_y f
      let acc = 0;
      for (let j = 0; j <= i; j++) acc += L[i * k + j] * yRes.gradient[j];
      gradient[i] = acc;
    }
    res = { ...yRes, x, gradient };
  } else {
    res = minimizeBfgs(objective, start, { maxIterations, gradientTolerance: GRADIENT_TOLERANCE });
  }
  evaluations += res.evaluations;
  iterations += res.iterations;

  const params = Float64Array.from(res.x, Math.exp);
  if (!allFinite(params) || !Number.isFinite(res.value)) {
    throw new ModelFitError(
      'NOT_CONVERGED',
      `the fit did not reach finite parameters (${res.message}); try a penalizer such as 0.001 or other initial values`,
    );
  }
  // The optimiser's last value is −LL/count + penalty at these params: recover LL without another pass.
  let penalty = 0;
  for (let i = 0; i < k; i++) penalty += params[i] * params[i];
  const ll = -(res.value - penalizer * penalty) * options.count;
  let info: Float64Array;
  if (options.hessian) {
    info = options.hessian(params, data).map((v) => -v);
    evaluations++;
  } else {
    info = observedInformation(logLikelihood, data, params);
    evaluations += 2 * k;
  }
  const covariance = invertSpd(info, k);
  const standardErrors = new Float64Array(k).fill(NaN);
  if (covariance) {
    for (let i = 0; i < k; i++) standardErrors[i] = Math.sqrt(covariance[i * k + i]);
  } else {
    warnings.push(
      'the observed information matrix is not positive definite: standard errors are undefined ' +
        '(a parameter may be at a boundary; a small penalizer usually helps)',
    );
  }
  let gradientNorm = 0;
  for (let i = 0; i < k; i++) gradientNorm = Math.max(gradientNorm, Math.abs(res.gradient[i]));
  if (!res.converged) warnings.push(`the optimiser stopped before converging: ${res.message}`);
  return {
    params,
    standardErrors,
    covariance,
    logLikelihood: ll,
    diagnostics: {
      converged: res.converged,
      iterations,
      evaluations,
      gradientNorm,
      message: res.message,
      warnings,
    },
  };
}

/**
 * Observed information −∇²LL at natural `params`: central differences of the analytic gradient with relative
 * step 1e-5 (truncation error O(h²) ≈ 1e-10 relative, far below what standard errors need), symmetrised.
 */
export function observedInformation<D>(
  logLikelihood: LogLikelihoodFn<D>,
  data: D,
  params: ArrayLike<number>,
): Float64Array {
  const h = hessianOfGradient((p, g) => logLikelihood(p, data, g), Float64Array.from(params), 1e-5, true);
  for (let i = 0; i < h.length; i++) h[i] = -h[i];
  return h;
}

/** The FittedModel record for a fit, with params and standard errors keyed by name. */
export function toFittedModel<Name extends ModelName, P extends Record<string, number>>(
  name: Name,
  paramNames: readonly (keyof P & string)[],
  fit: MleFit,
  n: number,
  penalizer: number,
): FittedModel<Name, P> {
  const params = {} as Record<string, number>;
  const standardErrors = {} as Record<string, number>;
  paramNames.forEach((p, i) => {
    params[p] = fit.params[i];
    standardErrors[p] = fit.standardErrors[i];
  });
  return {
    model: name,
    params: params as P,
    standardErrors: standardErrors as { [K in keyof P]: number },
    logLikelihood: fit.logLikelihood,
    n,
    penalizer,
    diagnostics: fit.diagnostics,
  };
}

/** f(θ) = −LL(e^θ)/count + penalizer Σ e^{2θ}, with ∂f/∂θ_k = p_k (−∂LL/∂p_k / count + 2 penalizer p_k). */
function logObjective<D>(
  logLikelihood: LogLikelihoodFn<D>,
  data: D,
  count: number,
  penalizer: number,
): (theta: Float64Array, grad: Float64Array | null) => number {
  return (theta, grad) => {
    const n = theta.length;
    const p = new Float64Array(n);
    let penalty = 0;
    for (let i = 0; i < n; i++) {
      p[i] = Math.exp(theta[i]);
      penalty += p[i] * p[i];
    }
    const ll = logLikelihood(p, data, grad);
    if (!Number.isFinite(ll)) return Infinity;
    if (grad) {
      for (let i = 0; i < n; i++) grad[i] = p[i] * (-grad[i] / count + 2 * penalizer * p[i]);
    }
    return -ll / count + penalizer * penalty;
  };
}

/**
 * Hessian by central differences of a gradient: H[i][j] = (g_i(x + h_j e_j) − g_i(x − h_j e_j)) / 2h_j,
 * then symmetrised. `relative` makes h_j proportional to |x_j| (natural parameters); otherwise h_j = step
 * (log parameters, already on a relative scale).
 */
function hessianOfGradient(
  f: (x: Float64Array, grad: Float64Array) => number,
  x: Float64Array,
  step: number,
  relative: boolean,
): Float64Array {
  const n = x.length;
  const H = new Float64Array(n * n);
  const p = Float64Array.from(x);
  const gPlus = new Float64Array(n);
  const gMinus = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = relative ? step * Math.max(Math.abs(x[j]), 1e-300) : step;
    p[j] = x[j] + h;
    f(p, gPlus);
    p[j] = x[j] - h;
    f(p, gMinus);
    p[j] = x[j];
    const width = x[j] + h - (x[j] - h); // the step actually taken in floating point
    for (let i = 0; i < n; i++) H[i * n + j] = (gPlus[i] - gMinus[i]) / width;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (H[i * n + j] + H[j * n + i]);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

/** Lower Cholesky factor of a symmetric matrix, or null when it is not (numerically) positive definite. */
function choleskyLower(m: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * n + j];
      for (let q = 0; q < j; q++) sum -= L[i * n + q] * L[j * n + q];
      if (i === j) {
        if (!(sum > 1e-14 * Math.abs(m[i * n + i]))) return null;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j];
      }
    }
  }
  return L;
}

/** Solves L out = b for lower-triangular L. */
function solveLower(L: Float64Array, b: ArrayLike<number>, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let acc = b[i];
    for (let j = 0; j < i; j++) acc -= L[i * n + j] * out[j];
    out[i] = acc / L[i * n + i];
  }
}

/** Solves Lᵀ out = b for lower-triangular L. */
function solveUpperTransposed(L: Float64Array, b: ArrayLike<number>, out: Float64Array, n: number): void {
  for (let i = n - 1; i >= 0; i--) {
    let acc = b[i];
    for (let j = i + 1; j < n; j++) acc -= L[j * n + i] * out[j];
    out[i] = acc / L[i * n + i];
  }
}

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
