/**
 * G(a, β, R, s): the expected purchases in the next t = s·c periods of a beta-geometric customer known to be
 * active now, with p ~ Beta(a, β) and purchase rate λ ~ Gamma(R, c) (see ./bg-family-predictions):
 *
 *   G = E_p[(1 − (1 + p s)^−R) / p]
 *     = C/(a−1) · [1 − (1−z)^R ₂F₁(R, β; C; z)],   C = a+β−1,  z = s/(1+s),  w = 1−z    (FHL 2005, eq. 10)
 *
 * The closed form subtracts two numbers near C/(a−1) whenever β ≫ R: at a fit on the boundary (a ≈ 1e-9,
 * b ≈ 5e6: BG/NBD tending to an NBD without dropout) it keeps no correct digit and its series needs millions
 * of terms; when r ≫ b (regular buyers who never drop out, r ≈ 1e9) its terms grow to 1e300 and alternate.
 * Three cancellation-free forms replace it, each with a budget on its cost:
 *
 * 1. Euler form (R ≤ 2C, C > 0). Euler's transformation (A&S 15.3.3) gives
 *    G = C/(a−1) · [1 − w^{a−1} ₂F₁(a−1, A; C; z)],  A = C − R,
 *    and w^{a−1} ₂F₁(a−1, C; C; z) = 1 (the binomial series), so the 1 cancels analytically:
 *      G = C · w^{a−1} · Σ_{k≥1} (a)_{k−1}/k! · Δ_k · z^k,   Δ_k = 1 − (A)_k/(C)_k = 1 − Π_{i<k} (1 − R/(C+i)).
 *    With R ≤ 2C every factor 1 − R/(C+i) lies in [−1, 1), so 0 ≤ Δ_k ≤ 2: all terms are ≥ 0 and there is
 *    no division by a − 1 (a = 1 and a → 0 are ordinary points). Δ_k is updated as Δ_{k+1} = Δ_k + P_k R/(C+k),
 *    P_{k+1} = P_k (A+k)/(C+k). About ln ε / ln z terms, whatever a, β and R are.
 * 2. Purchase-count form (any parameters). Given (λ, p) the n-th future purchase happens iff N(t) ≥ n and the
 *    n−1 coins before it were survived (FHL 2005, §2: dropout only right after a purchase); mixing λ makes
 *    N(t) negative binomial, π_j = (R)_j/j! w^R z^j, and mixing p gives E(1−p)^{n−1} = (β)_{n−1}/(a+β)_{n−1}:
 *      G = Σ_{j≥1} π_j Ω_j,   Ω_j = Σ_{n=1..j} (β)_{n−1}/(a+β)_{n−1}   (summation by parts).
 *    Positive terms; as a → 0 or β → ∞, Ω_j → j and G → E N(t) = R s, the NBD without dropout. About
 *    R s + 10 √(R s (1+s)) + ln ε / ln z terms.
 * 3. Integral form (bounded cost, used when neither series fits its budget: z very close to 1, or R s huge).
 *    f(p) = (1 − (1+ps)^−R)/p ≥ R s e^{−(R+1)ps/2} ≥ R s (1−p)^K for K = max(1, (R+1)s) (the first step is
 *    (1 − (1+u)^−R)/(Ru) ≥ e^{−(R+1)u/2}: both are 1 − (R+1)u/2 + O(u²) at 0, the left with the larger u²
 *    coefficient, (R+1)(R+2)/6 ≥ (R+1)²/8, and it decays only like 1/(Ru); the tests check it on a grid), and
 *    f(1)p² matches f at p = 1, so with moments of the beta distribution in closed form,
 *      G = R s · E(1−p)^K + f(1) · E p² + aβ/((a+β)(a+β+1)) · E_{Beta(a+1, β+1)}[ψ(p)],
 *      ψ(p) = [f(p) − R s (1−p)^K − f(1) p²] / (p(1−p)),   E(1−p)^K = Γ(β+K)Γ(a+β)/(Γ(β)Γ(a+β+K)),
 *    and ψ is smooth and bounded on [0, 1], so the last expectation has no end-point singularity however small
 *    a or β are. It is integrated over v = ln(p/(1−p)) by the trapezoidal rule, which converges
 *    geometrically for integrands analytic in a strip (Trefethen & Weideman 2014, "The exponentially
 *    convergent trapezoidal rule", SIAM Review 56(3)); the step is halved until two levels agree.
 *
 * Tables for many customers (givenActiveTable + evaluateGivenActive): Taylor expansions of the Euler form in
 * w on pieces of dyadic bands w ∈ (2^−j−1, 2^−j], each band cut into PIECES pieces of half-width δ. G's only
 * singularity is at w = 0, at least 33δ from every centre, so DEGREE = 12 coefficients reach double precision;
 * a million customers then cost one division and one polynomial each per horizon. The coefficients
 * e_n = δⁿ Σ_k d_k C(k, n) z_c^{k−n} of the positive series are summed in one pass over k. Tables exist only
 * where the Euler form is positive and |a − 1| is moderate (the w^{a−1} factor is then a short binomial series)
 * and only down to w = 2^−(MAX_LEVEL+1), where a piece costs a few thousand terms: the caller evaluates G
 * directly elsewhere.
 */

import { lgamma, lnGammaRatio } from '../math/special';

// Local bindings: `Math.x` lookups are slow under jest's sandbox, and these run per customer.
const { abs, exp, expm1, log, log1p, max, min, sqrt } = Math;

/** Relative accuracy the series are summed to. */
const EPSILON = 1.1e-16;
/** Most terms a direct series may take before the integral form is used instead. */
export const SERIES_TERM_BUDGET = 4000;
const PIECES = 16;
const DEGREE = 12;
/** Deepest table band: w ≥ 2^−7, i.e. t ≤ 127 c; below, a piece would cost more than a direct evaluation. */
const MAX_LEVEL = 6;
/** Largest |a − 1| for which a table's binomial factor w^{a−1} stays accurate at DEGREE. */
const MAX_TABLE_EXPONENT = 8;

/** Counts of the work done, for tests that bound the cost of predictions (terms, nodes, table pieces). */
export const seriesWork = { terms: 0, nodes: 0, pieces: 0 };

export type GivenActiveMethod = 'euler' | 'purchase-count' | 'integral';

/**
 * G(a, β, R, s) of the module comment, for s = t/c ≥ 0 finite; `method` forces one form (tests), otherwise
 * the cheapest whose budget suffices. Any call costs at most 3·SERIES_TERM_BUDGET series terms plus one
 * integral of a few hundred nodes.
 */
export function givenActiveExpectation(
  a: number,
  beta: number,
  R: number,
  s: number,
  method?: GivenActiveMethod,
): number {
  if (!(s > 0)) return 0;
  const C = a + beta - 1;
  const A = a - 1 + (beta - R);
  // ln z = −ln(1 + 1/s); the geometric tail of either series needs ~ln ε / ln z terms.
  const lnZ = -log1p(1 / s);
  const tail = 37 / -lnZ;
  if (
    method === 'euler' ||
    (method === undefined && eulerApplies(C, R) && tail + max(0, a - 1) * (s + 1) * 2 < SERIES_TERM_BUDGET)
  ) {
    const sum = eulerSeries(a, C, A, R, exp(lnZ), method === 'euler' ? Infinity : SERIES_TERM_BUDGET);
    // G = C · w^{a−1} · Σ, with w^{a−1} = (1+s)^{1−a} taken in logs (it overflows for large a and s).
    if (sum >= 0) return exp(log(C) - (a - 1) * log1p(s) + log(sum));
  }
  const rs = R * s;
  if (
    method === 'purchase-count' ||
    (method === undefined && rs + 10 * sqrt(rs * (1 + s)) + tail < SERIES_TERM_BUDGET)
  ) {
    const g = purchaseCountSeries(
      a,
      beta,
      R,
      s,
      method === 'purchase-count' ? Infinity : 2 * SERIES_TERM_BUDGET,
    );
    if (g >= 0) return g;
  }
  return integralForm(a, beta, R, s);
}

/** Whether the Euler form has only non-negative terms: C > 0 and every 1 − R/(C+i) ∈ [−1, 1). */
function eulerApplies(C: number, R: number): boolean {
  return C > 0 && R <= 2 * C;
}

/**
 * Σ_{k≥1} (a)_{k−1}/k! Δ_k z^k (form 1), or −1 when `budget` terms do not reach EPSILON. Tail bound after
 * term k: for j > k, Δ_j ≤ Δ_k + |P_k| (j−k) R/(C+k) (|P| is non-increasing, R/(C+i) decreasing) and
 * u_{j+1}/u_j = (a+j−1) z/(j+1) ≤ q, so Σ_{j>k} u_j Δ_j ≤ u_{k+1} [Δ_k/(1−q) + |P_k| R/(C+k)/(1−q)²].
 */
function eulerSeries(a: number, C: number, A: number, R: number, z: number, budget: number): number {
  let u = z; // u_k = (a)_{k−1}/k! z^k
  let P = A / C; // P_k = Π_{i<k} (A+i)/(C+i)
  let D = R / C; // Δ_k = 1 − P_k
  let sum = u * D;
  let k = 1;
  for (; k < budget; k++) {
    const x = R / (C + k);
    const next = (u * (a + k - 1) * z) / (k + 1); // u_{k+1}
    const q = z * max(1, (a + k) / (k + 2));
    if (q < 1) {
      const oneMinus = 1 - q;
      const tail = next * (D / oneMinus + (abs(P) * x) / (oneMinus * oneMinus));
      if (tail <= EPSILON * sum) break;
    }
    D += P * x;
    P *= (A + k) / (C + k);
    u = next;
    sum += u * D;
  }
  seriesWork.terms += k;
  return k < budget ? sum : -1;
}

/**
 * Σ_{j≥1} π_j Ω_j (form 2), or −1 when `budget` terms do not reach EPSILON. π_0 = w^R is kept as a log
 * scale, so the terms neither underflow nor overflow. Tail bound after term j > R s: Ω_i/i is non-increasing
 * and (i+1)π_{i+1}/(i π_i) = (R+i) z/i ≤ q = (R+j) z/j for i ≥ j, so Σ_{i>j} π_i Ω_i ≤ π_j Ω_j q/(1−q).
 */
function purchaseCountSeries(a: number, beta: number, R: number, s: number, budget: number): number {
  const z = s / (1 + s);
  let logScale = -R * log1p(s); // ln π_0
  let pi = 1; // π_j / e^logScale
  let omega = 1; // ω_j = (β)_{j−1}/(a+β)_{j−1}
  let Omega = 0;
  let sum = 0;
  const mean = R * s;
  let j = 1;
  for (; j < budget; j++) {
    pi *= ((R + j - 1) * z) / j;
    Omega += omega;
    omega *= (beta + j - 1) / (a + beta + j - 1);
    const term = pi * Omega;
    sum += term;
    if (pi > 1e250) {
      pi *= 1e-250;
      sum *= 1e-250;
      logScale += 250 * Math.LN10;
    }
    if (j > mean) {
      const q = ((R + j) * z) / j;
      if (q < 1 && term * q <= EPSILON * (1 - q) * sum) break;
    }
  }
  seriesWork.terms += j;
  if (j >= budget) return -1;
  return sum > 0 ? exp(log(sum) + logScale) : 0;
}

/** E(1−p)^K for p ~ Beta(a, β): Γ(β+K)Γ(a+β)/(Γ(β)Γ(a+β+K)) = exp(ln[Γ(a+β)/Γ(β)] − ln[Γ(a+β+K)/Γ(β+K)]). */
function betaMomentOfComplement(a: number, beta: number, K: number): number {
  return exp(lnGammaRatio(beta, a) - lnGammaRatio(beta + K, a));
}

/** y − 1 + e^{−y} ≥ 0 without cancellation (series below 0.1). */
function expm1Remainder(y: number): number {
  if (abs(y) < 0.1) {
    // y²/2 − y³/6 + y⁴/24 − …
    let term = (y * y) / 2;
    let sum = term;
    for (let n = 3; n < 20; n++) {
      term *= -y / n;
      sum += term;
      if (abs(term) < 1e-17 * sum) break;
    }
    return sum;
  }
  return y + expm1(-y);
}

/** u − ln(1+u) ≥ 0 without cancellation (series below 0.1). */
function log1pRemainder(u: number): number {
  if (abs(u) < 0.1) {
    // u²/2 − u³/3 + u⁴/4 − … = Σ_{n≥2} (−u)ⁿ/n
    let power = u * u;
    let sum = power / 2;
    for (let n = 3; n < 30; n++) {
      power *= -u;
      const term = power / n;
      sum += term;
      if (abs(term) < 1e-17 * abs(sum)) break;
    }
    return sum;
  }
  return u - log1p(u);
}

/**
 * Form 3: G = R s·E(1−p)^K + f(1)·E p² + aβ/((a+β)(a+β+1))·E_{Beta(a+1,β+1)}[ψ], the expectation by the
 * trapezoidal rule in v = ln(p/(1−p)). Bounded cost: a few hundred nodes per level, at most MAX_HALVINGS
 * halvings of the step.
 */
function integralForm(a: number, beta: number, R: number, s: number): number {
  const rs = R * s;
  // Any K ≥ (R+1)s/2 keeps f ≥ R s (1−p)^K; K ≥ 1 keeps ψ bounded at p = 1.
  const K = max(1, (R + 1) * s);
  const lnW = -R * log1p(s);
  const W = exp(lnW); // (1+s)^−R
  const f1 = -expm1(lnW); // f(1) = 1 − (1+s)^−R
  const z = s / (1 + s);
  // ψ(p) given p and q = 1 − p (both accurate), and ln q.
  const psi = (p: number, q: number, lnQ: number): number => {
    if (p < 0.5) {
      const u = p * s;
      let numerator: number;
      if (u < 1) {
        // f − R s q^K = R s [(1 − q^K) − (1 − φ(u))], φ(u) = f/(R s): both brackets ≥ 0 and accurate, with
        // 1 − φ(u) = [R (u − ln(1+u)) + (y − 1 + e^{−y})]/(R u), y = R ln(1+u).
        const y = R * log1p(u);
        const oneMinusPhi = (R * log1pRemainder(u) + expm1Remainder(y)) / (R * u);
        numerator = rs * (-expm1(K * lnQ) - oneMinusPhi);
      } else {
        numerator = -expm1(-R * log1p(u)) / p - rs * exp(K * lnQ);
      }
      return (numerator - f1 * p * p) / (p * q);
    }
    // Near p = 1 the numerator vanishes like q; with 1 + ps = (1+s)(1 − qz),
    // f(p) − f(1) = [q f(1) − W E]/p, E = (1 − qz)^−R − 1, so
    // ψ = (f(1) − W E/q)/p² + f(1)(1+p)/p − R s q^{K−1}/p, every piece bounded as q → 0.
    // W E = (1+ps)^−R − (1+s)^−R = W expm1(L), L = −R ln(1 − qz), without 0·∞ when W underflows.
    const L = -R * log1p(-q * z);
    const WE = L < 1 ? W * expm1(L) : exp(lnW + L) * -expm1(-L);
    return (f1 - WE / q) / (p * p) + (f1 * (1 + p)) / p - (rs * exp((K - 1) * lnQ)) / p;
  };
  const expectation = betaExpectationByTrapezoid(a + 1, beta + 1, psi);
  const ab = a + beta;
  return (
    rs * betaMomentOfComplement(a, beta, K) +
    (f1 * a * (a + 1)) / (ab * (ab + 1)) +
    ((a * beta) / (ab * (ab + 1))) * expectation
  );
}

const MAX_HALVINGS = 4;
const MAX_NODES_PER_SIDE = 20000;

/**
 * E_{Beta(a, b)}[g] for a, b ≥ 1 and g smooth and bounded on [0, 1], by the trapezoidal rule over
 * v = ln(p/(1−p)), whose density e^{av}(1+e^v)^{−a−b}/B(a, b) is log-concave with tails e^{av} and e^{−bv}.
 * The first step is 1/4 (the integrand is analytic and bounded for |Im v| < π/2) or half the density's width
 * 1/√κ, κ = ab/(a+b), whichever is smaller; each side stops when four successive terms are below EPSILON of
 * the sum and falling. The step is then halved (adding the midpoints) until two levels agree to 1e-14.
 */
function betaExpectationByTrapezoid(
  a: number,
  b: number,
  g: (p: number, q: number, lnQ: number) => number,
): number {
  const mode = log(a / b);
  const kappa = (a * b) / (a + b);
  let h = min(0.25, 0.5 / sqrt(kappa));
  // ln density at v, up to the constant −ln B(a, b) (restored at the end), minus its value at the mode.
  const softplus = (v: number): number => (v > 0 ? v + log1p(exp(-v)) : log1p(exp(v)));
  const logDensity = (v: number): number => a * v - (a + b) * softplus(v);
  const top = logDensity(mode);
  const term = (v: number): number => {
    const lnP = -softplus(-v);
    const lnQ = -softplus(v);
    const w = exp(logDensity(v) - top);
    if (w === 0) return 0;
    return w * g(exp(lnP), exp(lnQ), lnQ);
  };
  // Level 0: walk out from the mode until the terms have died out on each side.
  let sum = term(mode);
  let nodes = 1;
  let left = 0;
  let right = 0;
  for (const direction of [1, -1]) {
    let small = 0;
    let previous = Infinity;
    for (let m = 1; m <= MAX_NODES_PER_SIDE; m++) {
      const t = term(mode + direction * m * h);
      nodes++;
      sum += t;
      if (!Number.isFinite(sum)) break;
      const size = abs(t);
      small = size <= EPSILON * abs(sum) && size <= previous ? small + 1 : 0;
      previous = size;
      if (direction > 0) right = m;
      else left = m;
      if (small >= 4) break;
    }
  }
  let integral = h * sum;
  for (let level = 0; level < MAX_HALVINGS && Number.isFinite(integral); level++) {
    let midpoints = 0;
    for (let m = -left; m < right; m++) midpoints += term(mode + (m + 0.5) * h);
    nodes += left + right;
    const refined = 0.5 * (integral + h * midpoints);
    h *= 0.5;
    left *= 2;
    right *= 2;
    const converged = abs(refined - integral) <= 1e-14 * abs(refined);
    integral = refined;
    if (converged) break;
  }
  seriesWork.nodes += nodes;
  // ∫ density dv = B(a, b); the terms were relative to e^{top}.
  return integral * exp(top - lnBeta(a, b));
}

/** ln B(a, b) = ln Γ(a) − ln[Γ(a+b)/Γ(b)], accurate for b ≫ a. */
function lnBeta(a: number, b: number): number {
  return lgamma(a) - lnGammaRatio(b, a);
}

export type GivenActiveTable = {
  a: number;
  C: number;
  A: number;
  R: number;
  /** Taylor coefficients of G, PIECES × DEGREE per band, allocated when the band is first used. */
  bands: (Float64Array | null)[];
  /** 1 where a (band, piece) has been built. */
  built: Uint8Array;
};

/**
 * The table of G(a, β, R, ·) for one frequency, or null where the Euler form is not positive or w^{a−1} is
 * not a short binomial series (the caller then evaluates G directly).
 */
export function givenActiveTable(a: number, beta: number, R: number): GivenActiveTable | null {
  const C = a + beta - 1;
  if (!eulerApplies(C, R) || abs(a - 1) > MAX_TABLE_EXPONENT) return null;
  // Dense, preallocated arrays: a sparse JS array would drop to dictionary mode and slow every lookup.
  const bands: (Float64Array | null)[] = new Array<Float64Array | null>(MAX_LEVEL + 1).fill(null);
  return { a, C, A: a - 1 + (beta - R), R, bands, built: new Uint8Array((MAX_LEVEL + 1) * PIECES) };
}

/** G(w) from the tables (unclamped); NaN when w < 2^−(MAX_LEVEL+1) (the caller then evaluates directly). */
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
    seriesWork.pieces++;
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

/** Coefficients of G = C w^{a−1} H(z) in u = (w_c − w)/δ = (z − z_c)/δ. */
function pieceCoefficients(table: GivenActiveTable, wc: number, delta: number): Float64Array {
  const { a, C } = table;
  // w^{a−1} = w_c^{a−1} (1 + ρu)^{a−1}, ρ = −δ/w_c: binomial coefficients p_n.
  const rho = -delta / wc;
  const p = new Float64Array(DEGREE);
  p[0] = C * exp((a - 1) * log(wc));
  for (let n = 1; n < DEGREE; n++) p[n] = (p[n - 1] * (a - n) * rho) / n;
  const e = taylorCoefficients(table, 1 - wc, delta);
  const f = new Float64Array(DEGREE);
  for (let n = 0; n < DEGREE; n++) {
    let product = 0;
    for (let m = 0; m <= n; m++) product += p[m] * e[n - m];
    f[n] = product;
  }
  return f;
}

/**
 * e_n = δⁿ Σ_k d_k C(k, n) z_c^{k−n}, n < DEGREE, d_k = (a)_{k−1}/k! Δ_k ≥ 0: all derivatives of the positive
 * series H at z_c in one pass over k. Tail after k (k ≥ DEGREE): with v_j = (a)_{j−1}/j! C(j, n) z_c^j,
 * v_{j+1}/v_j = (a+j−1) z_c/(j+1−n) ≤ q for j > k, and Δ_j ≤ Δ_k + |P_k| (j−k) R/(C+k) as in eulerSeries.
 */
function taylorCoefficients(table: GivenActiveTable, zc: number, delta: number): Float64Array {
  const { a, C, A, R } = table;
  const e = new Float64Array(DEGREE);
  const shrink = delta / zc;
  let u = zc; // (a)_{k−1}/k! z_c^k
  let P = A / C;
  let D = R / C;
  let largest = 0;
  let k = 1;
  for (; k < 1e7; k++) {
    let t = u * D;
    e[0] += t;
    let biggest = abs(t);
    const topN = min(k, DEGREE - 1);
    for (let n = 1; n <= topN; n++) {
      t *= ((k - n + 1) / n) * shrink;
      e[n] += t;
      if (abs(t) > biggest) biggest = abs(t);
    }
    for (let n = 0; n < DEGREE; n++) if (abs(e[n]) > largest) largest = abs(e[n]);
    const x = R / (C + k);
    if (k >= DEGREE) {
      const q = zc * max(1, (a + k) / (k + 2 - DEGREE));
      if (q < 1) {
        const oneMinus = 1 - q;
        const bound = biggest * q * (1 / oneMinus + (abs(P) * x) / (D * oneMinus * oneMinus));
        if (bound <= 1e-2 * EPSILON * largest) break;
      }
    }
    D += P * x;
    P *= (A + k) / (C + k);
    u *= ((a + k - 1) * zc) / (k + 1);
    if (u === 0) break; // nothing more to add
  }
  seriesWork.terms += k;
  return e;
}
