/** The transaction models by name, each with its one-pass predictor for a whole customer base. */
import { expectedPurchasesGivenActive } from './bg-family-predictions';
import { bgnbd } from './bgnbd';
import { mbgnbd } from './mbgnbd';
import { paretoNbd } from './pareto-nbd';
import { expectedLifetimeWithin } from './pareto-nbd/predict';
import type { PurchaseHistory, TransactionModel, TransactionModelName } from './types';

export type BasePredictions = { expectedPurchases: Float64Array; probabilityAlive: Float64Array };

export type PredictingTransactionModel = TransactionModel<TransactionModelName, Record<string, number>> & {
  predictAll(params: Record<string, number>, data: PurchaseHistory, t: number): BasePredictions;
  /**
   * g(x, T; t): expected purchases in (T, T+t] of a customer known to be alive at T. Every model here
   * factors E[X(T, T+t] | x, t_x, T] = P(alive) · g(x, T; t), which lets CLV over many horizons be computed
   * per (x, T) rather than per customer and horizon (./chebyshev-by-frequency).
   */
  expectedPurchasesGivenAlive(params: Record<string, number>, x: number, T: number, t: number): number;
  /** The age scale c at which g is singular at T = −c, for interpolating g in ln(T + c). */
  ageScale(params: Record<string, number>): number;
};

export const TRANSACTION_MODELS: Readonly<Record<TransactionModelName, PredictingTransactionModel>> = {
  // Given alive, BG/NBD's future is a BG/NBD with posterior parameters (FHL 2005, eq. 10's derivation).
  bgnbd: {
    ...bgnbd,
    expectedPurchasesGivenAlive: (p, x, T, t) =>
      expectedPurchasesGivenActive(p.a, p.b + x, p.r + x, p.alpha + T, t),
    ageScale: (p) => p.alpha,
  },
  // MBG/NBD: the dropout coin is also tossed at the first purchase, shifting b by one (Batislam et al. 2007).
  mbgnbd: {
    ...mbgnbd,
    expectedPurchasesGivenAlive: (p, x, T, t) =>
      expectedPurchasesGivenActive(p.a, p.b + x + 1, p.r + x, p.alpha + T, t),
    ageScale: (p) => p.alpha,
  },
  // Pareto/NBD given alive: λ ~ Γ(r+x, α+T), lifetime rate μ ~ Γ(s, β+T) (Schmittlein et al. 1987, eq. 22).
  'pareto-nbd': {
    ...paretoNbd,
    expectedPurchasesGivenAlive: (p, x, T, t) =>
      ((p.r + x) / (p.alpha + T)) * expectedLifetimeWithin(p.s, p.beta + T, t),
    ageScale: (p) => Math.min(p.alpha, p.beta),
  },
};

export const TRANSACTION_MODEL_NAMES = Object.keys(TRANSACTION_MODELS) as TransactionModelName[];
