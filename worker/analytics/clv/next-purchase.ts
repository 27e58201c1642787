/**
 * Expected time of a customer's next purchase, as an offset from the end of observation T in the model's
 * time unit (the caller turns it into a date).
 *
 * Rule: the median of the time to the next purchase, with "never buys again" as a possible outcome —
 * the t* at which P(next purchase in (T, T+t*]) = 1/2 — or null when that probability never reaches 1/2
 * (the customer is more likely gone than not) or t* exceeds the caller's cap.
 *
 * Why this rule. The purchase part of BG/NBD, MBG/NBD and Pareto/NBD is the same Poisson–Gamma mixture:
 * given that a customer is alive at T with x repeat purchases, their purchase rate λ is Gamma(r+x, α+T)
 * (the alive branch of the individual likelihood is (1−p)^x λ^x e^{−λT} in Fader, Hardie & Lee 2005,
 * "Counting your customers the easy way", §3; Pareto/NBD's is the same in λ). The wait W to the next
 * purchase is Exp(λ), so marginally
 * P(W > w | alive) = ((α+T)/(α+T+w))^(r+x) (a Lomax distribution). In BG/NBD and MBG/NBD a customer can
 * only drop out right after a purchase, so a customer alive at T surely makes that next purchase and
 *   P(next purchase within t) = P(alive) · [1 − ((α+T)/(α+T+t))^(r+x)]        — exact,
 *   t* = (α+T) · [(1 − 1/(2·P(alive)))^(−1/(r+x)) − 1]                           when P(alive) > 1/2.
 * For Pareto/NBD, where dropout can also happen during the wait, the same formula ignores that and so is
 * an optimistic (early) date.
 * Rejected alternatives: the mean wait (α+T)/(r+x−1) is infinite for r+x ≤ 1 (every customer without
 * repeat purchases when r < 1, e.g. CDNOW's r ≈ 0.24) and is pulled far out by the heavy Lomax tail;
 * "E[X(T, T+t)] reaches 0.5" counts expected purchases, not the first one, so a customer with a small
 * chance of buying many times gets an early date although they most likely never buy again.
 */
import type { PurchaseHistory } from './types';

/** The Poisson–Gamma purchase-rate parameters every supported transaction model has. */
export type PurchaseRateParams = { r: number; alpha: number };

export class NextPurchaseError extends Error {
  readonly code = 'INVALID_NEXT_PURCHASE_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'NextPurchaseError';
  }
}

/**
 * P(the next purchase happens within t periods after T) = P(alive)·[1 − ((α+T)/(α+T+t))^(r+x)]
 * (exact for BG/NBD and MBG/NBD, an upper bound for Pareto/NBD; see the module comment).
 */
export function probabilityNextPurchaseWithin(
  params: PurchaseRateParams,
  x: number,
  T: number,
  pAlive: number,
  t: number,
): number {
  check(params, x, T, pAlive);
  if (!(t >= 0)) throw new NextPurchaseError(`t must be ≥ 0, got ${t}`);
  const scale = params.alpha + T;
  // 1 − (scale/(scale+t))^(r+x) = −expm1(−(r+x)·ln(1 + t/scale)), accurate for small t.
  return -pAlive * Math.expm1(-(params.r + x) * Math.log1p(t / scale));
}

/**
 * Median time to the next purchase after T (null: more likely never, or later than `maxHorizon`).
 * @param maxHorizon cap in the model's unit, e.g. 156 weeks for three years.
 * @example nextPurchaseTime({ r: 1, alpha: 4 }, 1, 36, 2 / 3, 156) // 40
 */
export function nextPurchaseTime(
  params: PurchaseRateParams,
  x: number,
  T: number,
  pAlive: number,
  maxHorizon: number,
): number | null {
  check(params, x, T, pAlive);
  checkHorizon(maxHorizon);
  const t = medianWait(params.r + x, params.alpha + T, pAlive);
  return t <= maxHorizon ? t : null;
}

/** nextPurchaseTime for every customer; NaN where there is no date (the null of the scalar version). */
export function nextPurchaseTimes(
  params: PurchaseRateParams,
  data: Pick<PurchaseHistory, 'frequency' | 'T'>,
  pAlive: Float64Array,
  maxHorizon: number,
): Float64Array {
  const n = data.frequency.length;
  if (data.T.length !== n || pAlive.length !== n) {
    throw new NextPurchaseError('frequency, T and pAlive must have one entry per customer');
  }
  checkHorizon(maxHorizon);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    check(params, data.frequency[i], data.T[i], pAlive[i]);
    const t = medianWait(params.r + data.frequency[i], params.alpha + data.T[i], pAlive[i]);
    out[i] = t <= maxHorizon ? t : NaN;
  }
  return out;
}

/** Solves pAlive·[1 − (scale/(scale+t))^shape] = 1/2 for t; Infinity when pAlive ≤ 1/2. */
function medianWait(shape: number, scale: number, pAlive: number): number {
  if (!(pAlive > 0.5)) return Infinity;
  // (1 − 1/(2p))^(−1/shape) − 1 = expm1(−ln(1 − 1/(2p)) / shape)
  return scale * Math.expm1(-Math.log1p(-0.5 / pAlive) / shape);
}

function check(params: PurchaseRateParams, x: number, T: number, pAlive: number): void {
  if (
    !(params.r > 0) ||
    !(params.alpha > 0) ||
    !Number.isFinite(params.r) ||
    !Number.isFinite(params.alpha)
  ) {
    throw new NextPurchaseError(
      `r and alpha must be positive numbers, got r=${params.r}, alpha=${params.alpha}`,
    );
  }
  if (!(x >= 0) || !(T >= 0) || !Number.isFinite(x) || !Number.isFinite(T)) {
    throw new NextPurchaseError(`frequency and T must be finite and ≥ 0, got x=${x}, T=${T}`);
  }
  if (!(pAlive >= 0 && pAlive <= 1)) {
    throw new NextPurchaseError(`pAlive must be a probability in [0, 1], got ${pAlive}`);
  }
}

function checkHorizon(maxHorizon: number): void {
  if (!(maxHorizon > 0)) {
    throw new NextPurchaseError(`maxHorizon must be > 0 (e.g. 156 weeks for three years), got ${maxHorizon}`);
  }
}
