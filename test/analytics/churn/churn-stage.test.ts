import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import { churnLabels } from '../../../worker/analytics/churn/churn-labels';
import { trainAndScoreChurn } from '../../../worker/analytics/churn/churn-stage';
import { groupOrdersByCustomer } from '../../../worker/analytics/churn/customer-histories';
import { rocAuc } from '../../../worker/analytics/churn/ranking-metrics';
import type { ChurnInput, ChurnRisk } from '../../../worker/analytics/churn/types';
import { BUSINESS_DIRECTION } from './business-directions';
import { demoShop } from './demo-shop';
import { simulatedShop } from './simulated-shop';

/** Share and held-out churn rate per band: scored at `endDay`, outcomes from the data after it. */
function bandOutcomes(input: ChurnInput, endDay: number, dataEndDay: number) {
  const result = trainAndScoreChurn({ ...input, observationEnd: endDay * MS_PER_DAY });
  const h = groupOrdersByCustomer(input.orders, input.customers);
  const labels = churnLabels(h, endDay, dataEndDay, {
    windowDays: result.model.windowDays,
    gapMultiple: result.model.gapMultiple,
  });
  const tally: Record<ChurnRisk, { scored: number; labelled: number; churned: number }> = {
    low: { scored: 0, labelled: 0, churned: 0 },
    medium: { scored: 0, labelled: 0, churned: 0 },
    high: { scored: 0, labelled: 0, churned: 0 },
  };
  const scores: number[] = [];
  const y: number[] = [];
  let scored = 0;
  for (let c = 0; c < input.customers; c++) {
    const band = result.perCustomer.risk[c];
    if (band === null) continue;
    scored++;
    tally[band].scored++;
    if (!labels.labelable[c]) continue;
    tally[band].labelled++;
    tally[band].churned += labels.churned[c];
    scores.push(result.perCustomer.probability[c]);
    y.push(labels.churned[c]);
  }
  const share = (b: ChurnRisk) => tally[b].scored / scored;
  const rate = (b: ChurnRisk) => tally[b].churned / tally[b].labelled;
  return { result, share, rate, auc: rocAuc(scores, y) };
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

  it('sorts the customers into bands of useful size whose outcomes differ, and says how', () => {
    const result = trainAndScoreChurn({ ...shop, observationEnd: shop.endDay * MS_PER_DAY });
    expect(result.riskCounts.high).toBeLessThanOrEqual(0.2 * 3000);
    expect(result.riskCounts.high).toBeGreaterThan(0.15 * 3000);
    expect(result.riskCounts.medium).toBeGreaterThan(0.25 * 3000);
    expect(result.riskRule).toMatch(/^High risk: the 20% of customers with the highest churn probability/);
    // The out-of-time check applies the same rule at E − W and reports what each band then did.
    const [low, medium, high] = result.evaluation!.bands!;
    expect([low.band, medium.band, high.band]).toEqual(['low', 'medium', 'high']);
    // In this shop everyone who stopped is plainly quiet: medium and high both churn at about 100%.
    expect(medium.churnRate).toBeGreaterThan(low.churnRate + 0.3);
    expect(high.churnRate).toBeGreaterThanOrEqual(medium.churnRate);
  });

  it('explains a high risk with what raises it and a low risk with why it looks safe', () => {
    const result = trainAndScoreChurn({ ...shop, observationEnd: shop.endDay * MS_PER_DAY });
    let high = 0;
    let low = 0;
    for (let c = 0; c < shop.customers; c++) {
      const drivers = result.perCustomer.drivers(c);
      if (result.perCustomer.risk[c] === 'low') {
        low += drivers.length > 0 ? 1 : 0;
        for (const d of drivers) {
          expect(d.contribution).toBeLessThan(0);
          expect(d.text).toMatch(/^looks safe: /);
        }
      } else {
        if (result.perCustomer.risk[c] === 'high') high += drivers.length > 0 ? 1 : 0;
        for (const d of drivers) {
          expect(d.contribution).toBeGreaterThan(0);
          expect(d.text).not.toMatch(/^looks safe/);
        }
      }
    }
    expect(high).toBeGreaterThan(0.9 * result.riskCounts.high);
    expect(low).toBeGreaterThan(0.9 * result.riskCounts.low);
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
    expect(result.riskRule).toMatch(/^High risk: churn probability 0\.8 or more/);
    expect(result.perCustomer.probability[active]).toBeLessThan(result.perCustomer.probability[quiet]);
    expect(result.perCustomer.drivers(quiet)[0].contribution).toBeGreaterThan(0);
    expect(result.perCustomer.drivers(quiet)[0].text).toMatch(/^no order for \d+ days/);
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
    expect(() =>
      trainAndScoreChurn({
        ...shop,
        observationEnd: end,
        options: { riskBands: { highShare: 0.7, mediumShare: 0.5 } },
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CHURN_INPUT' }));
    expect(() => trainAndScoreChurn({ ...shop, customers: 10, observationEnd: end })).toThrow(
      /pass the full customer count/,
    );
    const tiny = simulatedShop(5, 1);
    expect(() => trainAndScoreChurn({ ...tiny, observationEnd: tiny.endDay * MS_PER_DAY })).toThrow(
      expect.objectContaining({ code: 'NOT_ENOUGH_CHURN_DATA' }),
    );
  });
});

describe('churn bands on the demo retailer', () => {
  // demo-data's BG/NBD world with CDNOW's parameters: most customers do not buy again within 90 days, so
  // fixed cuts at 0.3 / 0.6 put 88% of them in "high".
  const demo = demoShop(4000);
  // Scored at the end of June, outcomes from the second half of the year.
  const heldOut = bandOutcomes(demo, demo.endDay - 184, demo.endDay);

  it('holds every coefficient to its business direction, where a free fit would flip some', () => {
    // Free, this model weighs recency negatively in its upper segments and total spend positively.
    const { logistic, spec } = heldOut.result.model;
    logistic.coefficients.forEach((b, j) => {
      const direction = BUSINESS_DIRECTION[spec.columnFeature[j]];
      if (direction !== 0) expect(b * direction).toBeGreaterThanOrEqual(0);
    });
  });

  it('keeps high to at most a fifth', () => {
    expect(heldOut.share('high')).toBeLessThanOrEqual(0.2);
    expect(heldOut.share('high')).toBeGreaterThan(0.15);
    expect(heldOut.share('low')).toBeGreaterThan(0.4);
  });

  it('sorts outcomes: the observed churn rate rises from low to medium to high', () => {
    expect(heldOut.auc).toBeGreaterThan(0.78);
    expect(heldOut.rate('medium')).toBeGreaterThan(heldOut.rate('low') + 0.1);
    // The label saturates in this world (85% churn): the top half all churn at over 90%.
    expect(heldOut.rate('high')).toBeGreaterThan(heldOut.rate('medium'));
    // Fewer than half as many of the high band stay as of the medium band.
    expect(1 - heldOut.rate('high')).toBeLessThan(0.75 * (1 - heldOut.rate('medium')));
  });
});
