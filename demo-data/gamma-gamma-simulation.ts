/**
 * Spend under the Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves for customer
 * base analysis", JMR 42(4); Fader & Hardie 2013, "The Gamma-Gamma model of monetary value", note).
 *
 * A customer's transaction values are z ~ Gamma(p, ν) with ν a RATE (E[z | ν] = p/ν); across customers
 * ν ~ Gamma(q, v), also a rate. Since ν ~ Gamma(q, v) gives E[1/ν] = v/(q − 1) for q > 1, the population mean
 * spend per transaction is E[z] = p·v/(q − 1), which is what lifetimes' `v` (FHL's γ) means.
 *
 * The mean of x independent Gamma(p, ν) values is Gamma(x·p, x·ν) (a sum of gammas with a common rate is gamma),
 * so a customer's mean repeat spend is one exact draw however many purchases they made.
 */

import type {
  GammaGammaParams,
  PurchaseAndSpendHistory,
  PurchaseHistory,
} from '../worker/analytics/clv/types';
import { createRandom, type SeededRandom } from '../worker/analytics/math/random';
import { requirePositiveParams } from './simulation-error';

/** One customer's spend rate ν ~ Gamma(q, v). */
export function drawSpendRate(params: GammaGammaParams, random: SeededRandom): number {
  return random.gamma(params.q, params.v);
}

/** One transaction value z ~ Gamma(p, ν) for a customer with spend rate ν. */
export function drawTransactionValue(
  params: GammaGammaParams,
  spendRate: number,
  random: SeededRandom,
): number {
  return random.gamma(params.p, spendRate);
}

/**
 * Mean value of each customer's `frequency[i]` repeat transactions (0 where there are none), the lifetimes
 * convention for `monetary_value`.
 */
export function simulateGammaGammaSpend(
  params: GammaGammaParams,
  frequency: Float64Array,
  options: { seed: number },
): Float64Array {
  requirePositiveParams('Gamma-Gamma', { p: params.p, q: params.q, v: params.v });
  const random = createRandom(options.seed);
  const n = frequency.length;
  const monetaryValue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // ν is drawn for every customer, repeaters or not, so a customer's draws do not depend on other customers.
    const nu = random.gamma(params.q, params.v);
    const x = frequency[i];
    if (x > 0) monetaryValue[i] = random.gamma(x * params.p, x * nu);
  }
  return monetaryValue;
}

/** `history` with a simulated Gamma-Gamma `monetaryValue` column (a new object; the input arrays are shared). */
export function withGammaGammaSpend<H extends PurchaseHistory>(
  history: H,
  params: GammaGammaParams,
  options: { seed: number },
): H & PurchaseAndSpendHistory {
  return { ...history, monetaryValue: simulateGammaGammaSpend(params, history.frequency, options) };
}
