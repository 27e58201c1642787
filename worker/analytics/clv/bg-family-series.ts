/**
 * The function behind the beta-geometric conditional expectation (see ./bg-family-predictions). With
 * w = c/(c+t) = 1 − z, the expected purchases of an active customer are
 *
 *   G(w) = C · (1 − w^{a−1})/(a−1) − w^{a−1} · H(1 − w)
 *   H(z) = Σ_{k≥1} c_k z^k,   c_k = (A)_k (a)_{k−1} / ((C+1)_{k−1} k!)
 *
 * where A, C (and a) depend on the customer's x only. Two ways to get it:
 *
 * - sumSeries: H by its defining series, ~ln(ε)/ln(z) terms (350 at z = 0.9). Used for single customers.
 * - givenActiveTable + evaluateGivenActive: Taylor expansions of the whole G in w on pieces of dyadic bands
 *   w ∈ (2^−j−1, 2^−j], each band cut into PIECES pieces of half-width δ. G's only singularity is at w = 0
 *   (z = 1), at least (2·PIECES + 1)·δ = 33δ from every centre, so in u = (w_c − w)/δ ∈ [−1, 1] the
 *   coefficients fall like 33^−n and DEGREE = 12 of them reach double precision (33^−12 ≈ 2e-18). A million customers then cost one
 *   division and a degree-15 polynomial each, per horizon. Pieces are built on first use, for any t: the
 *   table depends on x (and the parameters) only.
 *
 * The Taylor coefficients of H at z_c are summed from the series in one pass over k,
 *   e_n = δⁿ Σ_{k≥n} c_k C(k, n) z_c^{k−n},
 * each term from the previous one by C(k, n)/C(k, n−1) = (k−n+1)/n. (The hypergeometric equation would give
 * them from H(z_c) and H'(z_c) by a three-term recurrence, but for large x its z^{1−C} solution, C ≈ x, turns
 * rounding into garbage; the sums cost little because the tables are built once per x and piece.)
 * w^{a−1} and (1 − w^{a−1})/(a−1) are expanded by the binomial series, the latter without dividing by a − 1.
 */

/** Relative accuracy the series are summed to. */
const EPSILON = 1e-16;
/** Safety cap on direct-series terms (z within ~1e-7 of 1). */
const MAX_TERMS = 100_000_000;
const PIECES = 16;
const DEGREE = 12;
const MAX_LEVEL = 16;

/**
 * H(z) by its defining series. The tail after term k is bounded by |term|·q/(1−q) with q ≥ every later term
 * ratio (the ratio factors (A+k)/(k+1) and (a−1+k)/(C+k) are monotone once positive); summation stops when
 * that bound is below EPSILON × max(|H|, scale). `scale` is the size of what H is later combined with.
 */
export function sumSeries(A: number, C: number, a: number, z: number, scale: number): number {
  return seriesSum(A, C, a, z, scale);
}

export type GivenActiveTable = {
  A: number;
  C: number;
  a: number;
  /** Taylor coefficients of G, PIECES × DEGREE per band, allocated when the band is first used. */
  bands: (Float64Array | null)[];
  /** 1 where a (band, piece) has been built. */
  built: Uint8Array;
};

export function givenActiveTable(A: number, C: number, a: number): GivenActiveTable {
  // Dense, preallocated arrays: a sparse JS array would drop to dictionary mode and slow every lookup.
  const bands: (Float64Array | null)[] = new Array<Float64Array | null>(MAX_LEVEL + 1).fill(null);
  return { A, C, a, bands, built: new Uint8Array((MAX_LEVEL + 1) * PIECES) };
}

/** G(w) from the tables (unclamped); NaN when w < 2^−(MAX_LEVEL+1) (the caller then sums directly). */
export function evaluateGivenActive(table: GivenActiveTable, w: number): number {
  // Band: w ∈ (top/2, top], top = 2^−level. No divisions: this runs once per customer and horizon.
  let top = 1;
  let invTop = 1;
  let level = 0;
  while (w <= 0.5 * top) {
    top *= 0.5;
    invTop *= 2;
    level++;
    if (level > MAX_LEVEL) return NaN;
  }
  // Position in pieces of width top/(2·PIECES) counted down from top; u = (w_c − w)/δ = 2(scaled − piece − ½).
  const scaled = (top - w) * invTop * (2 * PIECES);
  let piece = scaled | 0;
  if (piece >= PIECES) piece = PIECES - 1;
  const u = 2 * (scaled - piece - 0.5);
  let band = table.bands[level];
  if (band === null) {
    band = new Float64Array(PIECES * DEGREE);
    table.bands[level] = band;
  }
  const at = piece * DEGREE;
  if (table.built[level * PIECES + piece] === 0) {
    const step = (0.5 * top) / PIECES;
    band.set(pieceCoefficients(table, top - (piece + 0.5) * step, 0.5 * step), at);
    table.built[level * PIECES + piece] = 1;
  }
  // Horner on even and odd coefficients separately (two independent chains in u²): half the latency.
  const u2 = u * u;
  let even = band[at + DEGREE - 2];
  let odd = band[at + DEGREE - 1];
  for (let n = DEGREE - 4; n >= 0; n -= 2) {
    even = even * u2 + band[at + n];
    odd = odd * u2 + band[at + n + 1];
  }
  return even + u * odd;
}

/** Coefficients of G in u = (w_c − w)/δ = (z − z_c)/δ. */
function pieceCoefficients(table: GivenActiveTable, wc: number, delta: number): Float64Array {
  const { A, C, a } = table;
  const zc = 1 - wc;
  // w^{a−1} = w_c^{a−1} (1 + ρu)^{a−1}, ρ = −δ/w_c: p_n; (1 − w^{a−1})/(a−1): q_0, and q_n = −r_n (n ≥ 1)
  // with r_n = p_n/(a−1) built without the division.
  const rho = -delta / wc;
  const lnWc = Math.log(wc);
  const y = (a - 1) * lnWc;
  const p = new Float64Array(DEGREE);
  const q = new Float64Array(DEGREE);
  p[0] = Math.exp(y);
  q[0] = Math.abs(y) < 1e-8 ? -lnWc * (1 + 0.5 * y) : -Math.expm1(y) / (a - 1);
  let r = p[0] * rho;
  for (let n = 1; n < DEGREE; n++) {
    if (n > 1) r *= ((a - n) / n) * rho;
    p[n] = (a - 1) * r;
    q[n] = -r;
  }
  const e = taylorCoefficients(A, C, a, zc, delta);
  const f = new Float64Array(DEGREE);
  for (let n = 0; n < DEGREE; n++) {
    let product = 0;
    for (let m = 0; m <= n; m++) product += p[m] * e[n - m];
    f[n] = C * q[n] - product;
  }
  return f;
}

/** e_n = δⁿ Σ_{k≥n} c_k C(k, n) z_c^{k−n}, n < DEGREE: all derivatives of H at z_c in one pass over k. */
function taylorCoefficients(A: number, C: number, a: number, zc: number, delta: number): Float64Array {
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
    if (zk === 0 || ck === 0) break; // nothing more to add
  }
  return e;
}

/** H(z) by its series; see sumSeries. */
function seriesSum(A: number, C: number, a: number, z: number, scale: number): number {
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

/** First k from which A+k, a−1+k and C+k are all positive, so the ratio factors are monotone. */
function firstMonotoneIndex(A: number, C: number, a: number): number {
  return Math.max(1, Math.floor(-A) + 1, Math.floor(1 - a) + 1, Math.floor(-C) + 1);
}

/** sup over j ≥ k of |c_{j+1}/c_j| (k past firstMonotoneIndex): each monotone factor is bounded by max(1, now). */
function ratioBound(A: number, C: number, a: number, k: number): number {
  return Math.max(1, (A + k) / (k + 1)) * Math.max(1, (a - 1 + k) / (C + k));
}
