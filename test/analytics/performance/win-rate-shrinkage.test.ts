import { fitWinRatePrior, shrunkWinRate } from '../../../worker/analytics/performance';

describe('empirical-Bayes win-rate shrinkage', () => {
  // By hand: m = 153/303 = 0.504950; Σnᵢ(rᵢ − m)² = 0.735223 + 1.101460 + 0.903470 + 0.002450 = 2.742603;
  // (k − 1)m(1 − m) = 3 · 0.249975 = 0.749926; Σn − Σn²/Σn = 303 − 30009/303 = 203.960396;
  // τ² = 1.992677 / 203.960396 = 0.0097699; α + β = 0.249975 / 0.0097699 − 1 = 24.586.
  const reps = [
    { won: 3, closed: 3 },
    { won: 40, closed: 100 },
    { won: 60, closed: 100 },
    { won: 50, closed: 100 },
  ];

  it('fits the team rate and the prior strength by the method of moments', () => {
    const prior = fitWinRatePrior(reps);
    expect(prior.mean).toBeCloseTo(0.50495, 5);
    expect(prior.strength).toBeCloseTo(24.586, 2);
  });

  it('pulls a rep with 3 of 3 won below one with 60 of 100', () => {
    const prior = fitWinRatePrior(reps);
    // (3 + 0.50495 · 24.586) / 27.586 = 0.55879; (60 + 12.4147) / 124.586 = 0.58124.
    expect(shrunkWinRate(reps[0], prior)).toBeCloseTo(0.55879, 3);
    expect(shrunkWinRate(reps[2], prior)).toBeCloseTo(0.58124, 3);
    expect(shrunkWinRate(reps[0], prior)).toBeLessThan(shrunkWinRate(reps[2], prior));
    // A rep with 40 of 100 is barely moved: (40 + 12.4147) / 124.586 = 0.42071.
    expect(shrunkWinRate(reps[1], prior)).toBeCloseTo(0.42071, 3);
  });

  it('shrinks everyone to the team rate when the spread is no more than binomial noise', () => {
    // Rates 0.50 and 0.52 over 50 deals each: Σn(r − m)² = 0.01 < (k − 1)m(1 − m) = 0.2499.
    const prior = fitWinRatePrior([
      { won: 25, closed: 50 },
      { won: 26, closed: 50 },
    ]);
    expect(prior.mean).toBeCloseTo(0.51, 10);
    expect(prior.strength).toBe(Infinity);
    expect(shrunkWinRate({ won: 26, closed: 50 }, prior)).toBeCloseTo(0.51, 10);
  });
});
