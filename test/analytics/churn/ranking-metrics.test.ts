import {
  averagePrecision,
  brierScore,
  calibrationTable,
  liftAtTopDecile,
  permutationImportance,
  rocAuc,
} from '../../../worker/analytics/churn/ranking-metrics';

describe('ROC AUC', () => {
  it('counts the churner/non-churner pairs ranked right', () => {
    // Pairs (churner, non-churner): (0.35, 0.1) ✓, (0.35, 0.4) ✗, (0.8, 0.1) ✓, (0.8, 0.4) ✓ → 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
  });
  it('counts a tied pair as one half', () => {
    // (0.5, 0.5) ½, (0.5, 0.2) 1, (0.9, 0.5) 1, (0.9, 0.2) 1 → 3.5/4.
    expect(rocAuc([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1])).toBeCloseTo(0.875, 12);
    expect(rocAuc([0.3, 0.3, 0.3], [1, 0, 1])).toBeCloseTo(0.5, 12);
  });
  it('is NaN with one class only', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });
});

describe('average precision', () => {
  it('sums precision at each recall step', () => {
    // Descending: 0.8 (churner) P=1, R=½; 0.4 (no); 0.35 (churner) P=⅔, R=1 → ½·1 + ½·⅔.
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.5 + 1 / 3, 12);
  });
  it('lets tied scores enter together', () => {
    // 0.9 (churner) P=1, R=½; tie at 0.5 {churner, non}: TP 2 of 3 seen, R=1 → ½ + ½·⅔.
    expect(averagePrecision([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1])).toBeCloseTo(0.5 + 1 / 3, 12);
  });
});

describe('Brier score', () => {
  it('is the mean squared error of the probabilities', () => {
    // (0.01 + 0.01 + 0.04 + 0.09) / 4
    expect(brierScore([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0])).toBeCloseTo(0.0375, 12);
  });
});

describe('calibration table', () => {
  it('compares mean prediction and churn rate per equal-size group', () => {
    const table = calibrationTable([0.9, 0.1, 0.7, 0.2], [1, 0, 1, 1], 2);
    expect(table).toHaveLength(2);
    expect(table[0]).toMatchObject({ bin: 1, count: 2 });
    expect(table[0].meanPredicted).toBeCloseTo(0.15, 12);
    expect(table[0].observedRate).toBeCloseTo(0.5, 12);
    expect(table[1].meanPredicted).toBeCloseTo(0.8, 12);
    expect(table[1].observedRate).toBeCloseTo(1, 12);
  });
  it('shares the churners of a tie split across groups pro rata', () => {
    // All four tied, two churners: each half gets one expected churner.
    const table = calibrationTable([0.5, 0.5, 0.5, 0.5], [1, 1, 0, 0], 2);
    expect(table.map((b) => b.observedRate)).toEqual([0.5, 0.5]);
  });
});

describe('lift at the top decile', () => {
  it('divides the churn rate of the top tenth by the overall rate', () => {
    // 20 customers, scores 20…1; top ⌈20/10⌉ = 2 hold one churner (rate ½); 5 churners overall (¼) → 2.
    const scores = Array.from({ length: 20 }, (_, i) => 20 - i);
    const labels = scores.map((_, i) => (i === 0 || i === 5 || i === 8 || i === 12 || i === 19 ? 1 : 0));
    expect(liftAtTopDecile(scores, labels)).toBeCloseTo(2, 12);
  });
});

describe('permutation importance', () => {
  it('finds the column the score uses and none for the one it ignores', () => {
    const n = 400;
    const values = new Float64Array(n * 2);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      values[i * 2] = i;
      values[i * 2 + 1] = (i * 7919) % 13;
      labels[i] = i >= n / 2 ? 1 : 0;
    }
    const score = (v: Float64Array) => Float64Array.from({ length: n }, (_, i) => v[i * 2]);
    const result = permutationImportance(values, ['signal', 'noise'], labels, score, { repeats: 2, seed: 3 });
    expect(result[0].feature).toBe('signal');
    expect(result[0].aucDrop).toBeGreaterThan(0.4);
    expect(result.find((r) => r.feature === 'noise')!.aucDrop).toBe(0);
  });
  it('shuffles the columns of a group together (a spline feature’s segments)', () => {
    const n = 400;
    const values = new Float64Array(n * 3);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      // The score is the sum of two segment columns; either alone carries only part of the order.
      values[i * 3] = Math.min(i, 200);
      values[i * 3 + 1] = Math.max(i - 200, 0);
      values[i * 3 + 2] = (i * 7919) % 13;
      labels[i] = i >= n / 2 ? 1 : 0;
    }
    const score = (v: Float64Array) => Float64Array.from({ length: n }, (_, i) => v[i * 3] + v[i * 3 + 1]);
    const groups = [
      { name: 'signal', columns: [0, 1] },
      { name: 'noise', columns: [2] },
    ];
    const result = permutationImportance(values, ['s1', 's2', 'noise'], labels, score, {
      repeats: 2,
      seed: 3,
      groups,
    });
    expect(result.map((r) => r.feature)).toEqual(['signal', 'noise']);
    expect(result[0].aucDrop).toBeGreaterThan(0.4);
    expect(result[1].aucDrop).toBe(0);
  });
});
