import { quintileScores } from '../../worker/analytics/segments/rfm-segments';
import { clvQuintileCuts, clvQuintileOf } from '../../worker/pipeline/customer-facts';

describe('CLV quintiles from cut points', () => {
  it('place every customer where the mid-rank quintiles do, ties together', () => {
    // The quintileScores example: ranks 1, 2.5, 2.5, 4, 5 → 1, 3, 3, 4, 5.
    const clv = [10, 20, 20, 30, 40];
    const cuts = clvQuintileCuts(clv);
    expect(clv.map((v) => clvQuintileOf(cuts, v))).toEqual([1, 3, 3, 4, 5]);
    const many = Array.from({ length: 997 }, (_, i) => Math.round(1000 * Math.sin(i) ** 2) / 10);
    const manyCuts = clvQuintileCuts(many);
    expect(many.map((v) => clvQuintileOf(manyCuts, v))).toEqual([...quintileScores(many)]);
  });

  it('leave a non-finite CLV without a quintile and out of the cut points', () => {
    const cuts = clvQuintileCuts([1, 2, NaN, 3, 4, 5]);
    expect(clvQuintileOf(cuts, NaN)).toBeUndefined();
    expect([1, 2, 3, 4, 5].map((v) => clvQuintileOf(cuts, v))).toEqual([1, 2, 3, 4, 5]);
  });
});
