import { silhouetteScore } from '../../../../worker/analytics/segments/clusters/silhouette';

const line = { n: 4, d: 1, values: Float64Array.from([0, 1, 10, 11]) };

describe('silhouetteScore', () => {
  it('matches a hand computation on two pairs of points on a line', () => {
    // 0: a = 1, b = (10 + 11)/2; 1: a = 1, b = (9 + 10)/2; 10 and 11 mirror them.
    const expected = (2 * (9.5 / 10.5) + 2 * (8.5 / 9.5)) / 4;
    expect(silhouetteScore(line, Int32Array.from([0, 0, 1, 1]), 2)).toBeCloseTo(expected, 12);
  });

  it('counts a singleton as 0 and a misplaced point as negative', () => {
    // Clusters {0, 1, 10} and {11}: s(0) = (11 − 5.5)/11, s(1) = (10 − 5)/10, s(10) = (1 − 9.5)/9.5, s(11) = 0.
    const expected = (0.5 + 0.5 - 8.5 / 9.5 + 0) / 4;
    expect(silhouetteScore(line, Int32Array.from([0, 0, 0, 1]), 2)).toBeCloseTo(expected, 12);
  });

  it('is undefined (NaN) with a single non-empty cluster', () => {
    expect(silhouetteScore(line, Int32Array.from([1, 1, 1, 1]), 3)).toBeNaN();
  });
});
