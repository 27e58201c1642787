/**
 * The power series behind the beta-geometric conditional expectation (see ./bg-family-predictions):
 *
 *   H(z) = Σ_{k≥1} c_k z^k,   c_k = (A)_k (a)_{k−1} / ((C+1)_{k−1} k!),   0 ≤ z < 1
 *
 * summed directly (sumSeries) or, for many customers with the same x, from tabulated Taylor expansions
 * (seriesTable + evaluateSeriesTable). H is analytic in the unit disc with its only singularity at z = 1, so
 * the direct series needs ~ln(ε)/ln(z) terms: 350 at z = 0.9, which dominates a million-customer prediction.
 * The tables re-expand H around centres z_c on dyadic bands of w = 1 − z (w in (2^−j−1, 2^−j], each band cut
 * into PIECES pieces of half-width δ). The distance from any centre to z = 1 is at least (2·PIECES + 1)·δ = 17δ, so
 * in u = (z − z_c)/δ ∈ [−1, 1] the coefficients e_n = δⁿ H⁽ⁿ⁾(z_c)/n! fall at least like 17^−n and DEGREE
 * terms reach double precision at every z < 1 − 2^−MAX_LEVEL. Each table is built on first use.
 */

/** Relative accuracy the series are summed to. */
const EPSILON = 1e-16;
/** Safety cap on direct-series terms (z within ~1e-7 of 1). */
const MAX_TERMS = 100_000_000;
const PIECES = 8;
const DEGREE = 16;
const MAX_LEVEL = 16;

/**
 * H(z) by its defining series. The tail after term k is bounded by |term|·q/(1−q) with q ≥ every later term
 * ratio (the ratio factors (A+k)/(k+1) and (a−1+k)/(C+k) are monotone once positive); summation stops when
 * that bound is below EPSILON × max(|H|, scale). `scale` is the size of what H is later combined with.
 */
export function sumSeries(A: number, C: number, a: number, z: number, scale: number): number {
  const validFrom = firstMonotoneIndex(A, C, a);
  let term = A * z;
  let sum = term;
  for (let k = 1; k < MAX_TERMS; k++) {
    term *= (((A + k) / (k + 1)) * (a - 1 + k) * z) / (C + k);
    sum += term;
    if (k + 1 >= validFrom) {
      const q = z * ratioBound(A, C, a, k + 1);
      if (q < 1 && Math.abs(term) * q <= EPSILON * (1 - q) * Math.max(Math.abs(sum), scale)) break;
    }
  }
  return sum;
}

export type SeriesTable = {
  A: number;
  C: number;
  a: number;
  /** Taylor coefficients e_0 … e_{DEGREE−1} per (band, piece), built on first use. */
  regions: (Float64Array | undefined)[];
};

export function seriesTable(A: number, C: number, a: number): SeriesTable {
  return { A, C, a, regions: [] };
}

/** H(1 − w) from the tables; NaN when w is below 2^−(MAX_LEVEL+1) (the caller then sums directly). */
export function evaluateSeriesTable(table: SeriesTable, w: number): number {
  let top = 1;
  let level = 0;
  while (w <= 0.5 * top) {
    top *= 0.5;
    level++;
    if (level > MAX_LEVEL) return NaN;
  }
  const step = (0.5 * top) / PIECES;
  let piece = Math.floor((top - w) / step);
  if (piece >= PIECES) piece = PIECES - 1;
  const index = level * PIECES + piece;
  let e = table.regions[index];
  const wc = top - (piece + 0.5) * step;
  const delta = 0.5 * step;
  if (e === undefined) {
    e = taylorCoefficients(table, 1 - wc, delta);
    table.regions[index] = e;
  }
  // z − z_c = (1 − w) − (1 − w_c)
  const u = (wc - w) / delta;
  let acc = e[DEGREE - 1];
  for (let n = DEGREE - 2; n >= 0; n--) acc = acc * u + e[n];
  return acc;
}

/**
 * e_n = δⁿ Σ_{k≥n} c_k C(k, n) z_c^{k−n}, n < DEGREE: every derivative of the series at z_c in one pass
 * over k, each term from the previous one by C(k, n)/C(k, n−1) = (k−n+1)/n.
 */
function taylorCoefficients(table: SeriesTable, zc: number, delta: number): Float64Array {
  const { A, C, a } = table;
  const e = new Float64Array(DEGREE);
  const validFrom = firstMonotoneIndex(A, C, a);
  const shrink = delta / zc;
  let ck = A; // c_1
  let zk = zc; // z_c^k
  let largest = 0;
  for (let k = 1; k < MAX_TERMS; k++) {
    let t = ck * zk;
    e[0] += t;
    let biggest = Math.abs(t);
    const top = Math.min(k, DEGREE - 1);
    for (let n = 1; n <= top; n++) {
      t *= ((k - n + 1) / n) * shrink;
      e[n] += t;
      if (Math.abs(t) > biggest) biggest = Math.abs(t);
    }
    for (let n = 0; n < DEGREE; n++) if (Math.abs(e[n]) > largest) largest = Math.abs(e[n]);
    if (k >= validFrom && k >= DEGREE) {
      // Later ratios of c_k C(k,n) z_c^{k−n} are at most z_c · ratioBound · (k+1)/(k+1−n), n ≤ DEGREE − 1.
      const q = zc * ratioBound(A, C, a, k) * ((k + 1) / (k + 2 - DEGREE));
      if (q < 1 && biggest * q <= 1e-2 * EPSILON * (1 - q) * largest) break;
    }
    ck *= ((A + k) * (a - 1 + k)) / ((C + k) * (k + 1));
    zk *= zc;
    if (zk === 0) break; // z_c^k underflowed: nothing more to add
  }
  return e;
}

/** First k from which A+k, a−1+k and C+k are all positive, so the ratio factors are monotone. */
function firstMonotoneIndex(A: number, C: number, a: number): number {
  return Math.max(1, Math.floor(-A) + 1, Math.floor(1 - a) + 1, Math.floor(-C) + 1);
}

/** sup over j ≥ k of |c_{j+1}/c_j| (k past firstMonotoneIndex): each monotone factor is bounded by max(1, now). */
function ratioBound(A: number, C: number, a: number, k: number): number {
  return Math.max(1, (A + k) / (k + 1)) * Math.max(1, (a - 1 + k) / (C + k));
}
