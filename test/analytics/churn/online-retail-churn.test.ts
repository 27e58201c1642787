/**
 * The churn model on the UCI Online Retail file. The test split of the original acceptance: trained at
 * 2011-06-09 with labels = any purchase in the next 90 days (to 2011-09-07), evaluated on a later split
 * (features at 2011-09-09, labels to 2011-12-08). With sign-constrained coefficients, monotone splines and
 * basket breadth the model reaches ≈ 0.760 on the training split and ≈ 0.743 on the later one (0.760 /
 * 0.737 before). The later split is at what its order history holds: the same features fitted on the later
 * split's own labels (in-sample, a diagnostic, never a model) reach only ≈ 0.750, and ≈ 0.754 with every
 * candidate feature tried (gap variation, own-gap quantiles, active months and blocks, buying-day rate,
 * BG/NBD P(alive) and expected purchases, year-earlier window, spline knots, regularisation, trend window):
 * none adds more than +0.003, inside the split's ±0.009 sampling error (Hanley & McNeil 1982). The later
 * window is the pre-Christmas season, which the summer training window cannot teach (the data hold one
 * December, after the training date), and every transaction model sees almost no drop-out at both dates, so
 * P(alive) ≈ 1 for all. The thresholds below are regression guards a little under the measured figures.
 *
 * The held-out check of the bands and drivers: scored at 2011-06-09 by the churn stage (its model trained
 * one window earlier), compared with what the customers did in the months after.
 */
import { loadOnlineRetail } from '../../helpers/online-retail';
import { MS_PER_DAY, parseTimestamp } from '../../../worker/analytics/clean/parse-timestamp';
import type { CleanResult } from '../../../worker/analytics/clean/types';
import { churnLabels } from '../../../worker/analytics/churn/churn-labels';
import { trainAndScoreChurn, type ChurnResult } from '../../../worker/analytics/churn/churn-stage';
import { groupOrdersByCustomer } from '../../../worker/analytics/churn/customer-histories';
import { scoreChurnModel, trainChurnModel } from '../../../worker/analytics/churn/fit-churn-classifier';
import { evaluateChurnModel } from '../../../worker/analytics/churn/out-of-time-check';
import { rocAuc } from '../../../worker/analytics/churn/ranking-metrics';
import { transactionModelPAlive } from '../../../worker/analytics/churn/transaction-model-p-alive';
import type { ChurnInput, ChurnRisk } from '../../../worker/analytics/churn/types';

const day = (iso: string) => Math.floor(parseTimestamp(iso) / MS_PER_DAY);

describe('churn on Online Retail', () => {
  let clean: CleanResult;
  let input: ChurnInput;

  beforeAll(async () => {
    clean = await loadOnlineRetail({ keepLines: false });
    input = {
      orders: clean.orders,
      customers: clean.customers.length,
      channels: clean.channels,
      cancellations: clean.cancellations,
    };
  });

  it('ranks churners on the training split and on a later one (fixed 90-day window)', () => {
    const h = groupOrdersByCustomer(input.orders, input.customers);
    const options = { windowDays: 90, gapMultiple: 0 };
    const trained = trainChurnModel(input, h, day('2011-06-09'), day('2011-09-07'), options);
    expect(trained.labels.counts.labelable).toBeGreaterThan(2500);
    const onTraining = evaluateChurnModel(
      trained.model,
      scoreChurnModel(trained.model, input, h, day('2011-06-09'), undefined, trained.features),
      trained.labels,
    );
    const laterLabels = churnLabels(h, day('2011-09-09'), day('2011-12-08'), options);
    const later = evaluateChurnModel(
      trained.model,
      scoreChurnModel(trained.model, input, h, day('2011-09-09')),
      laterLabels,
    );
    console.log(
      `Online Retail churn: training split AUC ${onTraining.rocAuc.toFixed(4)} (n ${onTraining.customers}, ` +
        `churn ${onTraining.churnRate.toFixed(3)}); later split AUC ${later.rocAuc.toFixed(4)}, PR AUC ` +
        `${later.prAuc.toFixed(4)}, Brier ${later.brier.toFixed(4)} (baseline ${later.brierBaseline.toFixed(4)}), ` +
        `lift@10% ${later.liftTopDecile.toFixed(3)} (n ${later.customers}, churn ${later.churnRate.toFixed(3)})`,
    );
    expect(onTraining.rocAuc).toBeGreaterThanOrEqual(0.75);
    expect(later.rocAuc).toBeGreaterThanOrEqual(0.735);
    expect(later.prAuc).toBeGreaterThan(later.churnRate + 0.1);
    expect(later.brier).toBeLessThan(later.brierBaseline);
    expect(later.liftTopDecile).toBeGreaterThan(1.5);
    // Every coefficient points the business way: more orders, less churn; longer silence, more.
    const columns = (feature: string) =>
      later.coefficients.filter((c) => c.feature === feature || c.feature.startsWith(`${feature}[`));
    expect(columns('frequency_orders').every((c) => c.coefficient <= 0)).toBe(true);
    expect(columns('frequency_orders').some((c) => c.coefficient < 0)).toBe(true);
    expect(columns('recency_days').every((c) => c.coefficient >= 0)).toBe(true);
    expect(columns('refunds_count').every((c) => c.coefficient >= 0)).toBe(true);
    expect(later.permutationImportance[0].aucDrop).toBeGreaterThan(0.01);
    expect(later.calibration).toHaveLength(10);
    expect(later.featureAvailability.every((f) => f.source === 'history')).toBe(true);
  });

  it('can use P(alive) from a transaction model refitted at each cutoff', () => {
    const h = groupOrdersByCustomer(input.orders, input.customers);
    const pAlive = transactionModelPAlive(clean.orders, clean.customers, 'bgnbd');
    const options = { windowDays: 90, gapMultiple: 0 };
    const trained = trainChurnModel(
      input,
      h,
      day('2011-06-09'),
      day('2011-09-07'),
      options,
      pAlive(day('2011-06-09')),
    );
    expect(trained.model.spec.features.map((d) => d.name)).toContain('p_alive');
    const later = evaluateChurnModel(
      trained.model,
      scoreChurnModel(trained.model, input, h, day('2011-09-09'), pAlive(day('2011-09-09'))),
      churnLabels(h, day('2011-09-09'), day('2011-12-08'), options),
    );
    expect(later.rocAuc).toBeGreaterThanOrEqual(0.72);
  });

  describe('scored at 2011-06-09, checked against the months after', () => {
    let result: ChurnResult;
    let churned: Uint8Array;
    let labelable: Uint8Array;

    beforeAll(() => {
      result = trainAndScoreChurn({ ...input, observationEnd: '2011-06-09' });
      const h = groupOrdersByCustomer(input.orders, input.customers);
      const labels = churnLabels(h, day('2011-06-09'), day('2011-12-09'), {
        windowDays: result.model.windowDays,
        gapMultiple: result.model.gapMultiple,
      });
      churned = labels.churned;
      labelable = labels.labelable;
    });

    it('ranks the outcomes it has not seen', () => {
      const scores: number[] = [];
      const y: number[] = [];
      for (let c = 0; c < input.customers; c++) {
        if (!labelable[c] || !(result.perCustomer.probability[c] >= 0)) continue;
        scores.push(result.perCustomer.probability[c]);
        y.push(churned[c]);
      }
      expect(y.length).toBeGreaterThan(2500);
      expect(rocAuc(scores, y)).toBeGreaterThanOrEqual(0.77);
    });

    it('puts at most a fifth in high, and each band churns clearly more than the one below', () => {
      const tally = { low: [0, 0, 0], medium: [0, 0, 0], high: [0, 0, 0] } as Record<ChurnRisk, number[]>;
      let scored = 0;
      for (let c = 0; c < input.customers; c++) {
        const band = result.perCustomer.risk[c];
        if (band === null) continue;
        scored++;
        tally[band][0]++;
        if (labelable[c]) {
          tally[band][1]++;
          tally[band][2] += churned[c];
        }
      }
      const share = (b: ChurnRisk) => tally[b][0] / scored;
      const rate = (b: ChurnRisk) => tally[b][2] / tally[b][1];
      console.log(
        `Online Retail bands at 2011-06-09: ${(['low', 'medium', 'high'] as const)
          .map((b) => `${b} ${(100 * share(b)).toFixed(1)}% (churn ${(100 * rate(b)).toFixed(1)}%)`)
          .join(', ')}`,
      );
      expect(share('high')).toBeLessThanOrEqual(0.2);
      expect(share('high')).toBeGreaterThan(0.15);
      expect(rate('medium')).toBeGreaterThan(rate('low') + 0.2);
      expect(rate('high')).toBeGreaterThan(rate('medium') + 0.05);
      expect(result.riskRule).toMatch(/^High risk: the 20% of customers/);
    });

    it('gives drivers that are true for the customer, in words', () => {
      const q = result.model.spec.features.map((d) => d.name);
      const texts: string[] = [];
      // Orders by the observation end, per customer.
      const orders = new Float64Array(input.customers);
      const end = day('2011-06-09');
      for (let o = 0; o < input.orders.customer.length; o++) {
        if (Math.floor(input.orders.time[o] / MS_PER_DAY) <= end) orders[input.orders.customer[o]]++;
      }
      const scoredOrders = Array.from(orders)
        .filter((k) => k > 0)
        .sort((a, b) => a - b);
      const p90 = scoredOrders[Math.floor(0.9 * scoredOrders.length)];
      let frequent = 0;
      for (let c = 0; c < input.customers; c++) {
        const risk = result.perCustomer.risk[c];
        if (risk === null) continue;
        for (const d of result.perCustomer.drivers(c)) {
          texts.push(d.text);
          expect(q).toContain(d.feature);
          if (risk === 'low') expect(d.contribution).toBeLessThan(0);
          else expect(d.contribution).toBeGreaterThan(0);
          if (orders[c] > p90) {
            expect(d.text).not.toMatch(
              /\bonly\b|\bfew(er)?\b.*\borders?\b|\borders?\b.*\bfewer\b|single order/,
            );
            if (d.contribution > 0) expect(d.feature).not.toBe('frequency_orders');
          }
        }
        if (orders[c] > p90) frequent++;
      }
      expect(frequent).toBeGreaterThan(200);
      expect(texts.length).toBeGreaterThan(2 * 2792);
      for (const t of texts) {
        expect(t).not.toMatch(/_/);
        expect(t).not.toMatch(/no refund|0 refunds/i);
      }
    });
  });

  it('scores every customer at the observation end with a model trained one window earlier', () => {
    const result = trainAndScoreChurn({ ...input, observationEnd: '2011-12-09' });
    const end = day('2011-12-09');
    expect(result.model.cutoffDay).toBe(end - 90);
    expect(result.evaluation).not.toBeNull();
    expect(result.evaluation!.trainedAtDay).toBe(end - 180);
    expect(result.evaluation!.evaluatedAtDay).toBe(end - 90);
    expect(result.evaluation!.rocAuc).toBeGreaterThanOrEqual(0.735);
    expect(result.warnings).toEqual([]);
    const { probability, risk, drivers } = result.perCustomer;
    for (let c = 0; c < input.customers; c++) {
      expect(probability[c]).toBeGreaterThan(0);
      expect(probability[c]).toBeLessThan(1);
      expect(risk[c]).not.toBeNull();
      const own = drivers(c);
      expect(own.length).toBeLessThanOrEqual(3);
      if (own.length > 0) {
        expect(own[0].text.length).toBeGreaterThan(0);
        expect(own[0].contribution).toBe(result.perCustomer.driverContribution[c * 3]);
      }
    }
    expect(drivers(-1)).toEqual([]);
    const { low, medium, high } = result.riskCounts;
    expect(low + medium + high).toBe(input.customers);
    expect(high).toBeLessThanOrEqual(0.2 * input.customers);
  });
});
