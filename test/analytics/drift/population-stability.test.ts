/** PSI against hand-computed cases (Siddiqi 2006: PSI = Σ (a − e) ln(a / e) over the reference's bins). */
import {
  populationStability,
  referenceBins,
  stabilityWords,
} from '../../../worker/analytics/drift/population-stability';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('population stability index', () => {
  it('bins a reference at its deciles', () => {
    const bins = referenceBins(range(1, 100));
    expect(bins.edges).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(bins.shares).toEqual(new Array(10).fill(0.1));
  });

  it('is 0 for the same population and small for a resample of it', () => {
    const bins = referenceBins(range(1, 100));
    expect(populationStability(bins, range(1, 100))).toBe(0);
    expect(
      stabilityWords(
        populationStability(
          bins,
          range(1, 100).filter((v) => v % 2 === 0),
        ),
      ),
    ).toBe('stable');
  });

  it('matches a hand-computed shift', () => {
    const bins = referenceBins(range(1, 100));
    // Today: the lower half only, twice as dense: five bins at 0.2, five empty (floored at 1e-4).
    const today = range(1, 50);
    const expected = 5 * (0.2 - 0.1) * Math.log(0.2 / 0.1) + 5 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
    expect(populationStability(bins, today)).toBeCloseTo(expected, 10);
    expect(expected).toBeCloseTo(3.797, 3);
    expect(stabilityWords(populationStability(bins, today))).toBe('major shift');
  });

  it('keeps tied values in one bin (order counts are small integers)', () => {
    const orders = [...new Array(60).fill(1), ...new Array(25).fill(2), ...new Array(15).fill(3)];
    const bins = referenceBins(orders);
    expect(bins.edges).toEqual([1, 2]);
    expect(bins.shares.map((s) => +s.toFixed(2))).toEqual([0.6, 0.25, 0.15]);
    // A moderate move toward repeat buyers: 0.5 / 0.3 / 0.2.
    const today = [...new Array(50).fill(1), ...new Array(30).fill(2), ...new Array(20).fill(3)];
    const expected =
      (0.5 - 0.6) * Math.log(0.5 / 0.6) +
      (0.3 - 0.25) * Math.log(0.3 / 0.25) +
      (0.2 - 0.15) * Math.log(0.2 / 0.15);
    expect(populationStability(bins, today)).toBeCloseTo(expected, 12);
    expect(() => referenceBins([NaN])).toThrow(RangeError);
  });
});
