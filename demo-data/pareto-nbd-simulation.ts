/**
 * Exact simulation of the Pareto/NBD (Schmittlein, Morrison & Colombo 1987, "Counting your customers: who are they
 * and what will they do next?", Management Science 33(1)), customer by customer in continuous time.
 *
 * Each customer: λ ~ Gamma(r, α) and μ ~ Gamma(s, β) (α, β rates); the lifetime τ ~ Exponential(μ) starts at the
 * first purchase (time 0); while alive, purchases follow a Poisson process with rate λ.
 */

import type { ParetoNbdParams } from '../worker/analytics/clv/types';
import { drawAge, validateAgeDistribution } from './customer-ages';
import { createRandom } from '../worker/analytics/math/random';
import { allocateHistory, type SimulatedPurchases, type SimulationOptions } from './simulated-history';
import { requireCount, requirePositiveParams } from './simulation-error';

/** Simulates `options.customers` Pareto/NBD customers observed over (0, T]. */
export function simulateParetoNbd(params: ParetoNbdParams, options: SimulationOptions): SimulatedPurchases {
  const { r, alpha, s, beta } = params;
  requirePositiveParams('Pareto/NBD', { r, alpha, s, beta });
  requireCount('customers', options.customers);
  validateAgeDistribution(options.T, options.customers);
  const n = options.customers;
  const random = createRandom(options.seed);
  const out = allocateHistory(n);
  const { frequency, recency, T: ages, alive } = out;
  for (let i = 0; i < n; i++) {
    const T = drawAge(options.T, i, random);
    const lambda = random.gamma(r, alpha);
    const mu = random.gamma(s, beta);
    const lifetime = random.exponential(mu);
    const end = lifetime < T ? lifetime : T;
    let x = 0;
    let tx = 0;
    let t = 0;
    while (true) {
      t += random.exponential(lambda);
      if (!(t <= end)) break;
      x++;
      tx = t;
    }
    frequency[i] = x;
    recency[i] = tx;
    ages[i] = T;
    alive[i] = lifetime > T ? 1 : 0;
  }
  return out;
}
