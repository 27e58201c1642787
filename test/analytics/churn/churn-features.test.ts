import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import { computeChurnFeatures } from '../../../worker/analytics/churn/churn-features';
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

describe('churn features at a cutoff', () => {
  const input = buildInput();
  const h = groupOrdersByCustomer(input.orders, input.customers);
  const f = computeChurnFeatures(input, h, 100, {
    trendDays: 30,
    pAlive: Float64Array.from([0.9, 0.2, NaN]),
  });
  const p = f.names.length;
  const value = (row: number, name: string) => f.values[row * p + f.names.indexOf(name)];
  const raw = (row: number, name: string) => f.raw[row * p + f.names.indexOf(name)];

  it('names every feature the inputs allow, in a fixed order', () => {
    expect(f.names).toEqual([
      'recency_days',
      'frequency_orders',
      'monetary_total',
      'average_order_value',
      'tenure_days',
      'recency_gap_ratio',
      'gap_trend',
      'spend_trend',
      'recent_orders',
      'channel=phone',
      'refunds_count',
      'refunds_value',
      'support_tickets',
      'support_max_priority',
      'email_opens',
      'p_alive',
    ]);
    expect(Array.from(f.customer)).toEqual([0, 1]);
  });

  it('computes the order history features by hand', () => {
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
    expect(value(0, 'email_opens')).toBeCloseTo(Math.log1p(5), 12);
    expect(value(1, 'p_alive')).toBe(0.2);
  });

  it('omits the features whose inputs are absent', () => {
    const bare = buildInput({ cancellations: undefined, serviceCases: undefined, engagement: undefined });
    const { channel: _channel, ...ordersWithoutChannel } = bare.orders;
    const plain = { ...bare, orders: ordersWithoutChannel };
    const g = computeChurnFeatures(plain, groupOrdersByCustomer(plain.orders, 3), 100);
    expect(g.names).toEqual(f.names.slice(0, 9));
  });

  it('refuses to rebuild a model’s columns without the inputs it used', () => {
    const bare = buildInput({ cancellations: undefined });
    expect(() =>
      computeChurnFeatures(bare, groupOrdersByCustomer(bare.orders, 3), 100, {
        spec: f.spec,
        pAlive: new Float64Array(3),
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CHURN_INPUT' }));
  });
});
