import {
  applyFeatureTransform,
  buildFeatures,
  fitFeatureTransform,
  toOriginalUnits,
} from '../../../../worker/analytics/segments/clusters/features';
import type { CustomerBehaviour } from '../../../../worker/analytics/segments/clusters/types';

const f = (...x: number[]) => Float64Array.from(x);

function expectClose(actual: Float64Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));
}

describe('features', () => {
  it('log1p-transforms the heavy-tailed columns, standardises, and drops constant ones', () => {
    // Two customers: every kept column becomes −1 and +1 (population sd); average order value is 100 for both.
    const b: CustomerBehaviour = {
      recencyDays: f(0, 10),
      frequency: f(1, 3),
      monetary: f(100, 300),
      tenureDays: f(10, 20),
    };
    const { transform, matrix } = buildFeatures(b);
    expect(matrix.names).toEqual(['recency', 'frequency', 'monetary', 'tenure']);
    expectClose(matrix.values, [-1, -1, -1, -1, 1, 1, 1, 1]);
    const [recency, frequency, , tenure] = transform.columns;
    expect(recency.log1p).toBe(true);
    expect(recency.mean).toBeCloseTo(Math.log(11) / 2, 12);
    expect(recency.sd).toBeCloseTo(Math.log(11) / 2, 12);
    expect(frequency.mean).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 12);
    expect(tenure.log1p).toBe(false);
    expect(tenure.mean).toBe(15);
    expect(tenure.sd).toBe(5);
  });

  it('applies the stored transform to new customers and inverts it', () => {
    const transform = fitFeatureTransform({
      recencyDays: f(0, 10),
      frequency: f(1, 3),
      monetary: f(100, 300),
      tenureDays: f(10, 20),
    });
    const m = applyFeatureTransform(transform, {
      recencyDays: f(10),
      frequency: f(1),
      monetary: f(300),
      tenureDays: f(25),
    });
    // tenure 25 is (25 − 15) / 5 = 2 sd above the fitted mean.
    expectClose(m.values, [1, -1, 1, 2]);
    expect(toOriginalUnits(transform.columns[2], 1)).toBeCloseTo(300, 9);
    expect(toOriginalUnits(transform.columns[3], 2)).toBeCloseTo(25, 12);
  });

  it('weights category shares so the block carries the variance of two features', () => {
    const b: CustomerBehaviour = {
      recencyDays: f(1, 2, 3, 4),
      frequency: f(1, 2, 3, 4),
      monetary: f(10, 20, 30, 40),
      tenureDays: f(5, 6, 7, 8),
      categoryShares: {
        names: ['a', 'b', 'c', 'd'],
        values: f(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1),
      },
    };
    const { transform, matrix } = buildFeatures(b);
    const categories = transform.columns.filter((c) => c.kind === 'category');
    expect(categories.map((c) => c.name)).toEqual(['category:a', 'category:b', 'category:c', 'category:d']);
    for (const c of categories) expect(c.weight).toBeCloseTo(Math.sqrt(2 / 4), 12);
    let variance = 0;
    categories.forEach((_, j) => {
      const col = matrix.names.indexOf(`category:${'abcd'[j]}`);
      for (let i = 0; i < 4; i++) variance += matrix.values[i * matrix.d + col] ** 2 / 4;
    });
    expect(variance).toBeCloseTo(2, 12);
    // A later input without category d gives it a zero share.
    const later = applyFeatureTransform(transform, {
      recencyDays: f(1),
      frequency: f(1),
      monetary: f(10),
      tenureDays: f(5),
      categoryShares: { names: ['a'], values: f(1) },
    });
    const dCol = later.names.indexOf('category:d');
    const dColumn = transform.columns[dCol];
    expect(later.values[dCol]).toBeCloseTo(((0 - dColumn.mean) / dColumn.sd) * dColumn.weight, 12);
  });

  it('rejects arrays of different lengths with a typed error', () => {
    expect(() =>
      fitFeatureTransform({ recencyDays: f(1, 2), frequency: f(1), monetary: f(1, 2), tenureDays: f(1, 2) }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CLUSTER_INPUT' }));
  });
});
