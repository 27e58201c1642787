/**
 * How long each simulated customer has been observed: T, the age at the end of observation, in the model's time
 * unit. Real cohorts are acquired over a window, so T varies by customer; a fixed T is what the closed-form
 * moments (E[X(t)] for a new customer) describe.
 */

import type { SeededRandom } from '../worker/analytics/math/random';
import { SimulationError } from './simulation-error';

export type AgeDistribution =
  /** Every customer observed for the same T. */
  | { kind: 'fixed'; T: number }
  /** T uniform on [min, max]: customers acquired uniformly over a window of length max − min. */
  | { kind: 'uniform'; min: number; max: number }
  /** T given per customer (length must equal the number of customers). */
  | { kind: 'values'; T: ArrayLike<number> };

/** Throws INVALID_OPTIONS unless the distribution yields finite positive ages for `customers` customers. */
export function validateAgeDistribution(ages: AgeDistribution, customers: number): void {
  const bad = (why: string): never => {
    throw new SimulationError('INVALID_OPTIONS', `T distribution: ${why}`);
  };
  switch (ages.kind) {
    case 'fixed':
      if (!(ages.T > 0) || !Number.isFinite(ages.T))
        bad(`fixed T must be finite and positive, got ${ages.T}`);
      return;
    case 'uniform':
      if (!(ages.min > 0) || !(ages.max >= ages.min) || !Number.isFinite(ages.max)) {
        bad(`uniform T needs 0 < min ≤ max < ∞, got min=${ages.min}, max=${ages.max}`);
      }
      return;
    case 'values':
      if (ages.T.length !== customers) bad(`${ages.T.length} ages given for ${customers} customers`);
      for (let i = 0; i < ages.T.length; i++) {
        const T = ages.T[i];
        if (!(T > 0) || !Number.isFinite(T)) bad(`T[${i}] must be finite and positive, got ${T}`);
      }
      return;
  }
}

/** T for customer i (draws from `random` only for the uniform kind). */
export function drawAge(ages: AgeDistribution, i: number, random: SeededRandom): number {
  switch (ages.kind) {
    case 'fixed':
      return ages.T;
    case 'uniform':
      return ages.min + (ages.max - ages.min) * random.uniform();
    case 'values':
      return ages.T[i];
  }
}
