/**
 * Probability calibration of the model's scores, fitted on customers the model was not trained on:
 * - Platt scaling (Platt 1999, "Probabilistic outputs for support vector machines…"): p = σ(a·η + b) on the
 *   logit η, fitted by Newton's method with Platt's smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2), which keep
 *   a and b finite on separable or tiny samples (Lin, Lin & Weng 2007, Alg. 1). Monotone and smooth: the
 *   ranking (ROC AUC) is unchanged. The default.
 * - Isotonic regression by pool-adjacent-violators (Ayer et al. 1955; Zadrozny & Elkan 2002): the
 *   non-decreasing step function of η closest in squared error to the labels. Needs more data (a few
 *   thousand calibration customers) and ties scores within a step.
 */
import { ChurnError } from './types';

const { exp, log, abs } = Math;

export type CalibrationMethod = 'platt' | 'isotonic' | 'none';

export type Calibration =
  | { method: 'platt'; a: number; b: number }
  /** Step function: scores ≤ upper[k] (and > upper[k−1]) map to value[k]; above the last, the last. */
  | { method: 'isotonic'; upper: number[]; value: number[] }
  | { method: 'none' };

export function fitCalibration(method: CalibrationMethod, logits: Float64Array, y: Uint8Array): Calibration {
  if (method === 'none') return { method };
  if (logits.length === 0) {
    throw new ChurnError('NOT_ENOUGH_CHURN_DATA', 'no held-out customers to calibrate the churn model on.');
  }
  return method === 'platt' ? fitPlatt(logits, y) : fitIsotonic(logits, y);
}

export function calibrate(calibration: Calibration, logit: number): number {
  switch (calibration.method) {
    case 'none':
      return 1 / (1 + exp(-logit));
    case 'platt':
      return 1 / (1 + exp(-(calibration.a * logit + calibration.b)));
    case 'isotonic': {
      const { upper, value } = calibration;
      let lo = 0;
      let hi = upper.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (logit <= upper[mid]) hi = mid;
        else lo = mid + 1;
      }
      return value[lo];
    }
  }
}

export function fitPlatt(logits: Float64Array, y: Uint8Array): { method: 'platt'; a: number; b: number } {
  const n = logits.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i];
  const hiTarget = (positives + 1) / (positives + 2);
  const loTarget = 1 / (n - positives + 2);
  const t = (i: number) => (y[i] ? hiTarget : loTarget);
  let a = 1;
  let b = 0;
  // Negative log-likelihood of the smoothed targets, in the overflow-safe form of Lin et al. (2007).
  const nll = (aa: number, bb: number) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const z = aa * logits[i] + bb;
      const ti = t(i);
      f += z >= 0 ? (1 - ti) * z + log(1 + exp(-z)) : -ti * z + log(1 + exp(z));
    }
    return f;
  };
  let f = nll(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let gA = 0;
    let gB = 0;
    let hAA = 1e-12;
    let hAB = 0;
    let hBB = 1e-12;
    for (let i = 0; i < n; i++) {
      const s = logits[i];
      const p = 1 / (1 + exp(-(a * s + b)));
      const d = p - t(i);
      const w = p * (1 - p);
      gA += d * s;
      gB += d;
      hAA += w * s * s;
      hAB += w * s;
      hBB += w;
    }
    if (abs(gA) < 1e-9 * n && abs(gB) < 1e-9 * n) break;
    const det = hAA * hBB - hAB * hAB;
    const dA = -(hBB * gA - hAB * gB) / det;
    const dB = -(-hAB * gA + hAA * gB) / det;
    let step = 1;
    let accepted = false;
    for (let k = 0; k < 40; k++) {
      const fNew = nll(a + step * dA, b + step * dB);
      if (fNew <= f) {
        a += step * dA;
        b += step * dB;
        accepted = f - fNew > 1e-14 * Math.max(1, f);
        f = fNew;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
  }
  return { method: 'platt', a, b };
}

/**
 * Pool-adjacent-violators: the non-decreasing sequence closest in weighted squared error to `y` (taken in
 * the given order). Returns the fitted value per position.
 */
export function poolAdjacentViolators(y: ArrayLike<number>, weight?: ArrayLike<number>): Float64Array {
  const n = y.length;
  const mean = new Float64Array(n);
  const w = new Float64Array(n);
  const size = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    mean[blocks] = y[i];
    w[blocks] = weight ? weight[i] : 1;
    size[blocks] = 1;
    blocks++;
    // Merge backwards while the last two blocks violate the order.
    while (blocks > 1 && mean[blocks - 2] > mean[blocks - 1]) {
      const total = w[blocks - 2] + w[blocks - 1];
      mean[blocks - 2] = (mean[blocks - 2] * w[blocks - 2] + mean[blocks - 1] * w[blocks - 1]) / total;
      w[blocks - 2] = total;
      size[blocks - 2] += size[blocks - 1];
      blocks--;
    }
  }
  const out = new Float64Array(n);
  let i = 0;
  for (let k = 0; k < blocks; k++) for (let s = 0; s < size[k]; s++) out[i++] = mean[k];
  return out;
}

export function fitIsotonic(
  logits: Float64Array,
  y: Uint8Array,
): { method: 'isotonic'; upper: number[]; value: number[] } {
  const order = Int32Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[a] - logits[b]);
  // Equal scores are one point (mean label, weight = count): they must get one value.
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (let k = 0; k < order.length;) {
    const s = logits[order[k]];
    let sum = 0;
    let count = 0;
    while (k < order.length && logits[order[k]] === s) {
      sum += y[order[k]];
      count++;
      k++;
    }
    xs.push(s);
    ys.push(sum / count);
    ws.push(count);
  }
  const fitted = poolAdjacentViolators(ys, ws);
  const upper: number[] = [];
  const value: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    if (k + 1 < xs.length && fitted[k + 1] === fitted[k]) continue;
    upper.push(xs[k]);
    value.push(fitted[k]);
  }
  return { method: 'isotonic', upper, value };
}
