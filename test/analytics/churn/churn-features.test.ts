import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import { computeChurnFeatures } from '../../../worker/analytics/churn/churn-features';
import { BUILT_IN_FEATURES } from '../../../worker/analytics/churn/feature-catalogue';
import { BUSINESS_DIRECTION } from './business-directions';
import { groupOrdersByCustomer } from '../../../worker/analytics/churn/customer-histories';
import type { ChurnInput } from '../../../worker/analytics/churn/types';

const at = (day: number) => day * MS_PER_DAY + 3_600_000;

/** Customer 0: days 10, 40, 70, 90; customer 1: day 50; customer 2: only after the cutoff (day 150). */
function buildInput(overrides: Partial<ChurnInput> = {}): ChurnInput {
  const orders = [
    [0, 10, 10, 0],
    [0, 40, 20, 1],
    [0, 70, 30, 1],
    [0, 90, 40, 1],
    [1, 50, 5, 0],
    [2, 150, 7, 0],
  ];
  return {
    orders: {
      customer: Int32Array.from(orders, (o) => o[0]),
      time: Float64Array.from(orders, (o) => at(o[1])),
      amount: Float64Array.from(orders, (o) => o[2]),
      channel: Int32Array.from(orders, (o) => o[3]),
    },
    customers: 3,
    channels: ['web', 'phone'],
    cancellations: {
      customer: Int32Array.from([0, 0, -1]),
      time: Float64Array.from([at(50), at(120), at(10)]),
      value: Float64Array.from([-15, -99, -5]),
    },
    serviceCases: {
      customer: Int32Array.from([1, 1, 0]),
      time: Float64Array.from([at(20), at(30), at(101)]),
      priority: Float64Array.from([2, 3, 9]),
    },
    engagement: { emailOpens: Float64Array.from([5, 0, 1]) },
    ...overrides,
  };
}

describe('the feature catalogue', () => {
  it('declares the business direction of every built-in feature', () => {
    expect(Object.fromEntries(BUILT_IN_FEATURES.map((d) => [d.name, d.direction]))).toEqual(
      BUSINESS_DIRECTION,
    );
  });
  it('declares the CRM engagement counters, and only those, as snapshots', () => {
    const snapshots = BUILT_IN_FEATURES.filter((d) => d.asOf === 'snapshot').map((d) => d.name);
    expect(snapshots).toEqual(['email_opens', 'email_clicks', 'page_views', 'social_clicks']);
  });
});

describe('churn features at a cutoff', () => {
  const input = buildInput();
  const h = groupOrdersByCustomer(input.orders, input.customers);
  const f = computeChurnFeatures(input, h, 100, {
    trendDays: 30,
    pAlive: Float64Array.from([0.9, 0.2, NaN]),
  });
  const p = f.names.length;
  const q = f.featureNames.length;
  const value = (row: number, name: string) => f.values[row * p + f.names.indexOf(name)];
  const raw = (row: number, name: string) => f.raw[row * q + f.featureNames.indexOf(name)];

  it('names every history feature the inputs allow, in a fixed order, and leaves snapshots out', () => {
    expect(f.featureNames).toEqual([
      'recency_days',
      'frequency_orders',
      'monetary_total',
      'average_order_value',
      'tenure_days',
      'recency_gap_ratio',
      'gap_trend',
      'spend_trend',
      'recent_orders',
      'main_channel',
      'refunds_count',
      'refunds_value',
      'support_tickets',
      'support_max_priority',
      'p_alive',
    ]);
    // email_opens is an engagement snapshot: never a training column.
    expect(f.names).not.toContain('email_opens');
    expect(f.names).toContain('channel=phone');
    expect(Array.from(f.customer)).toEqual([0, 1]);
  });

  it('computes the order history features by hand', () => {
    // Two customers: the quartile knots of a two-value column fall on its ends, so no spline segments.
    expect(value(0, 'recency_days')).toBeCloseTo(Math.log1p(10), 12);
    expect(value(0, 'frequency_orders')).toBeCloseTo(Math.log1p(4), 12);
    expect(value(0, 'monetary_total')).toBeCloseTo(Math.log1p(100), 12);
    expect(value(0, 'average_order_value')).toBeCloseTo(Math.log1p(25), 12);
    expect(value(0, 'tenure_days')).toBeCloseTo(Math.log1p(90), 12);
    // Gaps 30, 30, 20: usual 30, last 20.
    expect(value(0, 'recency_gap_ratio')).toBeCloseTo(Math.log(11 / 31), 12);
    expect(raw(0, 'recency_gap_ratio')).toBeCloseTo(10 / 30, 12);
    expect(value(0, 'gap_trend')).toBeCloseTo(Math.log(21 / 31), 12);
    // Last 30 days: day 90 (40); the 30 before: day 70 (age exactly 30) (30).
    expect(value(0, 'spend_trend')).toBeCloseTo(Math.log1p(40) - Math.log1p(30), 12);
    expect(raw(0, 'recent_orders')).toBe(1);
    expect(value(0, 'channel=phone')).toBe(1);
    expect(raw(0, 'main_channel')).toBe(1);
  });

  it('gives a one-purchase customer the other customers’ usual gap and no gap trend', () => {
    expect(value(1, 'recency_gap_ratio')).toBeCloseTo(Math.log(51 / 31), 12);
    expect(value(1, 'gap_trend')).toBe(0);
    expect(raw(1, 'gap_trend')).toBeNaN();
    expect(value(1, 'spend_trend')).toBeCloseTo(-Math.log1p(5), 12);
    expect(value(1, 'channel=phone')).toBe(0);
  });

  it('counts refunds and tickets before the cutoff only', () => {
    expect(raw(0, 'refunds_count')).toBe(1);
    expect(raw(0, 'refunds_value')).toBe(15);
    expect(value(0, 'refunds_value')).toBeCloseTo(Math.log1p(15), 12);
    expect(raw(1, 'refunds_count')).toBe(0);
    expect(raw(1, 'support_tickets')).toBe(2);
    expect(raw(1, 'support_max_priority')).toBe(3);
    expect(raw(0, 'support_tickets')).toBe(0);
    expect(value(1, 'p_alive')).toBe(0.2);
  });

  it('reads basket breadth from the line counts when the orders have them', () => {
    const lines = buildInput();
    lines.orders = { ...lines.orders, lineCount: Int32Array.from([1, 3, 2, 2, 5, 1]) };
    const g = computeChurnFeatures(lines, groupOrdersByCustomer(lines.orders, 3), 100);
    const at = (row: number) =>
      g.raw[row * g.featureNames.length + g.featureNames.indexOf('lines_per_order')];
    expect(at(0)).toBe(2);
    expect(at(1)).toBe(5);
  });

  it('models spline features as monotone segments between the training quartiles', () => {
    // 40 customers with 1…40 orders on days 1…k: log1p(orders) has quartile knots inside its range.
    const customer: number[] = [];
    const time: number[] = [];
    for (let c = 0; c < 40; c++) {
      for (let k = 0; k <= c; k++) {
        customer.push(c);
        time.push(at(1 + k));
      }
    }
    const many: ChurnInput = {
      orders: {
        customer: Int32Array.from(customer),
        time: Float64Array.from(time),
        amount: new Float64Array(customer.length).fill(10),
      },
      customers: 40,
    };
    const g = computeChurnFeatures(many, groupOrdersByCustomer(many.orders, 40), 60);
    const knots = g.spec.knots.frequency_orders;
    expect(knots).toHaveLength(3);
    const columns = g.names.filter((n) => n.startsWith('frequency_orders['));
    expect(columns).toEqual([
      'frequency_orders[s1]',
      'frequency_orders[s2]',
      'frequency_orders[s3]',
      'frequency_orders[s4]',
    ]);
    const pp = g.names.length;
    for (let r = 0; r < 40; r++) {
      // The segments add up to the value: min(x, k1) + Σ clamp pieces = x.
      const sum = columns.reduce((s, name) => s + g.values[r * pp + g.names.indexOf(name)], 0);
      expect(sum).toBeCloseTo(Math.log1p(r + 1), 12);
    }
    // Scoring with the spec rebuilds the same columns at another cutoff.
    const later = computeChurnFeatures(many, groupOrdersByCustomer(many.orders, 40), 80, { spec: g.spec });
    expect(later.names).toEqual(g.names);
  });

  it('omits the features whose inputs are absent', () => {
    const bare = buildInput({ cancellations: undefined, serviceCases: undefined, engagement: undefined });
    const { channel: _channel, ...ordersWithoutChannel } = bare.orders;
    const plain = { ...bare, orders: ordersWithoutChannel };
    const g = computeChurnFeatures(plain, groupOrdersByCustomer(plain.orders, 3), 100);
    expect(g.featureNames).toEqual(f.featureNames.slice(0, 9));
  });

  it('refuses to rebuild a model’s columns without the inputs it used', () => {
    const bare = buildInput({ cancellations: undefined });
    expect(() =>
      computeChurnFeatures(bare, groupOrdersByCustomer(bare.orders, 3), 100, {
        spec: f.spec,
        pAlive: new Float64Array(3),
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CHURN_INPUT', feature: 'refunds_count' }));
  });
});
