import { newcombeDifference, wilsonInterval } from '../../../worker/analytics/programs';

describe('newcombeDifference (method 10)', () => {
  // Newcombe (1998), Statistics in Medicine 17:873–890, Table II, column for method 10 (hybrid score).
  const tableII: Array<[string, number, number, number, number, number, number]> = [
    ['a: 56/70 − 48/80', 56, 70, 48, 80, 0.0524, 0.3339],
    ['b: 9/10 − 3/10', 9, 10, 3, 10, 0.1705, 0.809],
    ['c: 6/7 − 2/7', 6, 7, 2, 7, 0.0582, 0.8062],
    ['d: 5/56 − 0/29', 5, 56, 0, 29, -0.0381, 0.1926],
    ['e: 0/10 − 0/20', 0, 10, 0, 20, -0.1611, 0.2775],
    ['f: 0/10 − 0/10', 0, 10, 0, 10, -0.2775, 0.2775],
    ['g: 10/10 − 0/20', 10, 10, 0, 20, 0.6791, 1.0],
    ['h: 10/10 − 0/10', 10, 10, 0, 10, 0.6075, 1.0],
  ];

  it.each(tableII)('matches Table II example %s', (_name, s1, n1, s2, n2, low, high) => {
    const interval = newcombeDifference(s1, n1, s2, n2);
    expect(interval.estimate).toBeCloseTo(s1 / n1 - s2 / n2, 12);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });
});

describe('wilsonInterval', () => {
  it('gives Newcombe (1998) Table I limits for 81/263 (0.2553–0.3662, method 3)', () => {
    // Newcombe (1998a), "Two-sided confidence intervals for the single proportion", Stat Med 17:857–872,
    // Table I example: 81/263, Wilson score interval without continuity correction.
    const interval = wilsonInterval(81, 263);
    expect(interval.low).toBeCloseTo(0.2553, 4);
    expect(interval.high).toBeCloseTo(0.3662, 4);
  });

  it('refuses a count above n with a message naming it', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(/successes must be a whole number from 0 to n \(10\)/);
  });
});
