import {
  ClvError,
  MONTH_LENGTH,
  discountedClv,
  discountedClvs,
  historicClv,
  type TimeUnit,
} from '../../../worker/analytics/clv/clv';

const linear = (t: number): number => 0.1 * t;

function errorOf(f: () => unknown): ClvError {
  try {
    f();
  } catch (e) {
    if (e instanceof ClvError) return e;
    throw e;
  }
  throw new Error('expected a ClvError');
}

describe('discountedClv', () => {
  it('discounts monthly increments of expected purchases (weeks: month = 4.345 weeks)', () => {
    // E X(t) = 0.1 t: each month adds 0.1 · 4.345 = 0.4345 purchases worth 20 each = 8.69.
    const { clv, clvNet } = discountedClv({
      expectedPurchases: linear,
      averageValue: 20,
      months: 3,
      monthlyDiscountRate: 0.01,
      timeUnit: 'week',
    });
    expect(clv).toBeCloseTo(8.69 / 1.01 + 8.69 / 1.0201 + 8.69 / 1.030301, 10);
    expect(clv).toBeCloseTo(25.5571614, 6);
    expect(clvNet).toBeNull();
  });

  it('uses 30-day months for the day unit', () => {
    // Each month adds 0.1 · 30 = 3 purchases worth 20 each = 60.
    const { clv } = discountedClv({
      expectedPurchases: linear,
      averageValue: 20,
      months: 3,
      monthlyDiscountRate: 0.01,
      timeUnit: 'day',
    });
    expect(clv).toBeCloseTo(60 / 1.01 + 60 / 1.0201 + 60 / 1.030301, 10);
  });

  it('applies the margin and subtracts the acquisition cost for the net CLV', () => {
    const { clv, clvNet } = discountedClv({
      expectedPurchases: linear,
      averageValue: 20,
      months: 3,
      monthlyDiscountRate: 0.01,
      timeUnit: 'day',
      margin: 0.25,
      acquisitionCost: 5,
    });
    const gross = 15 / 1.01 + 15 / 1.0201 + 15 / 1.030301; // 60 · 0.25 = 15 a month
    expect(clv).toBeCloseTo(gross, 10);
    expect(clvNet).toBeCloseTo(gross - 5, 10);
  });

  it('telescopes to value × E X(horizon) without discounting', () => {
    // Any model: Σ [E X(i·m) − E X((i−1)·m)] = E X(12 · 4.345) − E X(0).
    const saturating = (t: number): number => 2 * (1 - Math.exp(-t / 50));
    const { clv } = discountedClv({
      expectedPurchases: saturating,
      averageValue: 20,
      months: 12,
      monthlyDiscountRate: 0,
      timeUnit: 'week',
    });
    expect(clv).toBeCloseTo(20 * 2 * (1 - Math.exp(-52.14 / 50)), 10);
  });

  it('names the field when an input is out of range', () => {
    const base = {
      expectedPurchases: linear,
      averageValue: 20,
      months: 12,
      monthlyDiscountRate: 0.01,
      timeUnit: 'week' as TimeUnit,
    };
    const cases: [Partial<typeof base> & { margin?: number; acquisitionCost?: number }, string][] = [
      [{ months: 0 }, 'months'],
      [{ months: 1.5 }, 'months'],
      [{ months: 601 }, 'months'],
      [{ monthlyDiscountRate: -0.01 }, 'monthlyDiscountRate'],
      [{ monthlyDiscountRate: 10 }, 'monthlyDiscountRate'],
      [{ margin: 0 }, 'margin'],
      [{ margin: 1.2 }, 'margin'],
      [{ timeUnit: 'month' as TimeUnit }, 'timeUnit'],
      [{ averageValue: NaN }, 'averageValue'],
      [{ averageValue: -1 }, 'averageValue'],
      [{ acquisitionCost: -3 }, 'acquisitionCost'],
    ];
    for (const [override, field] of cases) {
      const e = errorOf(() => discountedClv({ ...base, ...override }));
      expect(e.code).toBe('INVALID_CLV_INPUT');
      expect(e.field).toBe(field);
      expect(e.message).toContain(field);
    }
    expect(errorOf(() => discountedClv({ ...base, months: 601 })).message).toMatch(/at most 600/);
  });

  it('reports a model that returns a non-finite expectation', () => {
    const e = errorOf(() =>
      discountedClv({
        expectedPurchases: (t) => (t > 5 ? NaN : t),
        averageValue: 20,
        months: 3,
        monthlyDiscountRate: 0.01,
        timeUnit: 'week',
      }),
    );
    expect(e.code).toBe('INVALID_MODEL_OUTPUT');
  });
});

describe('discountedClvs', () => {
  it('matches the hand-computed CLV with H + 1 vectorised model calls, even with a reused buffer', () => {
    const buffer = new Float64Array(2);
    const horizons: number[] = [];
    const { clv, clvNet } = discountedClvs({
      expectedPurchases: (t) => {
        horizons.push(t);
        buffer[0] = 0.1 * t;
        buffer[1] = 0.05 * t;
        return buffer;
      },
      // Customer 2 buys half as often at twice the value: the same 8.69 a month.
      averageValues: Float64Array.from([20, 40]),
      months: 3,
      monthlyDiscountRate: 0.01,
      timeUnit: 'week',
      acquisitionCost: Float64Array.from([5, NaN]),
    });
    const expected = 8.69 / 1.01 + 8.69 / 1.0201 + 8.69 / 1.030301;
    expect(horizons).toEqual([0, 1, 2, 3].map((i) => i * MONTH_LENGTH.week));
    expect(clv[0]).toBeCloseTo(expected, 10);
    expect(clv[1]).toBeCloseTo(expected, 10);
    expect(clvNet?.[0]).toBeCloseTo(expected - 5, 10);
    expect(clvNet?.[1]).toBeNaN();
  });

  it('rejects per-customer inputs with the index of the bad entry', () => {
    const run = (averageValues: Float64Array, values: Float64Array) => () =>
      discountedClvs({
        expectedPurchases: () => values,
        averageValues,
        months: 2,
        monthlyDiscountRate: 0,
        timeUnit: 'day',
      });
    expect(errorOf(run(Float64Array.from([1, -2]), new Float64Array(2))).field).toBe('averageValues[1]');
    expect(errorOf(run(Float64Array.from([1, 2]), new Float64Array(3))).code).toBe('INVALID_MODEL_OUTPUT');
  });
});

describe('historicClv', () => {
  it('is revenue to date times the margin', () => {
    expect(historicClv(1000)).toBe(1000);
    expect(historicClv(1000, 0.3)).toBeCloseTo(300, 12);
    expect(errorOf(() => historicClv(1000, 2)).field).toBe('margin');
    expect(errorOf(() => historicClv(NaN)).field).toBe('totalRevenue');
  });
});
