import {
  assignRiskBands,
  relativeCutPoints,
  riskBand,
  DEFAULT_RISK_CUT_POINTS,
} from '../../../worker/analytics/churn/risk-bands';

/** Cycles for n customers with repeat purchases every 20 days, last order 10 days ago. */
const regular = (n: number) => ({
  ownGap: new Float64Array(n).fill(20),
  recency: new Float64Array(n).fill(10),
  typicalGap: 20,
});

describe('risk bands relative to the tenant', () => {
  it('puts at most a fifth in high and the next 30% in medium by default', () => {
    // A tenant where nearly everyone is above 0.6: fixed cuts would call 95% of them high.
    const p = Float64Array.from({ length: 1000 }, (_, i) => 0.55 + 0.0004 * i);
    const bands = assignRiskBands(p, regular(1000), 90);
    expect(bands.counts).toEqual({ low: 500, medium: 300, high: 200 });
    expect(
      Array.from(p, (x) => riskBand(x, DEFAULT_RISK_CUT_POINTS)).filter((b) => b === 'high').length,
    ).toBe(875);
    // Higher probability, never a lower band.
    const order = { low: 0, medium: 1, high: 2 };
    for (let i = 1; i < p.length; i++)
      expect(order[bands.risk[i]]).toBeGreaterThanOrEqual(order[bands.risk[i - 1]]);
  });

  it('never lets a tie push a band past its share', () => {
    // 60% of the customers share the top probability: none of them can be high without exceeding 20%.
    const p = Float64Array.from({ length: 100 }, (_, i) => (i < 40 ? i / 100 : 0.9));
    const bands = assignRiskBands(p, regular(100), 90);
    expect(bands.counts.high).toBe(0);
    expect(bands.counts.medium).toBe(0);
    expect(bands.counts.high + bands.counts.medium).toBeLessThanOrEqual(50);
  });

  it('keeps high above the tenant’s average risk', () => {
    // Most customers at 0.02, a few at 0.5: the top fifth would reach into the 0.02s, below the mean.
    const p = Float64Array.from({ length: 100 }, (_, i) => (i < 90 ? 0.02 : 0.5));
    const cuts = relativeCutPoints(p, 0.2, 0.3);
    const mean = (90 * 0.02 + 10 * 0.5) / 100;
    expect(cuts.high).toBeGreaterThanOrEqual(mean);
    const bands = assignRiskBands(p, regular(100), 90);
    expect(bands.counts.high).toBe(10);
  });

  it('gives a customer whose usual gap exceeds the window medium at most until they pass it', () => {
    const p = Float64Array.from([0.99, 0.99, 0.1, 0.1, 0.1]);
    const cycles = {
      // Both top customers buy every 200 days; the first is 150 days into it, the second 260.
      ownGap: Float64Array.from([200, 200, 20, 20, 20]),
      recency: Float64Array.from([150, 260, 5, 5, 5]),
      typicalGap: 20,
    };
    const bands = assignRiskBands(p, cycles, 90, { highShare: 0.4, mediumShare: 0.2 });
    expect(bands.risk.slice(0, 2)).toEqual(['medium', 'high']);
    expect(bands.notDueYet).toBe(1);
  });

  it('bands a one-purchase customer by probability like everyone else', () => {
    const p = Float64Array.from([0.95, 0.1, 0.1, 0.1, 0.1]);
    const cycles = {
      ownGap: Float64Array.from([NaN, 20, 20, 20, 20]),
      recency: Float64Array.from([3, 5, 5, 5, 5]),
      typicalGap: 20,
    };
    expect(assignRiskBands(p, cycles, 90).risk[0]).toBe('high');
  });

  it('takes fixed cut points when a tenant asks for them', () => {
    const p = Float64Array.from([0.1, 0.35, 0.7]);
    const bands = assignRiskBands(p, regular(3), 90, { cutPoints: { medium: 0.3, high: 0.6 } });
    expect(bands.risk).toEqual(['low', 'medium', 'high']);
    expect(bands.rule).toMatch(/^High risk: churn probability 0\.6 or more; medium: 0\.3 or more/);
  });

  it('states the rule with the tenant’s numbers', () => {
    const p = Float64Array.from({ length: 100 }, (_, i) => i / 100);
    const bands = assignRiskBands(p, regular(100), 90);
    expect(bands.cutPoints).toEqual({ medium: 0.5, high: 0.8 });
    expect(bands.rule).toContain('the 20% of customers with the highest churn probability');
    expect(bands.rule).toContain('0.8 or more');
    expect(bands.rule).toContain('the next 30% (0.5 or more)');
    expect(bands.rule).toContain('longer than the 90-day window is at most medium');
    expect(bands.rule).toContain("the typical customer's (20 days)");
  });

  it('still cuts a single probability at fixed points', () => {
    expect([0, 0.29, 0.3, 0.59, 0.6, 1].map((x) => riskBand(x))).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
    expect(riskBand(0.5, { medium: 0.2, high: 0.4 })).toBe('high');
  });
});
