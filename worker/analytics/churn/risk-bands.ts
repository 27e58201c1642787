/**
 * Churn risk bands that sort a tenant's customers. Fixed probability cuts (0.3 / 0.6) put 88% of the demo's
 * customers in "high": where most customers do not buy again within 90 days, nearly everyone is above 0.6,
 * and a band holding nine customers in ten tells a rep nothing. The default bands are therefore relative to
 * the tenant's own distribution of calibrated churn probabilities, and to each customer's buying cycle:
 *
 * 1. By probability (default shares 20 / 30 / 50): high = the top `highShare` of the scored customers, and
 *    only those above the tenant's mean probability; medium = the next `mediumShare`; low = the rest. Ties
 *    never push a band past its share ("at most").
 * 2. By the customer's own cycle:
 *    - a usual gap longer than the churn window: such a customer was never going to buy within the window,
 *      and a silence that is normal for them is not yet a sign of leaving. Until they are quiet for longer
 *      than their own usual gap they are at most medium (a cap; they may well be low).
 *    - one purchase day: a first order gives no rhythm of its own, so the model reads their silence against
 *      the typical gap between orders (the median of the repeat customers' usual gaps: "quiet for 12
 *      typical gaps"), and they are banded by that probability like everyone else. They get no cap of
 *      their own because the data do not support one: on Online Retail the recent one-time buyers in the
 *      top fifth of probabilities churn at 80%, more than the rest of "high" (76%); exempting them would
 *      hide real risk.
 *
 * A tenant can change the shares, or ask for fixed probability cut points (the cycle cap still applies).
 * The rule is returned as one sentence for the report (`rule`).
 */
import type { ChurnRisk } from './types';

/** Probability below `medium` is low risk, below `high` medium, else high. */
export type RiskCutPoints = { medium: number; high: number };

/**
 * The former fixed cuts, 0.3 / 0.6.
 * @deprecated Not the default any more: bands follow the tenant's distribution (RiskBandOptions). Kept for
 * callers that configure fixed cuts explicitly.
 */
export const DEFAULT_RISK_CUT_POINTS: RiskCutPoints = { medium: 0.3, high: 0.6 };

export type RiskBandOptions = {
  /** Most of the scored customers in "high" (default 0.2). */
  highShare?: number;
  /** Customers in "medium" (default 0.3): the next 30% by probability. */
  mediumShare?: number;
  /** Fixed probability cut points instead of the shares (the cycle cap still applies). */
  cutPoints?: RiskCutPoints;
};

export const DEFAULT_RISK_BANDS = { highShare: 0.2, mediumShare: 0.3 } as const;

/** Per scored row: what the cycle rule reads. */
export type CustomerCycles = {
  /** The customer's own median gap between purchase days (NaN with one purchase day). */
  ownGap: ArrayLike<number>;
  /** Days since the last order. */
  recency: ArrayLike<number>;
  /** The typical gap between orders: median of the repeat customers' usual gaps. */
  typicalGap: number;
};

export type RiskBands = {
  /** Per row. */
  risk: ChurnRisk[];
  /** The probability cut points in force for this tenant (before the cycle cap). */
  cutPoints: RiskCutPoints;
  counts: Record<ChurnRisk, number>;
  /** Customers moved from high to medium because they are not due yet (usual gap longer than the window). */
  notDueYet: number;
  /** The rule as one sentence, with this tenant's numbers. */
  rule: string;
};

/** The band of one probability under fixed cut points (no cycle cap). */
export function riskBand(probability: number, cuts: RiskCutPoints = DEFAULT_RISK_CUT_POINTS): ChurnRisk {
  return probability < cuts.medium ? 'low' : probability < cuts.high ? 'medium' : 'high';
}

export function assignRiskBands(
  probability: ArrayLike<number>,
  cycles: CustomerCycles,
  windowDays: number,
  options: RiskBandOptions = {},
): RiskBands {
  const n = probability.length;
  const highShare = options.highShare ?? DEFAULT_RISK_BANDS.highShare;
  const mediumShare = options.mediumShare ?? DEFAULT_RISK_BANDS.mediumShare;
  const cutPoints = options.cutPoints ?? relativeCutPoints(probability, highShare, mediumShare);
  const risk = new Array<ChurnRisk>(n);
  const counts: Record<ChurnRisk, number> = { low: 0, medium: 0, high: 0 };
  let notDueYet = 0;
  for (let r = 0; r < n; r++) {
    let band = riskBand(probability[r], cutPoints);
    const own = cycles.ownGap[r];
    if (band === 'high' && own > windowDays && cycles.recency[r] <= own) {
      band = 'medium';
      notDueYet++;
    }
    risk[r] = band;
    counts[band]++;
  }
  return {
    risk,
    cutPoints,
    counts,
    notDueYet,
    rule: riskRuleSentence(cutPoints, cycles.typicalGap, windowDays, options),
  };
}

/**
 * Cut points from the tenant's distribution: high from the (1 − highShare) quantile and no lower than the
 * mean probability, medium from the (1 − highShare − mediumShare) quantile. A cut is raised past a tie, and
 * rounded up to 4 decimals, so that a band never holds more than its share.
 */
export function relativeCutPoints(
  probability: ArrayLike<number>,
  highShare: number,
  mediumShare: number,
): RiskCutPoints {
  if (!(highShare >= 0 && mediumShare >= 0 && highShare + mediumShare <= 1)) {
    throw new RangeError('risk band shares need 0 ≤ highShare, mediumShare and highShare + mediumShare ≤ 1.');
  }
  const sorted = Float64Array.from(probability).sort();
  const n = sorted.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean = n ? mean / n : 0;
  // Rounded up to 4 decimals: a readable cut for the report, and rounding up keeps "at most".
  const up = (x: number) => (Number.isFinite(x) ? Math.ceil(x * 1e4 - 1e-7) / 1e4 : x);
  const high = up(Math.max(cutForTop(sorted, Math.floor(highShare * n)), mean));
  const medium = Math.min(up(cutForTop(sorted, Math.floor((highShare + mediumShare) * n))), high);
  return { medium, high };
}

/** The smallest value v such that at most `k` of the sorted values are ≥ v (Infinity when k = 0). */
function cutForTop(sorted: Float64Array, k: number): number {
  const n = sorted.length;
  if (k <= 0) return Infinity;
  if (k >= n) return -Infinity;
  let i = n - k;
  while (i < n && sorted[i] === sorted[i - 1]) i++;
  return i < n ? sorted[i] : Infinity;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;
/** "0.74 or more"; "none here" when ties or the mean floor leave the band empty. */
const orMore = (p: number) =>
  Number.isFinite(p) ? `${Math.round(p * 1e4) / 1e4} or more` : p > 0 ? 'none here' : 'any probability';

/** The band rule in one sentence, with the tenant's numbers. */
export function riskRuleSentence(
  cutPoints: RiskCutPoints,
  typicalGap: number,
  windowDays: number,
  options: RiskBandOptions = {},
): string {
  const byProbability = options.cutPoints
    ? `High risk: churn probability ${orMore(cutPoints.high)}; medium: ${orMore(cutPoints.medium)}; low: the rest.`
    : `High risk: the ${percent(options.highShare ?? DEFAULT_RISK_BANDS.highShare)} of customers with the highest ` +
      `churn probability, if above this tenant's average (here ${orMore(cutPoints.high)}); medium: the next ` +
      `${percent(options.mediumShare ?? DEFAULT_RISK_BANDS.mediumShare)} (${orMore(cutPoints.medium)}); ` +
      'low: the rest.';
  return (
    `${byProbability} A customer whose usual gap between orders is longer than the ${Math.round(windowDays)}-day ` +
    'window is at most medium until quiet for longer than that gap (a silence that is normal for them is not ' +
    'yet a sign of leaving); a customer with a single purchase day has no gap of their own, so their silence ' +
    `is read against the typical customer's (${Math.round(typicalGap)} days) and they are banded like everyone else.`
  );
}
