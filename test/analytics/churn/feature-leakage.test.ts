/**
 * The leakage guard: a feature is trained on only if its value at the (back-dated) training cutoff is known
 * then. Declared per feature (asOf) and checked before training, for built-in and caller-defined features
 * alike.
 */
import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import { computeChurnFeatures } from '../../../worker/analytics/churn/churn-features';
import { trainAndScoreChurn } from '../../../worker/analytics/churn/churn-stage';
import { groupOrdersByCustomer } from '../../../worker/analytics/churn/customer-histories';
import { assertKnownAsOf, inputAsOf } from '../../../worker/analytics/churn/feature-availability';
import { countWords } from '../../../worker/analytics/churn/feature-catalogue';
import type { ChurnFeatureDefinition } from '../../../worker/analytics/churn/feature-definition';
import { trainChurnModel } from '../../../worker/analytics/churn/fit-churn-classifier';
import { ChurnError } from '../../../worker/analytics/churn/types';
import { simulatedShop } from './simulated-shop';

const shop = simulatedShop(1500, 3);
const observationEnd = shop.endDay * MS_PER_DAY;

/** Orders over the customer's whole history: at a back-dated cutoff it counts orders that came later. */
const lifetimeOrders: ChurnFeatureDefinition = {
  name: 'lifetime_orders',
  asOf: 'history',
  direction: -1,
  words: countWords('order in all', 'orders in all'),
  compute: ({ h, customer }) => ({ raw: Float64Array.from(customer, (c) => h.start[c + 1] - h.start[c]) }),
};

/** Whether the customer orders in the 30 days after the cutoff: the label itself, nearly. */
const ordersNextMonth: ChurnFeatureDefinition = {
  name: 'orders_next_month',
  asOf: 'history',
  direction: -1,
  words: countWords('order next month', 'orders next month'),
  compute: ({ h, customer, end, cutoffDay }) => ({
    raw: Float64Array.from(customer, (c, r) => {
      let k = 0;
      for (let j = end[r]; j < h.start[c + 1] && h.day[j] <= cutoffDay + 30; j++) k++;
      return k;
    }),
  }),
};

/** Weekend orders up to the cutoff (the context's end index): honest. */
const weekendOrders: ChurnFeatureDefinition = {
  name: 'weekend_orders',
  asOf: 'history',
  direction: -1,
  words: countWords('weekend order', 'weekend orders'),
  compute: ({ h, customer, end }) => ({
    raw: Float64Array.from(customer, (c, r) => {
      let k = 0;
      for (let j = h.start[c]; j < end[r]; j++) if ((h.day[j] + 4) % 7 >= 5) k++;
      return k;
    }),
  }),
};

describe('the leakage guard', () => {
  it.each([lifetimeOrders, ordersNextMonth])(
    'refuses a feature that peeks past the cutoff: $name',
    (feature) => {
      let caught: unknown;
      try {
        trainAndScoreChurn({ ...shop, observationEnd, options: { extraFeatures: [feature] } });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ChurnError);
      expect(caught).toMatchObject({ code: 'FEATURE_LEAKS_FUTURE', feature: feature.name });
      expect((caught as Error).message).toContain(`"${feature.name}"`);
    },
  );

  it('refuses it before any fitting, in the classifier itself', () => {
    const h = groupOrdersByCustomer(shop.orders, shop.customers);
    expect(() =>
      trainChurnModel(shop, h, shop.endDay - 180, shop.endDay - 90, { extraFeatures: [lifetimeOrders] }),
    ).toThrow(expect.objectContaining({ code: 'FEATURE_LEAKS_FUTURE', feature: 'lifetime_orders' }));
  });

  it('trains on an honest feature of the caller’s and says so', () => {
    const result = trainAndScoreChurn({
      ...shop,
      observationEnd,
      options: { extraFeatures: [weekendOrders] },
    });
    expect(result.model.spec.features.map((d) => d.name)).toContain('weekend_orders');
    expect(result.featureAvailability).toContainEqual({
      name: 'weekend_orders',
      source: 'history',
      usedInTraining: true,
    });
  });

  it('lists snapshot counters as known now only, and never trains on them', () => {
    // Page views that grew with every later order: today's value describes the label's window.
    const h = groupOrdersByCustomer(shop.orders, shop.customers);
    const pageViews = Float64Array.from(
      { length: shop.customers },
      (_, c) => 3 * (h.start[c + 1] - h.start[c]),
    );
    const emailOpens = Float64Array.from({ length: shop.customers }, (_, c) => (c * 7919) % 13);
    const withEngagement = trainAndScoreChurn({
      ...shop,
      engagement: { pageViews, emailOpens },
      observationEnd,
    });
    const plain = trainAndScoreChurn({ ...shop, observationEnd });
    for (const name of ['page_views', 'email_opens']) {
      expect(withEngagement.featureAvailability).toContainEqual(
        expect.objectContaining({ name, source: 'snapshot', usedInTraining: false }),
      );
      expect(withEngagement.model.logistic.names).not.toContain(name);
    }
    expect(withEngagement.evaluation!.featureAvailability).toEqual(withEngagement.featureAvailability);
    expect(withEngagement.warnings.join(' ')).toMatch(
      /email opens, page views: CRM snapshots with no history/,
    );
    // Nothing of the counters reaches a score or the reported AUC.
    expect(withEngagement.evaluation!.rocAuc).toBe(plain.evaluation!.rocAuc);
    expect(Array.from(withEngagement.perCustomer.probability)).toEqual(
      Array.from(plain.perCustomer.probability),
    );
  });

  it('refuses a snapshot feature forced into a training spec', () => {
    const h = groupOrdersByCustomer(shop.orders, shop.customers);
    const cutoff = shop.endDay - 90;
    const features = computeChurnFeatures(shop, h, cutoff);
    const snapshot: ChurnFeatureDefinition = { ...weekendOrders, name: 'loyalty_tier', asOf: 'snapshot' };
    const spec = { ...features.spec, features: [...features.spec.features, snapshot] };
    expect(() => assertKnownAsOf(spec, shop, h, cutoff, 90)).toThrow(
      expect.objectContaining({ code: 'FEATURE_LEAKS_FUTURE', feature: 'loyalty_tier' }),
    );
  });

  it('passes every built-in feature', () => {
    const h = groupOrdersByCustomer(shop.orders, shop.customers);
    const cutoff = shop.endDay - 200;
    const withAll = {
      ...shop,
      cancellations: {
        customer: Int32Array.from([1, 2, 3, 4]),
        time: Float64Array.from([cutoff - 5, cutoff + 5, cutoff - 50, cutoff + 50], (d) => d * MS_PER_DAY),
        value: Float64Array.from([-3, -4, -5, -6]),
      },
      serviceCases: {
        customer: Int32Array.from([1, 5]),
        time: Float64Array.from([cutoff - 1, cutoff + 1], (d) => d * MS_PER_DAY),
        priority: Float64Array.from([2, 3]),
      },
    };
    const features = computeChurnFeatures(withAll, h, cutoff);
    expect(features.featureNames).toContain('refunds_count');
    expect(features.featureNames).toContain('support_max_priority');
    expect(() => assertKnownAsOf(features.spec, withAll, h, cutoff, 90)).not.toThrow();
  });

  it('sees the input as it stood at the cutoff', () => {
    const cutoff = shop.endDay - 100;
    const past = inputAsOf(shop, cutoff);
    expect(past.orders.time.every((t) => Math.floor(t / MS_PER_DAY) <= cutoff)).toBe(true);
    const before = Array.from(shop.orders.time).filter((t) => Math.floor(t / MS_PER_DAY) <= cutoff).length;
    expect(past.orders.time.length).toBe(before);
  });
});
