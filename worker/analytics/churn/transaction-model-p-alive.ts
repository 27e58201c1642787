/**
 * P(alive) at any cutoff from one of the transaction models (../clv/transaction-models), for the p_alive
 * churn feature: the RFM summary at the cutoff, the model fitted on it, P(alive) per customer index (NaN for
 * customers without an order by then). Refitting per cutoff keeps the feature free of later data.
 */
import { MS_PER_DAY } from '../clean/parse-timestamp';
import { TRANSACTION_MODELS } from '../clv/transaction-models';
import type { TransactionModelName } from '../clv/types';
import { summarizePurchases, type OrdersInput, type RfmPeriod } from '../rfm';

export function transactionModelPAlive(
  orders: OrdersInput,
  customers: readonly string[],
  model: TransactionModelName = 'bgnbd',
  options: { period?: RfmPeriod; penalizer?: number } = {},
): (cutoffDay: number) => Float64Array {
  return (cutoffDay) => {
    const summary = summarizePurchases(orders, customers, {
      observationEnd: cutoffDay * MS_PER_DAY,
      period: options.period ?? 'week',
    });
    const m = TRANSACTION_MODELS[model];
    const fit = m.fit(summary, { penalizer: options.penalizer ?? 0 });
    const alive = m.predictAll(fit.params, summary, 1).probabilityAlive;
    const out = new Float64Array(customers.length).fill(NaN);
    for (let i = 0; i < summary.customerIndex.length; i++) out[summary.customerIndex[i]] = alive[i];
    return out;
  };
}
