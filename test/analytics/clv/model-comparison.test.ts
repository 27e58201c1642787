import { holdoutMetrics, pickBestModel, trackingCurve } from '../../../worker/analytics/clv/model-comparison';

describe('holdout comparison', () => {
  it('computes total error, MAE, RMSE and correlation by hand', () => {
    const calibrationFrequency = Float64Array.from([0, 1, 1, 9]);
    const actual = Float64Array.from([0, 1, 2, 5]);
    const predicted = Float64Array.from([0.5, 1, 1, 4]);
    const m = holdoutMetrics('bgnbd', calibrationFrequency, actual, predicted);
    // totals 8 vs 6.5; errors 0.5, 0, −1, −1
    expect(m.actualTotal).toBe(8);
    expect(m.predictedTotal).toBe(6.5);
    expect(m.totalError).toBeCloseTo(-1.5 / 8, 12);
    expect(m.mae).toBeCloseTo(2.5 / 4, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(2.25 / 4), 12);
    // Pearson by hand: means 2 and 1.625
    const dx = [-2, -1, 0, 3];
    const dy = [-1.125, -0.625, -0.625, 2.375];
    const sxy = dx.reduce((s, v, i) => s + v * dy[i], 0);
    const sxx = dx.reduce((s, v) => s + v * v, 0);
    const syy = dy.reduce((s, v) => s + v * v, 0);
    expect(m.correlation).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 12);
    const b1 = m.byCalibrationFrequency[1];
    expect([b1.customers, b1.actualMean, b1.predictedMean]).toEqual([2, 1.5, 1]);
    const last = m.byCalibrationFrequency[7];
    expect([last.label, last.customers, last.actualMean]).toEqual(['7+', 1, 5]);
    expect(m.byCalibrationFrequency[3].customers).toBe(0);
  });

  it('picks the model with the lowest RMSE', () => {
    const f = Float64Array.from([0, 1]);
    const actual = Float64Array.from([0, 2]);
    const a = holdoutMetrics('bgnbd', f, actual, Float64Array.from([0, 1]));
    const b = holdoutMetrics('pareto-nbd', f, actual, Float64Array.from([0.2, 1.9]));
    expect(pickBestModel([a, b])).toBe('pareto-nbd');
  });

  it('tracks cumulative repeat purchases against a linear model', () => {
    // Two customers starting at 0 and 2; E[X(t)] = 0.5 t. Repeats at times 1, 3, 3.5.
    const points = trackingCurve(Float64Array.from([0, 2]), Float64Array.from([1, 3, 3.5]), 4, 1, [
      { name: 'linear', expectedPurchasesNewCustomer: (t) => 0.5 * t },
    ]);
    expect(points.map((p) => p.actual)).toEqual([1, 1, 2, 3]);
    // at τ: 0.5 τ + 0.5 max(0, τ − 2)
    expect(points.map((p) => p.predicted.linear)).toEqual([0.5, 1, 2, 3].map((v) => expect.closeTo(v, 10)));
  });
});
