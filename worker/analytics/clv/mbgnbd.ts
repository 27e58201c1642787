/**
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison of models for customer
 * base analysis", International Journal of Research in Marketing 24(3)): BG/NBD with the dropout coin also
 * tossed at the first purchase (time 0), so a customer without repeat purchases may already be gone:
 * P(alive | x = 0, T > 0) < 1, where BG/NBD says 1. Same parameters r, α, a, b.
 *
 * Shares its likelihood, fit and predictions with BG/NBD (σ = 1 in ./bg-family-likelihood).
 */

import { betaGeometricLogLikelihood, BG_PARAM_NAMES, fitBetaGeometric } from './bg-family-likelihood';
import {
  betaGeometricConditionalExpectedPurchases,
  betaGeometricExpectedPurchasesNewCustomer,
  betaGeometricPredictAll,
  betaGeometricPredictHorizons,
  betaGeometricProbabilityAlive,
  betaGeometricProbabilityOfPurchases,
} from './bg-family-predictions';
import { paramArray, type BetaGeometricModel } from './bgnbd';
import { preparePurchaseHistory, validatePurchaseHistory } from './fit-helpers';

export const mbgnbd: BetaGeometricModel<'mbgnbd'> = {
  name: 'mbgnbd',
  paramNames: BG_PARAM_NAMES,
  fit: (data, options) => fitBetaGeometric('mbgnbd', data, options),
  logLikelihood: (params, data) => {
    validatePurchaseHistory(data, 'MBG/NBD', { requireRepeatBuyers: false });
    return betaGeometricLogLikelihood('mbgnbd', paramArray(params), preparePurchaseHistory(data), null);
  },
  conditionalExpectedPurchases: (params, t, x, tx, T) =>
    betaGeometricConditionalExpectedPurchases('mbgnbd', params, t, x, tx, T),
  probabilityAlive: (params, x, tx, T) => betaGeometricProbabilityAlive('mbgnbd', params, x, tx, T),
  probabilityOfPurchases: (params, n, t) => betaGeometricProbabilityOfPurchases('mbgnbd', params, n, t),
  expectedPurchasesNewCustomer: (params, t) => betaGeometricExpectedPurchasesNewCustomer('mbgnbd', params, t),
  predictAll: (params, data, t) => betaGeometricPredictAll('mbgnbd', params, data, t),
  predictHorizons: (params, data, horizons) => betaGeometricPredictHorizons('mbgnbd', params, data, horizons),
};
