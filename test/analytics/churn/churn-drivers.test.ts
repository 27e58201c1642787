import {
  churnDrivers,
  churnDriverTable,
  describeDriver,
  peerGrid,
  peerShare,
} from '../../../worker/analytics/churn/churn-drivers';
import { computeChurnFeatures } from '../../../worker/analytics/churn/churn-features';
import { groupOrdersByCustomer } from '../../../worker/analytics/churn/customer-histories';
import { channelWords, peerPhrase } from '../../../worker/analytics/churn/driver-words';
import { trainChurnModel } from '../../../worker/analytics/churn/fit-churn-classifier';
import type { LogisticModel } from '../../../worker/analytics/churn/logistic-regression';
import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import type { ChurnInput } from '../../../worker/analytics/churn/types';
import { simulatedShop } from './simulated-shop';

describe('driver texts', () => {
  const none = () => NaN;
  it('quotes recency with the usual gap when it is long overdue', () => {
    const row = (name: string) => (name === 'recency_gap_ratio' ? 3.04 : NaN);
    expect(describeDriver('recency_days', 142, 1.2, row)).toBe('no order for 142 days (3× their usual gap)');
    expect(describeDriver('recency_days', 142, 1.2, none)).toBe('no order for 142 days');
    const single = (name: string) =>
      name === 'recency_gap_ratio' ? 2 : name === 'frequency_orders' ? 1 : NaN;
    expect(describeDriver('recency_days', 60, 1.2, single)).toBe(
      "no order for 60 days (2× a typical customer's gap)",
    );
    expect(describeDriver('recency_days', 3, -0.5, none)).toBe('looks safe: ordered 3 days ago');
  });

  it('says a raised risk in words and labels a reason to look safe', () => {
    expect(describeDriver('frequency_orders', 1, 0.8)).toBe('a single order so far');
    expect(describeDriver('frequency_orders', 3, 0.8)).toBe('3 orders so far');
    expect(describeDriver('frequency_orders', 12, -0.8)).toBe('looks safe: 12 orders');
    expect(describeDriver('refunds_count', 2, 0.3)).toBe('2 refunds');
    expect(describeDriver('spend_trend', -0.7, 0.3)).toBe(
      'spend falling (the last 90 days against the 90 days before)',
    );
    expect(describeDriver('monetary_total', 12345.4, -1)).toBe('looks safe: 12,345 spent in total');
    expect(describeDriver('support_tickets', 1, 0.2)).toBe('1 support ticket');
    expect(describeDriver('gap_trend', 2.5, 0.2)).toBe(
      'gaps between orders growing (the last 2.5× the usual)',
    );
  });

  it('compares the recent pace with the customer’s own earlier pace, not with “few orders”', () => {
    const row = (name: string) => (name === 'frequency_orders' ? 13 : name === 'tenure_days' ? 390 : NaN);
    // 12 orders in the 300 days before the last 90: about 3.6 per 90 days.
    expect(describeDriver('recent_orders', 1, 0.4, row)).toBe(
      '1 order in the last 90 days, against about 3.6 per 90 days before',
    );
  });

  it('names channels in readable words', () => {
    expect(describeDriver('channel=OFFLINE', 1, 0.2)).toBe('buys mainly offline');
    expect(describeDriver('channel=web', 1, -0.2)).toBe('looks safe: buys mainly via the web shop');
    expect(channelWords('ORGANIC_SEARCH')).toBe('after an organic search');
    expect(channelWords('Phone Inquiry')).toBe('by phone');
    expect(channelWords('store')).toBe('in store');
    expect(channelWords('POP_UP_STALL')).toBe('via Pop Up Stall');
  });

  it('never shows a feature name', () => {
    expect(describeDriver('loyalty_points_balance', 3, 0.4)).not.toMatch(/_/);
  });

  it('compares with peers only as far as the share allows, rounding down', () => {
    expect(peerPhrase('more than', 0.93)).toBe('more than 90% of customers');
    expect(peerPhrase('more than', 0.9)).toBe('more than 85% of customers');
    expect(peerPhrase('fewer than', 0.5)).toBe('');
  });
});

describe('where a customer stands among the scored customers', () => {
  it('is exact on small data and a lower bound on large', () => {
    const features = {
      featureNames: ['x'],
      raw: Float64Array.from([1, 2, 2, 3, 10]),
      customer: new Int32Array(5),
    } as unknown as Parameters<typeof peerGrid>[0];
    const peers = peerGrid(features);
    expect(peerShare(peers, 0, 3, true)).toBeCloseTo(3 / 5, 12); // 1, 2, 2 below 3
    expect(peerShare(peers, 0, 2, false)).toBeCloseTo(2 / 5, 12); // 3, 10 above 2
    const n = 100_000;
    const big = {
      featureNames: ['x'],
      raw: Float64Array.from({ length: n }, (_, i) => i),
      customer: new Int32Array(n),
    } as unknown as Parameters<typeof peerGrid>[0];
    const grid = peerGrid(big);
    for (const x of [5, 12_345.5, 77_777, 99_998]) {
      const below = peerShare(grid, 0, x, true);
      expect(below).toBeLessThanOrEqual(Math.ceil(x) / n);
      expect(below).toBeGreaterThan(Math.ceil(x) / n - 0.002);
    }
  });
});

describe('drivers per customer', () => {
  const at = (day: number) => day * MS_PER_DAY + 3_600_000;
  /** Six customers; customer 0 has refunds, the others none. */
  const orders: [number, number, number][] = [
    [0, 10, 50],
    [0, 30, 50],
    [0, 50, 50],
    [1, 90, 20],
    [2, 20, 10],
    [2, 25, 10],
    [3, 5, 5],
    [4, 60, 30],
    [4, 80, 30],
    [4, 95, 30],
    [5, 40, 15],
  ];
  const input: ChurnInput = {
    orders: {
      customer: Int32Array.from(orders, (o) => o[0]),
      time: Float64Array.from(orders, (o) => at(o[1])),
      amount: Float64Array.from(orders, (o) => o[2]),
    },
    customers: 6,
    cancellations: {
      customer: Int32Array.from([0, 0]),
      time: Float64Array.from([at(31), at(51)]),
      value: Float64Array.from([-5, -7]),
    },
  };
  const features = computeChurnFeatures(input, groupOrdersByCustomer(input.orders, 6), 100);
  const p = features.names.length;
  /** A model at the features' own means, SD 1, with the given coefficient on each column of a feature. */
  const modelWith = (beta: Record<string, number>): LogisticModel => {
    const mean = new Array<number>(p).fill(0);
    const sd = new Array<number>(p).fill(1);
    const n = features.customer.length;
    for (let j = 0; j < p; j++) {
      for (let r = 0; r < n; r++) mean[j] += features.values[r * p + j] / n;
    }
    return {
      names: features.names,
      mean,
      sd,
      intercept: 0,
      coefficients: features.spec.columnFeature.map((name) => beta[name] ?? 0),
      l2: 1,
      iterations: 0,
      converged: true,
      logLoss: 0,
    };
  };
  const row = (c: number) => features.customer.indexOf(c);

  it('gives an at-risk customer only what raises the risk, largest first', () => {
    const model = modelWith({ recency_days: 1, frequency_orders: -1, monetary_total: -0.5 });
    const drivers = churnDrivers(model, features);
    const quiet = drivers[row(3)]; // one order on day 5, quiet 95 days
    expect(quiet.length).toBeGreaterThan(0);
    for (const d of quiet) expect(d.contribution).toBeGreaterThan(0);
    const c = quiet.map((d) => d.contribution);
    expect(c).toEqual([...c].sort((a, b) => b - a));
    expect(quiet[0].text).toMatch(/^no order for 95 days/);
    // Customer 4 (three orders, the last five days ago) has nothing raising the risk.
    expect(drivers[row(4)]).toEqual([]);
  });

  it('tells a low-risk customer why they look safe', () => {
    const model = modelWith({ recency_days: 1, frequency_orders: -1 });
    const safe = features.customer.map(() => 1);
    const drivers = churnDrivers(model, features, 3, { safe });
    const active = drivers[row(4)];
    expect(active.length).toBeGreaterThan(0);
    for (const d of active) {
      expect(d.contribution).toBeLessThan(0);
      expect(d.text).toMatch(/^looks safe: /);
    }
    expect(active.map((d) => d.feature)).toContain('frequency_orders');
  });

  it('never gives an absent event as a reason, either way', () => {
    // Refunds weigh heavily: customer 0 has two; the five others have none.
    const model = modelWith({ refunds_count: 2, recency_days: 0.1 });
    const risky = churnDrivers(model, features);
    const safe = churnDrivers(model, features, 3, { safe: features.customer.map(() => 1) });
    expect(risky[row(0)][0]).toMatchObject({
      feature: 'refunds_count',
      text: '2 refunds, more than 80% of customers',
    });
    for (const list of [...risky, ...safe]) {
      for (const d of list) expect(d.text).not.toMatch(/no refund|0 refund/);
    }
    for (const c of [1, 2, 3, 4, 5])
      expect(safe[row(c)].map((d) => d.feature)).not.toContain('refunds_count');
  });

  it('tells “quiet for k gaps” inside the recency text, with both contributions', () => {
    const model = modelWith({ recency_days: 1, recency_gap_ratio: 1 });
    const table = churnDriverTable(model, features, 3);
    const r = row(3);
    const drivers = churnDrivers(model, features)[r];
    expect(drivers.map((d) => d.feature)).toEqual(['recency_days']);
    // Each feature's part: Σ over its columns of β (x − mean) / sd, with β = 1 and sd = 1 here.
    const part = (feature: string) =>
      features.names.reduce(
        (s, _, j) =>
          features.spec.columnFeature[j] === feature ? s + features.values[r * p + j] - model.mean[j] : s,
        0,
      );
    expect(part('recency_days')).toBeGreaterThan(0);
    expect(part('recency_gap_ratio')).toBeGreaterThan(0);
    expect(table.contribution[r * 3]).toBeCloseTo(part('recency_days') + part('recency_gap_ratio'), 12);
    expect(drivers[0].text).toMatch(/^no order for 95 days \(\d+(\.\d)?× a typical customer's gap\)/);
  });
});

describe('drivers of a fitted model', () => {
  const shop = simulatedShop(2000, 8);
  const h = groupOrdersByCustomer(shop.orders, shop.customers);
  const { model } = trainChurnModel(shop, h, shop.endDay - 180, shop.endDay - 90);
  const features = computeChurnFeatures(shop, h, shop.endDay - 90, { spec: model.spec, trendDays: 90 });
  const logits = Array.from(features.customer, (_, r) => {
    let eta = model.logistic.intercept;
    model.logistic.names.forEach((_, j) => {
      eta +=
        (model.logistic.coefficients[j] *
          (features.values[r * features.names.length + j] - model.logistic.mean[j])) /
        model.logistic.sd[j];
    });
    return eta;
  });
  const sorted = [...logits].sort((a, b) => a - b);
  const safe = logits.map((e) => (e < sorted[Math.floor(sorted.length / 2)] ? 1 : 0));
  const drivers = churnDrivers(model.logistic, features, 3, { safe });
  const q = features.featureNames.length;
  const orders = Array.from(
    features.customer,
    (_, r) => features.raw[r * q + features.featureNames.indexOf('frequency_orders')],
  );
  const p90 = [...orders].sort((a, b) => a - b)[Math.floor(0.9 * orders.length)];

  it('never tells a frequent customer they have few orders', () => {
    let frequent = 0;
    drivers.forEach((list, r) => {
      if (!(orders[r] > p90)) return;
      frequent++;
      for (const d of list) {
        if (d.contribution > 0) expect(d.feature).not.toBe('frequency_orders');
        expect(d.text).not.toMatch(/\bonly\b|\bfew(er)?\b.*\borders?\b|\borders?\b.*\bfewer\b|single order/);
      }
    });
    expect(frequent).toBeGreaterThan(50);
  });

  it('holds every driver to its side and its words', () => {
    drivers.forEach((list, r) => {
      for (const d of list) {
        expect(Math.sign(d.contribution)).toBe(safe[r] ? -1 : 1);
        expect(d.text).not.toMatch(/_/);
        expect(d.text.startsWith('looks safe: ')).toBe(Boolean(safe[r]));
      }
    });
  });
});
