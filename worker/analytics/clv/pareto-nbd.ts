/**
 * Pareto/NBD model of repeat purchasing (Schmittlein, Morrison & Colombo 1987, "Counting your customers: who
 * are they and what will they do next?"): while alive a customer buys as Poisson(λ) and dies after an
 * exponential(μ) lifetime; λ ~ Γ(r, α) and μ ~ Γ(s, β) across customers. Formulas follow Fader & Hardie
 * (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions", and Fader, Hardie & Lee (2006),
 * "Deriving an expression for P(X(t) = x) under the Pareto/NBD model". The pieces live in ./pareto-nbd/.
 *
 * @example
 *   const fitted = paretoNbd.fit({ frequency, recency, T });
 *   const next39Weeks = paretoNbd.conditionalExpectedPurchases(fitted.params, 39, 2, 30.43, 38.86);
 */
import type { ParetoNbdParams, PurchaseHistory, TransactionModel } from './types';
import { fitParetoNbd, groupedLogLikelihood, PARETO_NBD_PARAM_NAMES } from './pareto-nbd/fit';
import { validatePurchaseHistory } from './fit-helpers';
import { groupPurchaseHistory } from './pareto-nbd/grouped-data';
import { probabilityAliveCustomer } from './pareto-nbd/likelihood';
import {
  conditionalExpectedPurchases,
  expectedPurchasesNewCustomer,
  predictAll,
  probabilityOfPurchases,
} from './pareto-nbd/predict';

export { fitParetoNbd, predictAll as predictAllParetoNbd };
export { logLikelihoodCustomer as paretoNbdCustomerLogLikelihood } from './pareto-nbd/likelihood';

export const paretoNbd: TransactionModel<'pareto-nbd', ParetoNbdParams> & {
  /** Expected purchases over the next t periods and P(alive) for every customer of `data`. */
  predictAll(
    params: ParetoNbdParams,
    data: PurchaseHistory,
    t: number,
  ): { expectedPurchases: Float64Array; probabilityAlive: Float64Array };
} = {
  name: 'pareto-nbd',
  paramNames: PARETO_NBD_PARAM_NAMES,
  fit: fitParetoNbd,
  logLikelihood(params: ParetoNbdParams, data: PurchaseHistory): number {
    if (data.frequency.length === 0 && data.recency.length === 0 && data.T.length === 0) return 0;
    validatePurchaseHistory(data, 'Pareto/NBD', { requireRepeatBuyers: false });
    return groupedLogLikelihood([params.r, params.alpha, params.s, params.beta], groupPurchaseHistory(data));
  },
  conditionalExpectedPurchases,
  probabilityAlive: probabilityAliveCustomer,
  probabilityOfPurchases,
  expectedPurchasesNewCustomer,
  predictAll,
};
