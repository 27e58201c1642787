/**
 * Exact simulation of the BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing
 * Science 24(2)) and MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison of models
 * for customer base analysis", IJRM 24(3)) purchase processes, customer by customer in continuous time.
 *
 * Each customer: λ ~ Gamma(r, α) (α a rate, so E[λ] = r/α), p ~ Beta(a, b). The first purchase is at time 0;
 * while active, the times between purchases are Exponential(λ). BG/NBD: after each REPEAT purchase the customer
 * drops out with probability p (so a customer with no repeat purchase is always alive). MBG/NBD: the dropout
 * coin is also tossed right after the first purchase at time 0, so some customers never come back.
 */

import type { BgNbdParams } from '../worker/analytics/clv/types';
import { drawAge, validateAgeDistribution } from './customer-ages';
import { createRandom } from '../worker/analytics/math/random';
import { allocateHistory, type SimulatedPurchases, type SimulationOptions } from './simulated-history';
import { requireCount, requirePositiveParams } from './simulation-error';

/** Simulates `options.customers` BG/NBD customers observed over (0, T]. */
export function simulateBgNbd(params: BgNbdParams, options: SimulationOptions): SimulatedPurchases {
  return simulateBetaGeometric('BG/NBD', params, options, false);
}

/** Simulates `options.customers` MBG/NBD customers (dropout possible at time 0 too) observed over (0, T]. */
export function simulateMbgNbd(params: BgNbdParams, options: SimulationOptions): SimulatedPurchases {
  return simulateBetaGeometric('MBG/NBD', params, options, true);
}

function simulateBetaGeometric(
  model: string,
  params: BgNbdParams,
  options: SimulationOptions,
  dropoutAtFirstPurchase: boolean,
): SimulatedPurchases {
  const { r, alpha, a, b } = params;
  requirePositiveParams(model, { r, alpha, a, b });
  requireCount('customers', options.customers);
  validateAgeDistribution(options.T, options.customers);
  const n = options.customers;
  const random = createRandom(options.seed);
  const out = allocateHistory(n);
  const { frequency, recency, T: ages, alive } = out;
  for (let i = 0; i < n; i++) {
    const T = drawAge(options.T, i, random);
    const lambda = random.gamma(r, alpha);
    const p = random.beta(a, b);
    let x = 0;
    let tx = 0;
    let active = !(dropoutAtFirstPurchase && random.uniform() < p);
    if (active) {
      let t = 0;
      while (true) {
        t += random.exponential(lambda);
        // `!(t <= T)` also stops on λ = 0 (t = ∞) and the NaN of 0/0.
        if (!(t <= T)) break;
        x++;
        tx = t;
        if (random.uniform() < p) {
          active = false;
          break;
        }
      }
    }
    frequency[i] = x;
    recency[i] = tx;
    ages[i] = T;
    alive[i] = active ? 1 : 0;
  }
  return out;
}
