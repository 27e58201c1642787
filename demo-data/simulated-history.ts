import type { PurchaseHistory } from '../worker/analytics/clv/types';
import type { AgeDistribution } from './customer-ages';

export type SimulationOptions = {
  /** Number of customers to simulate. */
  customers: number;
  /** Age at the end of observation, in the time unit the parameters are in. */
  T: AgeDistribution;
  /** Seed of the random stream; the same seed and options give the same customers. */
  seed: number;
};

/**
 * Simulated repeat-purchase summary. Purchase times are continuous, so every purchase counts (nothing is merged
 * within a period): this is exactly the data the continuous-time likelihoods describe.
 */
export type SimulatedPurchases = PurchaseHistory & {
  /** Latent truth: 1 if the customer is still active at T, 0 if they dropped out before. */
  alive: Uint8Array;
};

export function allocateHistory(customers: number): SimulatedPurchases {
  return {
    frequency: new Float64Array(customers),
    recency: new Float64Array(customers),
    T: new Float64Array(customers),
    alive: new Uint8Array(customers),
  };
}
