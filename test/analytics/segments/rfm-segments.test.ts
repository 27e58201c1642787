import { summarizePurchases } from '../../../worker/analytics/rfm';
import {
  RfmScoreError,
  fmScore,
  quintileScores,
  rfmSegmentOf,
  rfmValuesFromSummary,
  scoreRfm,
} from '../../../worker/analytics/segments/rfm-segments';
import { RFM_SEGMENTS, type RfmSegment } from '../../../domain/rfm-segments';

describe('quintileScores', () => {
  it('puts two of ten distinct values in each quintile, lowest first', () => {
    // Mid-rank percentiles 0.05, 0.15, …, 0.95 → ×5 = 0.25, 0.75, 1.25, … → scores 1,1,2,2,…,5,5.
    expect(Array.from(quintileScores([91, 12, 55, 3, 70, 28, 40, 99, 63, 18]))).toEqual([
      5, 1, 3, 1, 4, 2, 3, 5, 4, 2,
    ]);
  });

  it('gives tied values the score of their average rank', () => {
    // Sorted 1,1,1,2,5,7,9,9 (n = 8): the 1s share rank 2 → (2 − ½)/8·5 = 0.94 → 1; 2 → 3.5/8·5 = 2.19 → 3;
    // 5 → 2.81 → 3; 7 → 3.44 → 4; the 9s share rank 7.5 → 7/8·5 = 4.38 → 5.
    expect(Array.from(quintileScores([5, 1, 1, 1, 9, 9, 2, 7]))).toEqual([3, 1, 1, 1, 5, 5, 3, 4]);
  });

  it('places a tie group straddling a quintile boundary wholly in its mid-rank quintile', () => {
    // n = 4: ranks 1, (2, 3) → 2.5, 4; percentiles 0.125, 0.5, 0.875 → 1, 3, 5.
    expect(Array.from(quintileScores([1, 2, 2, 3]))).toEqual([1, 3, 3, 5]);
  });

  it('scores equal values and a single customer 3, and an empty input as empty', () => {
    expect(Array.from(quintileScores([7, 7, 7, 7, 7, 7]))).toEqual([3, 3, 3, 3, 3, 3]);
    expect(Array.from(quintileScores([42]))).toEqual([3]);
    expect(quintileScores([]).length).toBe(0);
  });

  it('does not depend on the input order', () => {
    const values = [4, 8, 8, 1, 0, 3, 3, 3, 10, 2, 6];
    const scores = quintileScores(values);
    const perm = [10, 3, 7, 0, 9, 1, 5, 2, 8, 4, 6];
    const permuted = quintileScores(perm.map((i) => values[i]));
    perm.forEach((i, k) => expect(permuted[k]).toBe(scores[i]));
  });

  it('refuses NaN with a typed error', () => {
    expect(() => quintileScores([1, NaN])).toThrow(RfmScoreError);
  });

  it('matches the rule computed by hand-style average ranks, on ties, ±0 and infinities', () => {
    // The file comment's rule, one customer at a time: r̄ = 1 + (number below) + (number equal − 1) / 2.
    const byDefinition = (values: number[]) =>
      values.map((x) => {
        const below = values.filter((y) => y < x).length;
        const equal = values.filter((y) => y === x).length;
        const midRank = 1 + below + (equal - 1) / 2;
        return Math.min(5, Math.floor((5 * (midRank - 0.5)) / values.length) + 1);
      });
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + Math.floor(next() * 60);
      const pool = [-0, 0, 1, 2, 2.5, -Infinity, Infinity, 7, 7, 100 * next()];
      const values = Array.from({ length: n }, () =>
        next() < 0.5 ? pool[Math.floor(next() * pool.length)] : Math.round(next() * 20),
      );
      expect(Array.from(quintileScores(values))).toEqual(byDefinition(values));
    }
    // Every value −∞ is one tie group, scored 3 like any other all-equal run.
    expect(Array.from(quintileScores([-Infinity, -Infinity, -Infinity]))).toEqual([3, 3, 3]);
  });
});

describe('fmScore', () => {
  it('rounds the mean of F and M half up', () => {
    expect(fmScore(1, 1)).toBe(1);
    expect(fmScore(1, 2)).toBe(2);
    expect(fmScore(2, 3)).toBe(3);
    expect(fmScore(1, 4)).toBe(3);
    expect(fmScore(3, 3)).toBe(3);
    expect(fmScore(4, 5)).toBe(5);
    expect(fmScore(5, 1)).toBe(3);
  });
});

describe('rfmSegmentOf: the R × FM map', () => {
  // Expected grid, rows R = 5 … 1, columns FM = 1 … 5 (the table in rfm-segments.ts).
  const expected: Record<number, RfmSegment[]> = {
    5: ['New Customers', 'Potential Loyalists', 'Loyal Customers', 'Champions', 'Champions'],
    4: ['Promising', 'Potential Loyalists', 'Loyal Customers', 'Champions', 'Champions'],
    3: ['About to Sleep', 'Need Attention', 'Need Attention', 'Loyal Customers', 'Loyal Customers'],
    2: ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', 'At Risk'],
    1: ['Lost', 'Lost', 'At Risk', "Can't Lose Them", "Can't Lose Them"],
  };
  // Putler's published ranges [rLow, rHigh, fmLow, fmHigh] (putler.com/rfm-analysis).
  const ranges: Record<RfmSegment, [number, number, number, number]> = {
    Champions: [4, 5, 4, 5],
    'Loyal Customers': [2, 5, 3, 5],
    'Potential Loyalists': [3, 5, 1, 3],
    'New Customers': [4, 5, 1, 1],
    Promising: [3, 4, 1, 1],
    'Need Attention': [2, 3, 2, 3],
    'About to Sleep': [2, 3, 1, 2],
    'At Risk': [1, 2, 2, 5],
    "Can't Lose Them": [1, 1, 4, 5],
    Hibernating: [1, 2, 1, 2],
    Lost: [1, 2, 1, 2],
  };
  const cells: [number, number][] = [];
  for (let r = 1; r <= 5; r++) for (let fm = 1; fm <= 5; fm++) cells.push([r, fm]);

  it.each(cells)('maps R=%i, FM=%i to the segment of the grid', (r, fm) => {
    expect(rfmSegmentOf(r, fm)).toBe(expected[r][fm - 1]);
  });

  it.each(cells)('keeps R=%i, FM=%i inside the published ranges of its segment', (r, fm) => {
    const [rLo, rHi, fLo, fHi] = ranges[rfmSegmentOf(r, fm)];
    expect(r).toBeGreaterThanOrEqual(rLo);
    expect(r).toBeLessThanOrEqual(rHi);
    expect(fm).toBeGreaterThanOrEqual(fLo);
    expect(fm).toBeLessThanOrEqual(fHi);
  });

  it('uses all eleven segments', () => {
    const used = new Set(cells.map(([r, fm]) => rfmSegmentOf(r, fm)));
    expect([...used].sort()).toEqual([...RFM_SEGMENTS].sort());
  });

  it('rejects scores outside 1–5', () => {
    expect(() => rfmSegmentOf(0, 3)).toThrow(RfmScoreError);
    expect(() => rfmSegmentOf(3, 6)).toThrow(RfmScoreError);
  });
});

describe('scoreRfm', () => {
  it('scores five customers by hand: R reversed, the score string and the segment', () => {
    // recency: ascending −recency −400, −30, −10, −10, 0 → R 1, 2, 4, 4, 5 (the 10s share mid-rank 3 → 4).
    // frequency 1, 1, 2, 6, 3: ranks 1.5, 1.5, 3, 5, 4 → mid-rank percentiles 0.2, 0.2, 0.5, 0.9, 0.7
    // → ×5 = 1, 1, 2.5, 4.5, 3.5 → F 2, 2, 3, 5, 4.
    // monetary 50, 20, 80, 900, 300 → ranks 2, 1, 3, 5, 4 → M 2, 1, 3, 5, 4.
    const s = scoreRfm({
      recencyDays: [0, 10, 10, 400, 30],
      frequency: [1, 1, 2, 6, 3],
      monetary: [50, 20, 80, 900, 300],
    });
    expect(Array.from(s.r)).toEqual([5, 4, 4, 1, 2]);
    expect(Array.from(s.f)).toEqual([2, 2, 3, 5, 4]);
    expect(Array.from(s.m)).toEqual([2, 1, 3, 5, 4]);
    expect(Array.from(s.fm)).toEqual([2, 2, 3, 5, 4]);
    expect(s.rfmScore).toEqual(['522', '421', '433', '155', '244']);
    expect(s.segmentName).toEqual([
      'Potential Loyalists',
      'Potential Loyalists',
      'Loyal Customers',
      "Can't Lose Them",
      'At Risk',
    ]);
    expect(Array.from(s.segment).map((k) => RFM_SEGMENTS[k])).toEqual(s.segmentName);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => scoreRfm({ recencyDays: [1, 2], frequency: [1], monetary: [1, 2] })).toThrow(
      /one entry per/,
    );
  });
});

describe('rfmValuesFromSummary', () => {
  it('turns the summary into days since the last purchase, purchase days and total revenue', () => {
    const orders = {
      customer: Int32Array.from([0, 0, 1, 0]),
      time: Float64Array.from([
        Date.UTC(2024, 0, 1, 10),
        Date.UTC(2024, 0, 21, 9),
        Date.UTC(2024, 0, 31, 23),
        Date.UTC(2024, 0, 21, 15),
      ]),
      amount: Float64Array.from([10, 30, 5, 2]),
    };
    for (const period of ['day', 'week'] as const) {
      const summary = summarizePurchases(orders, ['a', 'b'], { observationEnd: '2024-01-31', period });
      const v = rfmValuesFromSummary(summary);
      // a: last purchase day Jan 21 → 10 days before Jan 31; days Jan 1 and Jan 21 → 2; 10 + 30 + 2 = 42.
      expect(Array.from(v.recencyDays)).toEqual([10, 0]);
      expect(Array.from(v.frequency)).toEqual([2, 1]);
      expect(Array.from(v.monetary)).toEqual([42, 5]);
    }
  });
});
