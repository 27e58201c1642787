/**
 * The TransactionModel of the beta-geometric family (BG/NBD, σ = 0; MBG/NBD, σ = 1): both share likelihood,
 * fit and predictions (./bg-family-likelihood, ./bg-family-predictions) and differ only in the variant.
 */
import {
  betaGeometricLogLikelihood,
  BG_PARAM_NAMES,
  fitBetaGeometric,
  type BetaGeometricVariant,
} from './bg-family-likelihood';
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

export type BetaGeometricModel<Name extends BetaGeometricVariant> = TransactionModel<Name, BgNbdParams> & {
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

/** `label` names the model in error messages (e.g. 'BG/NBD'). */
export function betaGeometricModel<Name extends BetaGeometricVariant>(
  variant: Name,
  label: string,
): BetaGeometricModel<Name> {
  return {
    name: variant,
    paramNames: BG_PARAM_NAMES,
    fit: (data, options) => fitBetaGeometric(variant, data, options),
    logLikelihood: (params, data) => {
      validatePurchaseHistory(data, label, { requireRepeatBuyers: false });
      return betaGeometricLogLikelihood(variant, paramArray(params), preparePurchaseHistory(data), null);
    },
    conditionalExpectedPurchases: (params, t, x, tx, T) =>
      betaGeometricConditionalExpectedPurchases(variant, params, t, x, tx, T),
    probabilityAlive: (params, x, tx, T) => betaGeometricProbabilityAlive(variant, params, x, tx, T),
    probabilityOfPurchases: (params, n, t) => betaGeometricProbabilityOfPurchases(variant, params, n, t),
    expectedPurchasesNewCustomer: (params, t) =>
      betaGeometricExpectedPurchasesNewCustomer(variant, params, t),
    predictAll: (params, data, t) => betaGeometricPredictAll(variant, params, data, t),
    predictHorizons: (params, data, horizons) =>
      betaGeometricPredictHorizons(variant, params, data, horizons),
  };
}

/** [r, α, a, b] in the likelihood's order. */
export function paramArray(params: BgNbdParams): Float64Array {
  return Float64Array.of(params.r, params.alpha, params.a, params.b);
}
