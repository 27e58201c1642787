/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way: an alternative to the Pareto/NBD
 * model", Marketing Science 24(2)): purchases at rate λ ~ Gamma(r, α) while active; after each repeat purchase
 * the customer drops out with probability p ~ Beta(a, b). A customer without repeat purchases is alive.
 *
 * Formulas and their numerics live in ./bg-family-likelihood (LL, eq. 6, analytic gradient, fit) and
 * ./bg-family-predictions (P(alive), eq. 10 via Euler's transformation, eq. 8, eq. 9), shared with MBG/NBD.
 *
 * @example
 *   const fit = bgnbd.fit({ frequency, recency, T });
 *   const { expectedPurchases, probabilityAlive } = bgnbd.predictAll(fit.params, { frequency, recency, T }, 52);
 */

import { betaGeometricLogLikelihood, BG_PARAM_NAMES, fitBetaGeometric } from './bg-family-likelihood';
import {
  betaGeometricConditionalExpectedPurchases,
  betaGeometricExpectedPurchasesNewCustomer,
  betaGeometricPredictAll,
  betaGeometricPredictHorizons,
  betaGeometricProbabilityAlive,
  betaGeometricProbabilityOfPurchases,
  type HorizonPredictions,
  type Predictions,
} from './bg-family-predictions';
import { preparePurchaseHistory, validatePurchaseHistory } from './fit-helpers';
import type { BgNbdParams, PurchaseHistory, TransactionModel } from './types';

export type BetaGeometricModel<Name extends 'bgnbd' | 'mbgnbd'> = TransactionModel<Name, BgNbdParams> & {
  /** Conditional expected purchases over the next t and P(alive), for every customer, in one fast pass. */
  predictAll(params: BgNbdParams, data: PurchaseHistory, t: number): Predictions;
  /**
   * The same at several horizons in one pass (P(alive) once; per horizon one division and one polynomial):
   * what a CLV sum over monthly steps needs. expectedPurchases[h][i] is customer i at horizons[h].
   */
  predictHorizons(
    params: BgNbdParams,
    data: PurchaseHistory,
    horizons: readonly number[],
  ): HorizonPredictions;
};

export const bgnbd: BetaGeometricModel<'bgnbd'> = {
  name: 'bgnbd',
  paramNames: BG_PARAM_NAMES,
  fit: (data, options) => fitBetaGeometric('bgnbd', data, options),
  logLikelihood: (params, data) => {
    validatePurchaseHistory(data, 'BG/NBD', { requireRepeatBuyers: false });
    return betaGeometricLogLikelihood('bgnbd', paramArray(params), preparePurchaseHistory(data), null);
  },
  conditionalExpectedPurchases: (params, t, x, tx, T) =>
    betaGeometricConditionalExpectedPurchases('bgnbd', params, t, x, tx, T),
  probabilityAlive: (params, x, tx, T) => betaGeometricProbabilityAlive('bgnbd', params, x, tx, T),
  probabilityOfPurchases: (params, n, t) => betaGeometricProbabilityOfPurchases('bgnbd', params, n, t),
  expectedPurchasesNewCustomer: (params, t) => betaGeometricExpectedPurchasesNewCustomer('bgnbd', params, t),
  predictAll: (params, data, t) => betaGeometricPredictAll('bgnbd', params, data, t),
  predictHorizons: (params, data, horizons) => betaGeometricPredictHorizons('bgnbd', params, data, horizons),
};

/** [r, α, a, b] in the likelihood's order. */
export function paramArray(params: BgNbdParams): Float64Array {
  return Float64Array.of(params.r, params.alpha, params.a, params.b);
}
