import { wilsonInterval } from '../../../worker/analytics/performance';

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in Medicine 17,
  // Table II, method 3 (Wilson score interval without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i → [%f, %f] as published', (won, closed, low, high) => {
    const interval = wilsonInterval(won, closed);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('8 of 10 by hand: centre (0.8 + z²/20)/(1 + z²/10) = 0.71674, half-width 0.22658', () => {
    const interval = wilsonInterval(8, 10);
    expect(interval.low).toBeCloseTo(0.49016, 4);
    expect(interval.high).toBeCloseTo(0.94332, 4);
  });

  it('knows nothing without closed deals, and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(() => wilsonInterval(4, 3)).toThrow(/successes must be an integer in 0…3/);
    expect(() => wilsonInterval(1, -1)).toThrow(/trials/);
  });
});
