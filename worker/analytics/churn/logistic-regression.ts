/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS; Hastie, Tibshirani & Friedman, The
 * Elements of Statistical Learning, 2nd ed., §4.4.1, with the ridge term of §4.4.4). Features are
 * standardised with the training rows' means and SDs, stored with the model, so the penalty treats every
 * feature alike and the coefficients are comparable ("standardised coefficients"). Objective:
 *   Σ_i [ln(1 + e^{η_i}) − y_i η_i] + (λ/2) Σ_{j≥1} β_j²,   η_i = β_0 + Σ_j β_j z_ij,
 * with ln(1 + e^η) computed without overflow; the intercept is not penalised. With p ≈ 10–40 features a
 * Newton step costs one pass over the rows plus a p×p solve, and converges in a handful of steps.
 *
 * Sign constraints (`signs`): s_j = +1 keeps β_j ≥ 0, −1 keeps β_j ≤ 0, 0 leaves it free. Correlated
 * features (orders, spend, recent orders) otherwise trade weight until one of them carries the "wrong" sign,
 * and a per-customer explanation built on it says the opposite of the business meaning ("only 13 orders" for
 * a customer with ten times the mean). The constrained problem is still convex; it is solved by Bertsekas'
 * projected Newton method (SIAM J. Control Optim. 20(2), 1982): coefficients at their bound whose gradient
 * points out of the feasible set are held at 0, the Newton step is taken in the others, and the step is
 * projected back onto the constraints with step halving. The result satisfies the KKT conditions: zero
 * gradient in the free coefficients, and a gradient pointing outwards at every bound one.
 */
import { invertSpd } from '../math/linear-algebra';
import { log1pExp } from '../math/special';
import { createRandom } from '../math/random';
import { ChurnError } from './types';

const { exp, abs, sqrt } = Math;

export type LogisticModel = {
  names: string[];
  /** Training means and SDs (SD 1 for constant columns) of the raw feature columns. */
  mean: number[];
  sd: number[];
  intercept: number;
  /** Coefficients on the standardised scale. */
  coefficients: number[];
  l2: number;
  iterations: number;
  converged: boolean;
  /** Mean log-loss on the training rows. */
  logLoss: number;
};

export type LogisticOptions = {
  /** λ of the ridge term (default 1). */
  l2?: number;
  maxIterations?: number;
  /** Rows to use (default all). */
  rows?: Int32Array;
  /**
   * At most this many rows are used (a seeded uniform sample; default 100,000): with tens of coefficients
   * the estimates are settled long before that, and a Newton pass over a million rows is what would
   * dominate the churn stage's time.
   */
  maxRows?: number;
  seed?: number;
  /** Per feature: +1 → β ≥ 0, −1 → β ≤ 0, 0 → free (default all free). */
  signs?: ArrayLike<number>;
};

export function fitLogisticRegression(
  values: Float64Array,
  names: readonly string[],
  y: Uint8Array,
  options: LogisticOptions = {},
): LogisticModel {
  const p = names.length;
  const nAll = y.length;
  if (values.length !== nAll * p) {
    throw new ChurnError('INVALID_CHURN_INPUT', `values must hold ${nAll} rows × ${p} features.`);
  }
  const rows = sampleRows(
    options.rows ?? Int32Array.from({ length: nAll }, (_, i) => i),
    options.maxRows ?? 100_000,
    options.seed ?? 1,
  );
  const n = rows.length;
  if (n === 0) throw new ChurnError('NOT_ENOUGH_CHURN_DATA', 'no training rows for the churn model.');
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  // sign[a] for the parameter vector (intercept first, never constrained).
  const sign = new Int8Array(p + 1);
  if (options.signs) {
    if (options.signs.length !== p) {
      throw new ChurnError('INVALID_CHURN_INPUT', `signs must hold one entry per feature (${p}).`);
    }
    for (let j = 0; j < p; j++) sign[j + 1] = Math.sign(options.signs[j]);
  }

  const { mean, sd } = columnMoments(values, p, rows);
  const z = new Float64Array(n * p);
  const yy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    yy[i] = y[r];
    for (let j = 0; j < p; j++) z[i * p + j] = (values[r * p + j] - mean[j]) / sd[j];
  }
  const q = p + 1; // intercept first
  const beta = new Float64Array(q);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += yy[i];
  // Start at the base rate (clipped so an all-0 or all-1 sample still starts finite).
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / n));
  beta[0] = Math.log(rate / (1 - rate));
  const eta = new Float64Array(n);
  const objective = (b: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let e = b[0];
      const off = i * p;
      for (let j = 0; j < p; j++) e += b[j + 1] * z[off + j];
      eta[i] = e;
      f += log1pExp(e) - yy[i] * e;
    }
    for (let j = 1; j < q; j++) f += 0.5 * l2 * b[j] * b[j];
    return f;
  };
  let f = objective(beta);
  const grad = new Float64Array(q);
  const hess = new Float64Array(q * q);
  const row = new Float64Array(q);
  const trial = new Float64Array(q);
  const step = new Float64Array(q);
  const free = new Uint8Array(q);
  const project = (b: Float64Array) => {
    for (let a = 1; a < q; a++) if (sign[a] * b[a] < 0) b[a] = 0;
  };
  /** Tries β + t·step projected, halving t; true (and β, f updated) on a decrease. */
  const search = (): { moved: boolean; decrease: number; size: number } => {
    let t = 1;
    for (let k = 0; k < 30; k++) {
      for (let a = 0; a < q; a++) trial[a] = beta[a] + t * step[a];
      project(trial);
      const fNew = objective(trial);
      if (fNew <= f) {
        let size = 0;
        for (let a = 0; a < q; a++) size = Math.max(size, abs(trial[a] - beta[a]));
        beta.set(trial);
        const decrease = f - fNew;
        f = fNew;
        return { moved: true, decrease, size };
      }
      t *= 0.5;
    }
    objective(beta); // restore eta
    return { moved: false, decrease: 0, size: 0 };
  };
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations && !converged; iterations++) {
    grad.fill(0);
    hess.fill(0);
    row[0] = 1;
    for (let i = 0; i < n; i++) {
      const pi = 1 / (1 + exp(-eta[i]));
      const w = pi * (1 - pi);
      const resid = pi - yy[i];
      const off = i * p;
      for (let j = 0; j < p; j++) row[j + 1] = z[off + j];
      for (let a = 0; a < q; a++) {
        const ra = row[a];
        grad[a] += resid * ra;
        const wa = w * ra;
        const base = a * q;
        for (let b = 0; b <= a; b++) hess[base + b] += wa * row[b];
      }
    }
    for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) hess[b * q + a] = hess[a * q + b];
    for (let j = 1; j < q; j++) {
      grad[j] += l2 * beta[j];
      hess[j * q + j] += l2;
    }
    // A tiny ridge on the intercept only keeps an all-one-class sample solvable.
    hess[0] += 1e-9 * n;
    // Bound set: at the constraint (within ε) with the descent direction −g pointing out of it.
    let gradNorm = 0;
    for (let a = 0; a < q; a++) {
      free[a] = sign[a] !== 0 && sign[a] * beta[a] <= 1e-10 && sign[a] * grad[a] >= 0 ? 0 : 1;
      if (free[a]) gradNorm = Math.max(gradNorm, abs(grad[a]));
    }
    if (gradNorm < 1e-10 * n) {
      converged = true;
      break;
    }
    const index: number[] = [];
    for (let a = 0; a < q; a++) if (free[a]) index.push(a);
    const k = index.length;
    const sub = new Float64Array(k * k);
    for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) sub[u * k + v] = hess[index[u] * q + index[v]];
    const inverse = invertSpd(sub, k);
    if (!inverse) break;
    step.fill(0);
    for (let u = 0; u < k; u++) {
      let sum = 0;
      for (let v = 0; v < k; v++) sum -= inverse[u * k + v] * grad[index[v]];
      step[index[u]] = sum;
    }
    for (let a = 0; a < q; a++) if (!free[a]) step[a] = -beta[a]; // onto the bound
    // Step halving keeps every iterate a decrease (Newton can overshoot near separation).
    let move = search();
    if (!move.moved) {
      // The projected Newton step found no decrease: a diagonally scaled projected gradient step does
      // whenever the point is not stationary (Bertsekas 1982, §2).
      for (let a = 0; a < q; a++) step[a] = free[a] ? -grad[a] / hess[a * q + a] : -beta[a];
      move = search();
    }
    if (!move.moved) {
      converged = gradNorm < 1e-6 * n;
      break;
    }
    if (move.size < 1e-8 || move.decrease <= 1e-12 * Math.max(1, f)) converged = true;
  }
  let penalty = 0;
  for (let j = 1; j < q; j++) penalty += 0.5 * l2 * beta[j] * beta[j];
  return {
    names: [...names],
    mean,
    sd,
    intercept: beta[0],
    coefficients: Array.from(beta.subarray(1)),
    l2,
    iterations,
    converged,
    logLoss: (f - penalty) / n,
  };
}

/** Linear predictor η = β_0 + Σ β_j (x_j − mean_j)/sd_j per row of `values` (rows × names.length). */
export function logisticLogits(model: LogisticModel, values: Float64Array): Float64Array {
  const p = model.names.length;
  const n = values.length / p;
  const w = new Float64Array(p);
  let c = model.intercept;
  // Fold the standardisation into the weights: one multiply-add per cell.
  for (let j = 0; j < p; j++) {
    w[j] = model.coefficients[j] / model.sd[j];
    c -= w[j] * model.mean[j];
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let e = c;
    const off = i * p;
    for (let j = 0; j < p; j++) e += w[j] * values[off + j];
    out[i] = e;
  }
  return out;
}

/** σ(η) = 1 / (1 + e^{−η}). */
export function sigmoid(eta: number): number {
  return 1 / (1 + exp(-eta));
}

function columnMoments(values: Float64Array, p: number, rows: Int32Array): { mean: number[]; sd: number[] } {
  const n = rows.length;
  const sum = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const off = rows[i] * p;
    for (let j = 0; j < p; j++) sum[j] += values[off + j];
  }
  const mean = Array.from(sum, (s) => s / n);
  const ss = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const off = rows[i] * p;
    for (let j = 0; j < p; j++) {
      const d = values[off + j] - mean[j];
      ss[j] += d * d;
    }
  }
  const sd = Array.from(ss, (s) => {
    const v = sqrt(s / n);
    return v > 1e-12 ? v : 1;
  });
  return { mean, sd };
}

/** A seeded uniform sample of `max` rows (all when there are fewer), kept in row order. */
function sampleRows(rows: Int32Array, max: number, seed: number): Int32Array {
  if (rows.length <= max) return rows;
  const random = createRandom(seed);
  const pick = Int32Array.from(rows);
  // Partial Fisher–Yates.
  for (let i = 0; i < max; i++) {
    const k = i + random.integer(pick.length - i);
    const t = pick[i];
    pick[i] = pick[k];
    pick[k] = t;
  }
  return pick.subarray(0, max).sort();
}
