import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import { trainAndScoreChurn } from '../../../worker/analytics/churn/train-and-score-churn';
import type { ChurnInput } from '../../../worker/analytics/churn/types';
import { createRandom } from '../../../worker/analytics/math/random';

const START = 15_000; // a day number; the data cover START … START + 729

/**
 * Customers buy at a personal Poisson rate (mean gap 20–60 days) until an exponential lifetime ends
 * (mean 300 days): who stopped is visible in recency and frequency, so the model must rank well.
 */
function simulatedShop(customers: number, seed: number): ChurnInput & { endDay: number } {
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

describe('trainAndScoreChurn', () => {
  const shop = simulatedShop(3000, 5);

  it('evaluates at E − W a model trained at E − 2W, and scores at E with a model trained at E − W', () => {
    const result = trainAndScoreChurn({ ...shop, observationEnd: shop.endDay * MS_PER_DAY });
    expect(result.model.cutoffDay).toBe(shop.endDay - 90);
    expect(result.evaluation!.trainedAtDay).toBe(shop.endDay - 180);
    expect(result.evaluation!.evaluatedAtDay).toBe(shop.endDay - 90);
    expect(result.evaluation!.rocAuc).toBeGreaterThan(0.85);
    expect(result.evaluation!.brier).toBeLessThan(result.evaluation!.brierBaseline);
    // Every customer has an order by E here, so every one is scored.
    expect(result.perCustomer.probability.every((p) => p > 0 && p < 1)).toBe(true);
    expect(result.riskCounts.low + result.riskCounts.medium + result.riskCounts.high).toBe(3000);
    expect(result.model.calibration.method).toBe('platt');
  });

  it('is deterministic for a seed', () => {
    const a = trainAndScoreChurn({ ...shop, observationEnd: shop.endDay * MS_PER_DAY, options: { seed: 3 } });
    const b = trainAndScoreChurn({ ...shop, observationEnd: shop.endDay * MS_PER_DAY, options: { seed: 3 } });
    expect(Array.from(a.perCustomer.probability)).toEqual(Array.from(b.perCustomer.probability));
  });

  it('ranks the customers who stopped buying above those still buying', () => {
    const result = trainAndScoreChurn({
      ...shop,
      observationEnd: shop.endDay * MS_PER_DAY,
      options: { riskCutPoints: { medium: 0.4, high: 0.8 } },
    });
    // A customer quiet for a year against one who bought last week.
    let quiet = -1;
    let active = -1;
    const last = new Float64Array(shop.customers);
    for (let o = 0; o < shop.orders.time.length; o++) {
      last[shop.orders.customer[o]] = Math.max(last[shop.orders.customer[o]], shop.orders.time[o]);
    }
    for (let c = 0; c < shop.customers; c++) {
      const quietDays = shop.endDay - last[c] / MS_PER_DAY;
      if (quiet < 0 && quietDays > 365) quiet = c;
      if (active < 0 && quietDays < 7) active = c;
    }
    expect(result.perCustomer.probability[quiet]).toBeGreaterThan(0.8);
    expect(result.perCustomer.risk[quiet]).toBe('high');
    expect(result.perCustomer.probability[active]).toBeLessThan(result.perCustomer.probability[quiet]);
    expect(result.perCustomer.drivers(quiet)[0].contribution).toBeGreaterThan(0);
  });

  it('skips the evaluation with a warning when the data are too short for it', () => {
    // Only the last 200 days: E − 2W leaves 20 days of history, too few labelled customers.
    const from = (shop.endDay - 200) * MS_PER_DAY;
    const keep = Array.from(shop.orders.time, (t, o) => (t >= from ? o : -1)).filter((o) => o >= 0);
    const orders = {
      customer: Int32Array.from(keep, (o) => shop.orders.customer[o]),
      time: Float64Array.from(keep, (o) => shop.orders.time[o]),
      amount: Float64Array.from(keep, (o) => shop.orders.amount[o]),
    };
    const result = trainAndScoreChurn({
      orders,
      customers: shop.customers,
      observationEnd: shop.endDay * MS_PER_DAY,
      options: { windowDays: 95 },
    });
    expect(result.evaluation).toBeNull();
    expect(result.warnings[0]).toMatch(/evaluation split skipped/);
    // Customers without an order by E are not scored.
    const unscored = Array.from(result.perCustomer.probability).filter((p) => Number.isNaN(p)).length;
    expect(unscored).toBeGreaterThan(0);
  });

  it('says what to do with bad input', () => {
    const end = shop.endDay * MS_PER_DAY;
    expect(() => trainAndScoreChurn({ ...shop, observationEnd: 'soon' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CHURN_INPUT' }),
    );
    expect(() => trainAndScoreChurn({ ...shop, observationEnd: end, options: { windowDays: 0 } })).toThrow(
      expect.objectContaining({ code: 'INVALID_CHURN_INPUT' }),
    );
    expect(() => trainAndScoreChurn({ ...shop, customers: 10, observationEnd: end })).toThrow(
      /pass the full customer count/,
    );
    const tiny = simulatedShop(5, 1);
    expect(() => trainAndScoreChurn({ ...tiny, observationEnd: tiny.endDay * MS_PER_DAY })).toThrow(
      expect.objectContaining({ code: 'NOT_ENOUGH_CHURN_DATA' }),
    );
  });
});
