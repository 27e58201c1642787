/**
 * A simulated shop for the churn tests: customers buy at a personal Poisson rate (mean gap 20–60 days) until
 * an exponential lifetime ends (mean 300 days), over two years from day START. Who stopped is visible in
 * recency and frequency, so a churn model must rank well on it.
 */
import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import type { ChurnInput } from '../../../worker/analytics/churn/types';
import { createRandom } from '../../../worker/analytics/math/random';

export const START = 15_000; // a day number; the data cover START … START + 729

export function simulatedShop(customers: number, seed: number): ChurnInput & { endDay: number } {
  const random = createRandom(seed);
  const customer: number[] = [];
  const time: number[] = [];
  const amount: number[] = [];
  const endDay = START + 729;
  for (let c = 0; c < customers; c++) {
    let t = START + random.uniform() * 500;
    const death = t + random.exponential(1 / 300);
    const meanGap = 20 + random.uniform() * 40;
    while (t <= Math.min(endDay, death)) {
      customer.push(c);
      time.push(t * MS_PER_DAY);
      amount.push(random.gamma(2, 0.05));
      t += random.exponential(1 / meanGap);
    }
  }
  return {
    orders: {
      customer: Int32Array.from(customer),
      time: Float64Array.from(time),
      amount: Float64Array.from(amount),
    },
    customers,
    endDay,
  };
}
