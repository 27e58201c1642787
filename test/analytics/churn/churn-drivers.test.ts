import { churnDrivers, describeDriver, riskBand } from '../../../worker/analytics/churn/churn-drivers';
import type { ChurnFeatures } from '../../../worker/analytics/churn/churn-features';
import type { LogisticModel } from '../../../worker/analytics/churn/logistic-regression';

describe('risk bands', () => {
  it('cuts at 0.3 and 0.6 by default', () => {
    expect([0, 0.29, 0.3, 0.59, 0.6, 1].map((p) => riskBand(p))).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
  });
  it('takes configured cut points', () => {
    expect(riskBand(0.5, { medium: 0.2, high: 0.4 })).toBe('high');
  });
});

describe('driver texts', () => {
  const none = () => NaN;
  it('quotes recency with the usual gap when it is long overdue', () => {
    const row = (name: string) => (name === 'recency_gap_ratio' ? 3.04 : NaN);
    expect(describeDriver('recency_days', 142, 1.2, row)).toBe('no order for 142 days, 3× their usual gap');
    expect(describeDriver('recency_days', 142, 1.2, none)).toBe('no order for 142 days');
    const single = (name: string) =>
      name === 'recency_gap_ratio' ? 2 : name === 'frequency_orders' ? 1 : NaN;
    expect(describeDriver('recency_days', 60, 1.2, single)).toBe(
      "no order for 60 days, 2× a typical customer's gap",
    );
    expect(describeDriver('recency_days', 3, -0.5, none)).toBe('ordered 3 days ago');
  });
  it('has one template per feature', () => {
    expect(describeDriver('frequency_orders', 1, 0.8, none)).toBe('only 1 order so far');
    expect(describeDriver('frequency_orders', 12, -0.8, none)).toBe('12 orders so far');
    expect(describeDriver('refunds_count', 2, 0.3, none)).toBe('2 refunds');
    expect(describeDriver('spend_trend', -0.7, 0.3, none)).toBe('spend falling (recent vs earlier period)');
    expect(describeDriver('monetary_total', 12345.4, -1, none)).toBe('12,345 spent in total');
    expect(describeDriver('support_tickets', 1, 0.2, none)).toBe('1 support ticket');
    expect(describeDriver('channel=phone', 1, 0.2, none)).toBe('buys mainly via phone');
    expect(describeDriver('gap_trend', 2.5, 0.2, none)).toBe(
      'gaps between orders growing (last 2.5× the usual)',
    );
  });
});

describe('top drivers per customer', () => {
  const model: LogisticModel = {
    names: ['recency_days', 'frequency_orders', 'refunds_count', 'tenure_days'],
    mean: [3, 1, 0.5, 5],
    sd: [1, 0.5, 0.5, 1],
    intercept: 0,
    coefficients: [1, -1, 0.5, 0.1],
    l2: 1,
    iterations: 0,
    converged: true,
    logLoss: 0,
  };
  it('keeps the three largest |β·z| with their signs, largest first', () => {
    // z = (5−3)/1 = 2, (0.7−1)/0.5 = −0.6, (1.5−0.5)/0.5 = 2, (5−5)/1 = 0
    // contributions: 2, 0.6, 1, 0
    const features: ChurnFeatures = {
      names: model.names,
      spec: { names: model.names, channelColumns: [] },
      cutoffDay: 0,
      customer: Int32Array.from([0]),
      values: Float64Array.from([5, 0.7, 1.5, 5]),
      raw: Float64Array.from([147, 1, 3, 147]),
    };
    const [drivers] = churnDrivers(model, features);
    expect(drivers.map((d) => d.feature)).toEqual(['recency_days', 'refunds_count', 'frequency_orders']);
    expect(drivers[0].contribution).toBeCloseTo(2, 12);
    expect(drivers[1].contribution).toBeCloseTo(1, 12);
    expect(drivers[2].contribution).toBeCloseTo(0.6, 12);
    expect(drivers.map((d) => d.text)).toEqual(['no order for 147 days', '3 refunds', 'only 1 order so far']);
  });
});
