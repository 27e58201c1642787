/**
 * Gamma-Gamma model of the mean value of repeat transactions (Fader, Hardie & Lee 2005, "RFM and CLV: using
 * iso-value curves for customer base analysis", §4; Fader & Hardie 2013, "The Gamma-Gamma model of monetary
 * value"). A customer's transaction values are Gamma(p, ν); ν varies across customers as Gamma(q, γ). γ is
 * called `v` here, as in lifetimes. The model assumes spend is independent of the purchase process: check
 * with spendFrequencyCorrelation before trusting it.
 */
import { digamma, lgamma } from '../math/special';
import { fitByMaximumLikelihood, toFittedModel } from './mle';
import type { FitOptions, FittedModel, GammaGammaParams, PurchaseAndSpendHistory } from './types';
import { ModelFitError } from './types';

/** What the spend model reads: repeat purchases x and their mean value z̄ per customer. */
export type SpendHistory = Pick<PurchaseAndSpendHistory, 'frequency' | 'monetaryValue'>;

export type GammaGammaFit = FittedModel<'gamma-gamma', GammaGammaParams> & {
  /** Customers left out of the fit: no repeat purchase, or repeat purchases with a mean value ≤ 0. */
  excluded: { noRepeatPurchases: number; nonPositiveSpend: number };
  /** Pearson correlation of frequency and mean spend among the fitted customers (null if undefined). */
  spendFrequencyCorrelation: number | null;
};

/** When the Gamma-Gamma mean does not exist (p·x + q ≤ 1: for a customer without repeats, q ≤ 1). */
export type SpendMeanFallback =
  /** Throw SpendModelError('SPEND_MEAN_UNDEFINED'). The default: never return a meaningless number. */
  | { kind: 'throw' }
  /**
   * Use what was observed: the customer's own mean repeat spend when they have one, otherwise
   * `populationMean` (pass observedMeanSpend(data), the model-free estimate of the same quantity).
   */
  | { kind: 'observed'; populationMean: number };

export class SpendModelError extends Error {
  readonly code: 'SPEND_MEAN_UNDEFINED' | 'INVALID_SPEND_INPUT';
  constructor(code: SpendModelError['code'], message: string) {
    super(message);
    this.name = 'SpendModelError';
    this.code = code;
  }
}

/** Above this |correlation| the independence assumption is doubtful enough to warn about. */
const CORRELATION_WARNING = 0.3;
// Module constant: same speed in Node, but Math.x loads are ~15× slower inside jest's vm context.
const { log } = Math;
const THROW: SpendMeanFallback = { kind: 'throw' };
const SMALL_X = 4096;
const PARAM_NAMES = ['p', 'q', 'v'] as const;
/** Fit a subsample of about WARM_START_SIZE customers first when there are at least WARM_START_MIN. */
const WARM_START_MIN = 50_000;
const WARM_START_SIZE = 10_000;

/**
 * ln f(z̄ | p, q, γ, x) for one customer with x > 0 repeat transactions of mean value z̄ > 0
 * (Fader & Hardie 2013, the marginal density of z̄ given x):
 * Γ(px+q)/(Γ(px)Γ(q)) · γ^q · z̄^(px−1) · x^(px) / (γ + x z̄)^(px+q).
 */
export function gammaGammaCustomerLogLikelihood(params: GammaGammaParams, x: number, zbar: number): number {
  const { p, q, v } = params;
  const px = p * x;
  return (
    lgamma(px + q) -
    lgamma(px) -
    lgamma(q) +
    q * Math.log(v) +
    (px - 1) * Math.log(zbar) +
    px * Math.log(x) -
    (px + q) * Math.log(v + x * zbar)
  );
}

/** Total log-likelihood over the repeat buyers (x > 0, z̄ > 0); other customers carry no spend information. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendHistory): number {
  const grouped = groupSpend(data);
  return evaluate(grouped, params.p, params.q, params.v, null);
}

/**
 * Maximum-likelihood fit on the repeat buyers with the shared fitter (./mle: lifetimes' objective, mean
 * negative log-likelihood + penalizer × (p² + q² + v²), BFGS over log-parameters, standard errors from the
 * observed information). Customers are grouped by x so the lgamma/digamma terms are computed once per
 * distinct x; an evaluation then costs one log and one division per customer. Above WARM_START_MIN
 * customers a strided subsample is fitted first, so the full data are only needed to polish the solution.
 */
export function fitGammaGamma(data: SpendHistory, options: FitOptions = {}): GammaGammaFit {
  const grouped = groupSpend(data);
  if (data.frequency.length === 0) {
    throw new ModelFitError('EMPTY_DATA', 'Gamma-Gamma: the data has no customers; nothing to fit.');
  }
  if (grouped.n === 0) {
    throw new ModelFitError(
      'NO_REPEAT_BUYERS',
      'Gamma-Gamma is fitted on customers with at least one repeat purchase and a positive mean repeat ' +
        `value; none of the ${data.frequency.length} customers has one. Use a longer observation period, or ` +
        'use the observed mean order value instead of a spend model.',
    );
  }
  let warmStart: { data: GroupedSpend; count: number } | undefined;
  if (grouped.n >= WARM_START_MIN) {
    const sub = subsample(grouped, Math.floor(grouped.n / WARM_START_SIZE));
    warmStart = { data: sub, count: sub.n };
  }
  const fit = fitByMaximumLikelihood(PARAM_NAMES, logLikelihoodOfGroups, grouped, {
    initial: options.initial ?? defaultInitial(grouped),
    count: grouped.n,
    penalizer: options.penalizer,
    maxIterations: options.maxIterations,
    warmStart,
  });
  const model = toFittedModel<'gamma-gamma', GammaGammaParams>(
    'gamma-gamma',
    PARAM_NAMES,
    fit,
    grouped.n,
    options.penalizer ?? 0,
  );
  const correlation = correlationOfGroups(grouped);
  const warnings = model.diagnostics.warnings;
  if (model.params.q <= 1) {
    warnings.push(
      `q = ${model.params.q.toPrecision(4)} ≤ 1: the population mean spend p·v/(q−1) does not exist, so ` +
        'customers without repeat purchases have no model-based expected value; choose a fallback ' +
        '(observedMeanSpend).',
    );
  }
  if (grouped.nonPositiveSpend > 0) {
    warnings.push(
      `${grouped.nonPositiveSpend} customers with repeat purchases but a mean value ≤ 0 (refunds?) were excluded`,
    );
  }
  if (correlation !== null && Math.abs(correlation) >= CORRELATION_WARNING) {
    warnings.push(
      `frequency and mean spend are correlated (r = ${correlation.toFixed(2)}); Gamma-Gamma assumes they ` +
        'are independent, so its expected values are biased for very frequent or very rare buyers',
    );
  }
  return {
    ...model,
    excluded: { noRepeatPurchases: grouped.noRepeat, nonPositiveSpend: grouped.nonPositiveSpend },
    spendFrequencyCorrelation: correlation,
  };
}

/** E[Z] = p·v/(q−1), the mean spend of a randomly chosen customer (mean of 1/ν for ν ~ Gamma(q, v), times p). */
export function populationMeanSpend(params: GammaGammaParams): number {
  if (!(params.q > 1)) {
    throw new SpendModelError(
      'SPEND_MEAN_UNDEFINED',
      `Gamma-Gamma q = ${params.q} ≤ 1: the population mean spend does not exist. Use the observed mean ` +
        "(observedMeanSpend) through the { kind: 'observed' } fallback, or check the data for extreme " +
        'order values (q ≤ 1 means a very heavy-tailed spend distribution) and refit.',
    );
  }
  return (params.p * params.v) / (params.q - 1);
}

/**
 * E[Z | x, z̄] = p(v + x z̄)/(px + q − 1): the posterior mean of the customer's mean spend, a weighted
 * average of the population mean and z̄ (Fader, Hardie & Lee 2005, §4; Fader & Hardie 2013). The posterior
 * of ν is Gamma(px + q, v + x z̄), so the mean exists only when px + q > 1.
 * With x = 0 (or no positive z̄) there is nothing to condition on and it is the population mean p·v/(q−1).
 * When that mean does not exist, `fallback` decides (default: throw SpendModelError).
 * @example expectedAverageValue({ p: 6.25, q: 3.74, v: 15.44 }, 2, 22.35) // ≈ 24.66
 */
export function expectedAverageValue(
  params: GammaGammaParams,
  x: number,
  zbar: number,
  fallback: SpendMeanFallback = THROW,
): number {
  if (!(x >= 0) || !Number.isFinite(x) || !Number.isFinite(zbar)) {
    throw new SpendModelError(
      'INVALID_SPEND_INPUT',
      `expectedAverageValue needs a frequency ≥ 0 and a finite mean spend, got x=${x}, zbar=${zbar}`,
    );
  }
  const { p, q, v } = params;
  const informative = x > 0 && zbar > 0;
  const shape = informative ? p * x + q : q;
  if (shape > 1) {
    return informative ? (p * (v + x * zbar)) / (shape - 1) : (p * v) / (q - 1);
  }
  if (fallback.kind === 'observed') return informative ? zbar : fallback.populationMean;
  throw new SpendModelError(
    'SPEND_MEAN_UNDEFINED',
    `Gamma-Gamma expected spend does not exist for x=${x} (p·x + q = ${shape} ≤ 1). Pass the ` +
      "{ kind: 'observed', populationMean: observedMeanSpend(data) } fallback, or check the data for " +
      'extreme order values and refit.',
  );
}

/** expectedAverageValue for every customer (customers without repeats get the population mean). */
export function expectedAverageValues(
  params: GammaGammaParams,
  data: SpendHistory,
  fallback: SpendMeanFallback = THROW,
): Float64Array {
  const { frequency, monetaryValue } = data;
  if (frequency.length !== monetaryValue.length) {
    throw new SpendModelError('INVALID_SPEND_INPUT', 'frequency and monetaryValue must have the same length');
  }
  const out = new Float64Array(frequency.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = expectedAverageValue(params, frequency[i], monetaryValue[i], fallback);
  }
  return out;
}

/**
 * Mean of z̄ over the repeat buyers (x > 0, z̄ > 0): the model-free estimate of the population mean spend,
 * since E[z̄ | x] = p·v/(q−1) for every x under the model. NaN when there are no repeat buyers.
 */
export function observedMeanSpend(data: SpendHistory): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    if (data.frequency[i] > 0 && data.monetaryValue[i] > 0) {
      sum += data.monetaryValue[i];
      n++;
    }
  }
  return n > 0 ? sum / n : NaN;
}

/**
 * Pearson correlation between frequency and mean spend among repeat buyers (x > 0, z̄ > 0). Gamma-Gamma
 * assumes the two are independent (Fader & Hardie 2013, §1); a value near 0 supports that. Null when fewer
 * than two repeat buyers or either column is constant.
 */
export function spendFrequencyCorrelation(data: SpendHistory): number | null {
  return correlationOfGroups(groupSpend(data));
}

/** Repeat buyers grouped by x; `xz` holds x·z̄ in group order. */
type GroupedSpend = {
  n: number;
  meanZ: number;
  groups: number;
  x: Float64Array;
  count: Float64Array;
  logX: Float64Array;
  sumLogZ: Float64Array;
  /** Σ z̄ per group. */
  sumZ: Float64Array;
  start: Int32Array;
  xz: Float64Array;
  noRepeat: number;
  nonPositiveSpend: number;
};

/** Groups the repeat buyers by x. */
function groupSpend(data: SpendHistory): GroupedSpend {
  const { frequency, monetaryValue } = data;
  const len = frequency.length;
  if (monetaryValue.length !== len) {
    throw new ModelFitError('INVALID_DATA', 'frequency and monetaryValue must have the same length');
  }
  const index = new Map<number, number>();
  const smallIndex = new Int32Array(SMALL_X).fill(-1);
  const counts: number[] = [];
  const group = new Int32Array(len).fill(-1);
  let noRepeat = 0;
  let nonPositiveSpend = 0;
  for (let i = 0; i < len; i++) {
    const x = frequency[i];
    const z = monetaryValue[i];
    if (!(x >= 0) || !Number.isFinite(x) || !Number.isFinite(z)) {
      throw new ModelFitError(
        'INVALID_DATA',
        `customer at index ${i} has frequency=${x}, monetaryValue=${z}; both must be finite and frequency ≥ 0`,
      );
    }
    if (x === 0) {
      noRepeat++;
      continue;
    }
    if (!(z > 0)) {
      nonPositiveSpend++;
      continue;
    }
    // Frequencies are almost always small integers: index them directly, a Map only for the rest.
    const small = x < SMALL_X && Number.isInteger(x);
    let g = small ? smallIndex[x] : index.get(x);
    if (g === undefined || g < 0) {
      g = counts.length;
      if (small) smallIndex[x] = g;
      index.set(x, g);
      counts.push(0);
    }
    counts[g]++;
    group[i] = g;
  }
  const groups = counts.length;
  const start = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) start[g + 1] = start[g] + counts[g];
  const n = start[groups];
  const fill = Int32Array.from(start.subarray(0, groups));
  const xs = new Float64Array(groups);
  for (const [x, g] of index) xs[g] = x;
  const xz = new Float64Array(n);
  const sumLogZ = new Float64Array(groups);
  const sumZ = new Float64Array(groups);
  let total = 0;
  for (let i = 0; i < len; i++) {
    const g = group[i];
    if (g < 0) continue;
    const z = monetaryValue[i];
    xz[fill[g]++] = xs[g] * z;
    sumLogZ[g] += log(z);
    sumZ[g] += z;
    total += z;
  }
  return {
    n,
    meanZ: total / n,
    sumZ,
    groups,
    x: xs,
    count: Float64Array.from(counts),
    logX: xs.map(Math.log),
    sumLogZ,
    start,
    xz,
    noRepeat,
    nonPositiveSpend,
  };
}

/**
 * Pearson correlation of x and z̄ from the groups: S_xy = Σ_g (x_g − x̄)(Σz̄_g − n_g z̄̄), S_xx from the
 * group counts, and S_yy from one pass over the centred z̄ (two-pass, so large means lose no digits).
 */
function correlationOfGroups(d: GroupedSpend): number | null {
  if (d.n < 2) return null;
  let meanX = 0;
  for (let g = 0; g < d.groups; g++) meanX += d.count[g] * d.x[g];
  meanX /= d.n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let g = 0; g < d.groups; g++) {
    const dx = d.x[g] - meanX;
    sxx += d.count[g] * dx * dx;
    sxy += dx * (d.sumZ[g] - d.count[g] * d.meanZ);
    const x = d.x[g];
    for (let i = d.start[g]; i < d.start[g + 1]; i++) {
      const dz = d.xz[i] / x - d.meanZ;
      syy += dz * dz;
    }
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Every k-th customer of each group: the warm-start subsample, with the groups' proportions kept. */
function subsample(d: GroupedSpend, stride: number): GroupedSpend {
  const start = new Int32Array(d.groups + 1);
  for (let g = 0; g < d.groups; g++) {
    start[g + 1] = start[g] + Math.ceil((d.start[g + 1] - d.start[g]) / stride);
  }
  const n = start[d.groups];
  const xz = new Float64Array(n);
  const count = new Float64Array(d.groups);
  const sumLogZ = new Float64Array(d.groups);
  const sumZ = new Float64Array(d.groups);
  let total = 0;
  for (let g = 0; g < d.groups; g++) {
    let k = start[g];
    for (let i = d.start[g]; i < d.start[g + 1]; i += stride) {
      xz[k++] = d.xz[i];
      sumLogZ[g] += log(d.xz[i]) - d.logX[g];
      sumZ[g] += d.xz[i] / d.x[g];
    }
    count[g] = start[g + 1] - start[g];
    total += sumZ[g];
  }
  return { ...d, n, meanZ: total / n, count, sumLogZ, sumZ, start, xz };
}

/** ./mle's likelihood callback: params in PARAM_NAMES order, gradient in natural parameters. */
function logLikelihoodOfGroups(params: Float64Array, d: GroupedSpend, grad: Float64Array | null): number {
  const ll = evaluate(d, params[0], params[1], params[2], grad);
  return Number.isFinite(ll) ? ll : -Infinity;
}

/**
 * Total log-likelihood at (p, q, v) and optionally its gradient (∂/∂p, ∂/∂q, ∂/∂v). Per group of n_g
 * customers with x repeats, S_g = Σ ln(v + x z̄) and I_g = Σ 1/(v + x z̄):
 *   ℓ = Σ_g n_g[lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + px ln x] + (px−1)Σ ln z̄ − (px+q) S_g
 *   ∂ℓ/∂p = Σ_g x[n_g(ψ(px+q) − ψ(px) + ln x) + Σ ln z̄ − S_g]
 *   ∂ℓ/∂q = Σ_g n_g(ψ(px+q) − ψ(q) + ln v) − S_g
 *   ∂ℓ/∂v = Σ_g n_g q/v − (px+q) I_g
 */
function evaluate(d: GroupedSpend, p: number, q: number, v: number, grad: Float64Array | null): number {
  const lgq = lgamma(q);
  const logV = Math.log(v);
  const psiQ = grad ? digamma(q) : 0;
  let ll = 0;
  let gp = 0;
  let gq = 0;
  let gv = 0;
  for (let g = 0; g < d.groups; g++) {
    const x = d.x[g];
    const ng = d.count[g];
    const px = p * x;
    const shape = px + q;
    let S = 0;
    let I = 0;
    const end = d.start[g + 1];
    if (grad) {
      for (let i = d.start[g]; i < end; i++) {
        const w = v + d.xz[i];
        S += log(w);
        I += 1 / w;
      }
    } else {
      for (let i = d.start[g]; i < end; i++) S += log(v + d.xz[i]);
    }
    ll +=
      ng * (lgamma(shape) - lgamma(px) - lgq + q * logV + px * d.logX[g]) +
      (px - 1) * d.sumLogZ[g] -
      shape * S;
    if (grad) {
      const psiShape = digamma(shape);
      gp += x * (ng * (psiShape - digamma(px) + d.logX[g]) + d.sumLogZ[g] - S);
      gq += ng * (psiShape - psiQ + logV) - S;
      gv += (ng * q) / v - shape * I;
    }
  }
  if (grad) {
    grad[0] = gp;
    grad[1] = gq;
    grad[2] = gv;
  }
  return ll;
}

/**
 * Default start: p = 1, q = 2 and v so that the population mean p·v/(q−1) equals the observed mean spend.
 * Starting on the data's money scale saves BFGS many steps when values are in the thousands (a fixed
 * v = 1 start, as in lifetimes, is ln(1000) ≈ 7 units away in log-space).
 */
function defaultInitial(d: GroupedSpend): number[] {
  return [1, 2, d.meanZ];
}
