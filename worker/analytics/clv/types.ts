/**
 * Shared shapes of the CLV models. Data are columnar (one Float64Array per field, one entry per customer)
 * so a million customers fit in a few tens of MiB and the likelihood loops stay monomorphic.
 */

import type { PurchaseAndSpendHistory, PurchaseHistory } from '../../../domain/purchase-history';

export type { PurchaseAndSpendHistory, PurchaseHistory };

export type TransactionModelName = 'bgnbd' | 'pareto-nbd' | 'mbgnbd';
export type SpendModelName = 'gamma-gamma';
export type ModelName = TransactionModelName | SpendModelName;

export type BgNbdParams = { r: number; alpha: number; a: number; b: number };
export type ParetoNbdParams = { r: number; alpha: number; s: number; beta: number };
export type GammaGammaParams = { p: number; q: number; v: number };

export type FitOptions = {
  /** L2 penalty on the parameters, as in lifetimes: penalizer × Σ params², added to the mean negative LL. */
  penalizer?: number;
  /** Starting values (model's parameter order); defaults come from the model. */
  initial?: number[];
  maxIterations?: number;
};

export type FitDiagnostics = {
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Infinity norm of the gradient of the objective at the solution (per customer). */
  gradientNorm: number;
  message: string;
  /** Warnings a user should see (e.g. Gamma-Gamma q ≤ 1: the expected spend has no finite mean). */
  warnings: string[];
};

export type FittedModel<Name extends ModelName, P extends Record<string, number>> = {
  model: Name;
  params: P;
  /** From the inverse of the observed information matrix (Hessian of the total negative LL). NaN if singular. */
  standardErrors: { [K in keyof P]: number };
  /** Total log-likelihood over customers, in the data's time unit (penalty not included). */
  logLikelihood: number;
  n: number;
  penalizer: number;
  diagnostics: FitDiagnostics;
};

/** What every transaction model offers once fitted; `t` and ages are in the time unit it was fitted in. */
export type TransactionModel<Name extends TransactionModelName, P extends Record<string, number>> = {
  name: Name;
  paramNames: readonly (keyof P & string)[];
  fit(data: PurchaseHistory, options?: FitOptions): FittedModel<Name, P>;
  /** Total log-likelihood of the data at params. */
  logLikelihood(params: P, data: PurchaseHistory): number;
  /** E[X(T, T+t] | x, t_x, T]: expected purchases in the next t periods for a customer with this history. */
  conditionalExpectedPurchases(params: P, t: number, x: number, tx: number, T: number): number;
  /** P(alive at T | x, t_x, T). */
  probabilityAlive(params: P, x: number, tx: number, T: number): number;
  /** P(X(t) = n) for a new customer over (0, t]. */
  probabilityOfPurchases(params: P, n: number, t: number): number;
  /** E[X(t)] for a new customer. */
  expectedPurchasesNewCustomer(params: P, t: number): number;
};

export class ModelFitError extends Error {
  readonly code: 'NO_REPEAT_BUYERS' | 'EMPTY_DATA' | 'INVALID_DATA' | 'NOT_CONVERGED';
  constructor(code: ModelFitError['code'], message: string) {
    super(message);
    this.name = 'ModelFitError';
    this.code = code;
  }
}
