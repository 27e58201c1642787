/** The transaction models by name, each with its one-pass predictor for a whole customer base. */
import { bgnbd } from './bgnbd';
import { mbgnbd } from './mbgnbd';
import { paretoNbd } from './pareto-nbd';
import type { PurchaseHistory, TransactionModel, TransactionModelName } from './types';

export type BasePredictions = { expectedPurchases: Float64Array; probabilityAlive: Float64Array };

export type PredictingTransactionModel = TransactionModel<TransactionModelName, Record<string, number>> & {
  predictAll(params: Record<string, number>, data: PurchaseHistory, t: number): BasePredictions;
};

export const TRANSACTION_MODELS: Readonly<Record<TransactionModelName, PredictingTransactionModel>> = {
  bgnbd: bgnbd,
  'pareto-nbd': paretoNbd,
  mbgnbd: mbgnbd,
};

export const TRANSACTION_MODEL_NAMES = Object.keys(TRANSACTION_MODELS) as TransactionModelName[];
