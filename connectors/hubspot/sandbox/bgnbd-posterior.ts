/**
 * What a customer's BG/NBD history reveals about it when the population parameters are known exactly (the
 * generator's own), by numerical integration over the customer's latent λ and p. The BG/NBD (Fader, Hardie &
 * Lee 2005, "Counting your customers the easy way", Marketing Science 24(2)) gives, for x repeat purchases,
 * the last at t_x, observed until T (weeks since the first purchase):
 *   L(λ, p) = λ^x (1−p)^x e^(−λT) + [x > 0] p (1−p)^(x−1) λ^x e^(−λ t_x),
 * the first term the customer still alive at T, the second it dropped out right after its last purchase, so
 * P(alive | λ, p, history) = first term / L. Prior λ ~ Gamma(r, α) (α a rate), p ~ Beta(a, b).
 *
 * Integrated on a grid in log λ and logit p rather than with the closed forms, so it shares no formula with
 * the engine it is used to check (worker/analytics/clv); the tests hold it to the published closed forms.
 */

export type BgNbdParams = { r: number; alpha: number; a: number; b: number };

/** Repeat purchases x, time of the last one t_x and the observation length T, in weeks from the first. */
export type BgNbdHistory = { x: number; tx: number; T: number };

/** Log λ from 1e-16 (the Gamma(0.243, ·) prior puts ~10 % of its mass below 1e-5) to 50 a week. */
const LOG_LAMBDA = { from: Math.log(1e-16), to: Math.log(50), points: 300 };
/** Logit p over (−16, 8): p from 1e-7 to 0.9997. */
const LOGIT_P = { from: -16, to: 8, points: 120 };

export type BgNbdGrid = {
  lambda: Float64Array;
  p: Float64Array;
  /** Log prior density times the change of variable, per grid point (uniform spacing cancels). */
  logPriorLambda: Float64Array;
  logPriorP: Float64Array;
};

export function bgNbdGrid(params: BgNbdParams): BgNbdGrid {
  for (const key of ['r', 'alpha', 'a', 'b'] as const)
    if (!(params[key] > 0) || !Number.isFinite(params[key]))
      throw new RangeError(`BG/NBD parameter ${key} must be a finite number > 0, got ${params[key]}`);
  const lambda = new Float64Array(LOG_LAMBDA.points);
  const logPriorLambda = new Float64Array(LOG_LAMBDA.points);
  for (let i = 0; i < LOG_LAMBDA.points; i++) {
    const u = LOG_LAMBDA.from + ((i + 0.5) * (LOG_LAMBDA.to - LOG_LAMBDA.from)) / LOG_LAMBDA.points;
    lambda[i] = Math.exp(u);
    // Gamma(r, α) density in λ times dλ/du = λ: λ^r e^(−αλ), up to a constant.
    logPriorLambda[i] = params.r * u - params.alpha * lambda[i];
  }
  const p = new Float64Array(LOGIT_P.points);
  const logPriorP = new Float64Array(LOGIT_P.points);
  for (let j = 0; j < LOGIT_P.points; j++) {
    const s = LOGIT_P.from + ((j + 0.5) * (LOGIT_P.to - LOGIT_P.from)) / LOGIT_P.points;
    p[j] = 1 / (1 + Math.exp(-s));
    // Beta(a, b) density times dp/ds = p(1−p): p^a (1−p)^b, up to a constant.
    logPriorP[j] = params.a * Math.log(p[j]) + params.b * Math.log1p(-p[j]);
  }
  return { lambda, p, logPriorLambda, logPriorP };
}

/** P(alive at T | λ, p, history): the share of the likelihood in which the customer has not dropped out. */
export function pAliveGiven(lambda: number, p: number, history: BgNbdHistory): number {
  if (history.x === 0) return 1;
  // Ratio of the dropped-out term to the alive term: p/(1−p) · e^(λ(T − t_x)).
  const logRatio = Math.log(p) - Math.log1p(-p) + lambda * (history.T - history.tx);
  return 1 / (1 + Math.exp(logRatio));
}

/** valueIfAlive(λ, p) at every grid point, row by λ: worked out once for all customers. */
export function onGrid(grid: BgNbdGrid, valueIfAlive: (lambda: number, p: number) => number): Float64Array {
  const out = new Float64Array(grid.lambda.length * grid.p.length);
  for (let i = 0; i < grid.lambda.length; i++)
    for (let j = 0; j < grid.p.length; j++)
      out[i * grid.p.length + j] = valueIfAlive(grid.lambda[i], grid.p[j]);
  return out;
}

// Local bindings: this runs for every acquired customer inside jest's vm, where Math.x loads are slow.
const { exp, log, log1p } = Math;

/**
 * E[ P(alive | λ, p, history) · valueIfAlive(λ, p) | history ]: the posterior mean, under the prior the grid
 * was made from, of what an alive customer with these λ and p is worth (`values`, from onGrid), weighted by
 * its chance of being alive.
 */
export function posteriorAliveValue(grid: BgNbdGrid, history: BgNbdHistory, values: Float64Array): number {
  const { x, tx, T } = history;
  if (!(Number.isInteger(x) && x >= 0) || !(tx >= 0) || !(T >= tx))
    throw new RangeError(`BG/NBD history needs whole x ≥ 0 and 0 ≤ t_x ≤ T, got ${JSON.stringify(history)}`);
  const nl = grid.lambda.length;
  const np = grid.p.length;
  if (values.length !== nl * np)
    throw new RangeError(`values must hold ${nl * np} grid points, got ${values.length}`);
  const logW = new Float64Array(nl * np);
  const aliveShare = new Float64Array(nl * np);
  let max = -Infinity;
  for (let i = 0; i < nl; i++) {
    const l = grid.lambda[i];
    const lambdaPart = grid.logPriorLambda[i] + x * log(l);
    for (let j = 0; j < np; j++) {
      const p = grid.p[j];
      // log L with the common factor λ^x (1−p)^(x−1) taken out of both terms.
      let logL = -l * T;
      let share = 1;
      if (x > 0) {
        const alive = log1p(-p) - l * T;
        const gone = log(p) - l * tx;
        const top = alive > gone ? alive : gone;
        const ea = exp(alive - top);
        const eg = exp(gone - top);
        logL = (x - 1) * log1p(-p) + top + log(ea + eg);
        share = ea / (ea + eg);
      }
      const w = lambdaPart + grid.logPriorP[j] + logL;
      logW[i * np + j] = w;
      aliveShare[i * np + j] = share;
      if (w > max) max = w;
    }
  }
  let weight = 0;
  let value = 0;
  for (let k = 0; k < nl * np; k++) {
    const d = logW[k] - max;
    // e^(−50) of the largest weight: below the 1e-15 relative precision of the sums.
    if (d < -50) continue;
    const w = exp(d);
    weight += w;
    value += w * aliveShare[k] * values[k];
  }
  return value / weight;
}
