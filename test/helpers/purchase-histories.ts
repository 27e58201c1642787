/**
 * Purchase histories for the transaction-model tests: the CDNOW summary used by Fader, Hardie & Lee (2005)
 * and a direct, event-by-event simulator of the BG/NBD and MBG/NBD stories written from the papers' model
 * description (not from the code under test).
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PurchaseHistory } from '../../worker/analytics/clv/types';
import type { SeededRandom } from './random';

/** <repo>/../shared/data/..., where CI puts the shared data beside the repository. */
export function sharedDataPath(...parts: string[]): string {
  return path.resolve(__dirname, '../..', '../shared/data', ...parts);
}

/** cdnow_customers_summary.csv (ID, frequency, recency, T in weeks; 2,357 customers). */
export function loadCdnowSummary(): PurchaseHistory {
  const lines = readFileSync(sharedDataPath('lifetimes', 'cdnow_customers_summary.csv'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1);
  const n = lines.length;
  const history: PurchaseHistory = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
  };
  lines.forEach((line, i) => {
    const [, frequency, recency, T] = line.split(',').map(Number);
    history.frequency[i] = frequency;
    history.recency[i] = recency;
    history.T[i] = T;
  });
  return history;
}

export type SimulatedCustomer = {
  /** Repeat purchases in (0, T]. */
  x: number;
  /** Time of the last of them (0 when x = 0). */
  tx: number;
  /** Whether the customer is still active at T. */
  aliveAtT: boolean;
  /** Purchases in (T, T + horizon]. */
  future: number;
};

/**
 * One customer: λ ~ Gamma(r, rate α), p ~ Beta(a, b); first purchase at 0, exponential gaps while active,
 * a dropout coin with probability p after every repeat purchase, and (MBG/NBD) also right after the first.
 */
export function simulateCustomer(
  random: SeededRandom,
  params: { r: number; alpha: number; a: number; b: number },
  T: number,
  horizon: number,
  dropoutAtFirstPurchase: boolean,
): SimulatedCustomer {
  const lambda = random.gamma(params.r, params.alpha);
  const p = random.beta(params.a, params.b);
  let active = !(dropoutAtFirstPurchase && random.uniform() < p);
  let t = 0;
  let x = 0;
  let tx = 0;
  let future = 0;
  let aliveAtT = active;
  while (active) {
    t += random.exponential(lambda);
    if (!(t <= T + horizon)) break;
    if (t <= T) {
      x++;
      tx = t;
    } else {
      future++;
    }
    if (random.uniform() < p) {
      active = false;
      if (t <= T) aliveAtT = false;
    }
  }
  return { x, tx, aliveAtT, future };
}

/** Mean and its standard error. */
export function meanAndStandardError(values: number[]): { mean: number; se: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) * (v - mean), 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}
