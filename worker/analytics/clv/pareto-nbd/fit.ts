/**
 * Maximum-likelihood fit of the Pareto/NBD through the shared fitting module (../mle.ts: BFGS over log
 * parameters, lifetimes' L2 penalty on the mean negative LL, standard errors from the observed information).
 *
 * The gradient is analytic: ∂ ln I/∂θ comes from forward differentiation of the ₂F₁(1, p; c; z) series or
 * continued fraction (hyp2f1-unit.ts), which costs about as much as the value itself, where central
 * differences would cost eight more likelihood evaluations. The data are grouped first (grouped-data.ts), so
 * one evaluation costs one ₂F₁ per distinct (x, u) pair and a few logs per distinct (x, t_x, T).
 */
import { digamma, lgamma } from '../../math/special';
import { fitByMaximumLikelihood, toFittedModel } from '../mle';
import type { FitOptions, FittedModel, ParetoNbdParams, PurchaseHistory } from '../types';
import { validatePurchaseHistory } from '../fit-helpers';
import { groupPurchaseHistory, type GroupedHistory } from './grouped-data';
import { logTailIntegral } from './likelihood';

// Local bindings: under jest's vm context every lookup of the global `Math` goes through an interceptor and
// costs ~40× a plain call, which dominated the test run time of these loops.
const { abs, exp, log, log1p } = Math;

export const PARETO_NBD_PARAM_NAMES = ['r', 'alpha', 's', 'beta'] as const;

/**
 * Total log-likelihood of grouped data at natural params [r, α, s, β] (Fader & Hardie 2005 note, eqs. 22–24;
 * see likelihood.ts for the form). When `gradient` is given, writes ∂LL/∂(r, α, s, β) into it.
 * −∞ outside the parameter space.
 */
export function groupedLogLikelihood(
  params: ArrayLike<number>,
  data: GroupedHistory,
  gradient: Float64Array | null = null,
): number {
  const p: ParetoNbdParams = { r: params[0], alpha: params[1], s: params[2], beta: params[3] };
  const { r, alpha, s, beta } = p;
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0 && Number.isFinite(r + alpha + s + beta))) return -Infinity;
  const pairs = data.pairX.length;
  const logI = new Float64Array(pairs);
  const dLogI = gradient ? new Float64Array(4 * pairs) : null;
  const pairGradient = gradient ? new Float64Array(4) : null;
  const hypScratch = gradient ? new Float64Array(3) : null;
  for (let k = 0; k < pairs; k++) {
    logI[k] = logTailIntegral(p, data.pairX[k], data.pairU[k], pairGradient, hypScratch);
    if (dLogI && pairGradient) dLogI.set(pairGradient, 4 * k);
  }
  const logAlpha = log(alpha);
  const logBeta = log(beta);
  const logS = log(s);
  // Neumaier-compensated sum: with a million customers plain summation leaves ~1e-12 relative noise in the
  // mean objective, as large as BFGS's last decreases, and the line search then stalls.
  let total = 0;
  let compensation = 0;
  let g0 = 0;
  let g1 = 0;
  let g2 = 0;
  let g3 = 0;
  let lastX = NaN;
  let lgammaRx = 0;
  let digammaRx = 0;
  const groups = data.x.length;
  for (let g = 0; g < groups; g++) {
    const x = data.x[g];
    const T = data.T[g];
    const w = data.weight[g];
    if (x !== lastX) {
      lgammaRx = lgamma(r + x);
      if (gradient) digammaRx = digamma(r + x);
      lastX = x;
    }
    const logAT = log(alpha + T);
    const logBT = log(beta + T);
    // ln of the "alive at T" part of the bracket and of the "died in (t_x, T]" part.
    const alive = -(r + x) * logAT - s * logBT;
    const a = data.txPair[g];
    const b = data.TPair[g];
    let died = -Infinity;
    let ratio = 0; // I(T)/I(t_x)
    if (a >= 0 && logI[a] > logI[b]) {
      ratio = exp(logI[b] - logI[a]);
      died = logS + logI[a] + log1p(-ratio);
    }
    // ln(e^alive + e^died), died ≤ alive or not (e^{−∞} = 0 covers the no-died-term case).
    const bracket = alive >= died ? alive + log1p(exp(died - alive)) : died + log1p(exp(alive - died));
    const term = w * (lgammaRx + bracket);
    const next = total + term;
    compensation += abs(total) >= abs(term) ? total - next + term : term - next + total;
    total = next;
    if (gradient && dLogI) {
      g0 += w * digammaRx;
      // Shares of the bracket: P(alive) and its complement.
      const pAlive = died === -Infinity ? 1 : 1 / (1 + exp(died - alive));
      const wa = w * pAlive;
      g0 -= wa * logAT;
      g1 -= (wa * (r + x)) / (alpha + T);
      g2 -= wa * logBT;
      g3 -= (wa * s) / (beta + T);
      if (died !== -Infinity) {
        // ∂ ln(I₁ − I₂) = (∂ ln I₁ − ρ ∂ ln I₂)/(1 − ρ), ρ = I₂/I₁.
        const wd = (w * (1 - pAlive)) / (1 - ratio);
        const ia = 4 * a;
        const ib = 4 * b;
        g0 += wd * (dLogI[ia] - ratio * dLogI[ib]);
        g1 += wd * (dLogI[ia + 1] - ratio * dLogI[ib + 1]);
        g2 += wd * (dLogI[ia + 2] - ratio * dLogI[ib + 2]) + (w * (1 - pAlive)) / s;
        g3 += wd * (dLogI[ia + 3] - ratio * dLogI[ib + 3]);
      }
    }
  }
  const n = data.count;
  if (gradient) {
    gradient[0] = g0 + n * (logAlpha - digamma(r));
    gradient[1] = g1 + (n * r) / alpha;
    gradient[2] = g2 + n * logBeta;
    gradient[3] = g3 + (n * s) / beta;
  }
  return total + compensation + n * (-lgamma(r) + r * logAlpha + s * logBeta);
}

/**
 * Starting values: r = 1 and s = 1, with α and β on the data's time scale (α = r / mean repeat-purchase
 * rate, β = mean T), so that a summary in days starts as close to its optimum as one in weeks.
 */
function defaultInitial(data: PurchaseHistory): number[] {
  let sumX = 0;
  let sumT = 0;
  for (let i = 0; i < data.T.length; i++) {
    sumX += data.frequency[i];
    sumT += data.T[i];
  }
  const meanT = sumT / data.T.length;
  return [1, sumT > 0 ? sumT / sumX : 1, 1, meanT > 0 ? meanT : 1];
}

/** Above this many distinct patterns, fit an evenly spaced subsample first (mle.ts warm start). */
const WARM_START_PATTERNS = 40_000;
const WARM_START_CUSTOMERS = 20_000;

/**
 * Every k-th customer, so the subsample has no randomness and spreads over any ordering of the input. Only
 * worth it when the full data have many distinct patterns: then the full-data likelihood is evaluated a few
 * times to polish the subsample's solution instead of ~50 times.
 */
function warmStartSample(
  data: PurchaseHistory,
  grouped: GroupedHistory,
): { data: GroupedHistory; count: number } | undefined {
  if (grouped.x.length < WARM_START_PATTERNS) return undefined;
  const stride = Math.ceil(grouped.count / WARM_START_CUSTOMERS);
  const pick = (a: Float64Array): Float64Array => {
    const out = new Float64Array(Math.ceil(a.length / stride));
    for (let i = 0, j = 0; i < a.length; i += stride, j++) out[j] = a[i];
    return out;
  };
  const sample = groupPurchaseHistory({
    frequency: pick(data.frequency),
    recency: pick(data.recency),
    T: pick(data.T),
  });
  return sample.repeatBuyers > 0 ? { data: sample, count: sample.count } : undefined;
}

/**
 * Maximum-likelihood Pareto/NBD fit: objective = mean negative LL + penalizer·(r² + α² + s² + β²), BFGS over
 * log-parameters; standard errors from the inverse observed information of the total LL (natural parameters,
 * penalty excluded). Above 40,000 distinct (x, t_x, T) patterns a 20,000-customer subsample is fitted first.
 *
 * @example
 *   const { params, standardErrors, logLikelihood } = fitParetoNbd(history, { penalizer: 0.001 });
 */
export function fitParetoNbd(
  data: PurchaseHistory,
  options: FitOptions = {},
): FittedModel<'pareto-nbd', ParetoNbdParams> {
  // Throws ModelFitError EMPTY_DATA / INVALID_DATA (naming the first bad row) / NO_REPEAT_BUYERS.
  validatePurchaseHistory(data, 'Pareto/NBD');
  const grouped = groupPurchaseHistory(data);
  const penalizer = options.penalizer ?? 0;
  const fit = fitByMaximumLikelihood(PARETO_NBD_PARAM_NAMES, groupedLogLikelihood, grouped, {
    initial: options.initial ?? defaultInitial(data),
    count: grouped.count,
    penalizer,
    maxIterations: options.maxIterations,
    warmStart: warmStartSample(data, grouped),
  });
  return toFittedModel<'pareto-nbd', ParetoNbdParams>(
    'pareto-nbd',
    PARETO_NBD_PARAM_NAMES,
    fit,
    grouped.count,
    penalizer,
  );
}
