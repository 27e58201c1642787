/**
 * Pricing guidance, checked against cases worked by hand from the formula in playbooks/pricing.ts:
 * d* = floor_step(min(ceiling, max(0, p·u·V / O))).
 */
import { loadPlaybooks, PlaybookConfigError, pricingConfigSchema, pricingGuidance } from '../../playbooks';
import { buildFacts, buildScore } from './builders';

const defaults = pricingConfigSchema.parse({}); // uplift 0.1, ceiling 0.2, step 0.05

function guidance(
  p: number | undefined,
  V: number,
  O: number | undefined,
  config: Partial<typeof defaults> = {},
  averageOrderValue?: number,
) {
  return pricingGuidance(
    buildScore({ churnProbability: p, clvPredicted: V, expectedOrderValue: O }),
    buildFacts({ averageOrderValue }),
    { ...defaults, ...config },
  );
}

describe('pricing guidance', () => {
  it('the defaults are uplift 0.1, ceiling 20%, steps of 5%', () => {
    expect(defaults).toEqual({ uplift: 0.1, ceiling: 0.2, step: 0.05 });
  });

  it('caps at the ceiling: p 0.6, u 0.1, V 1,000, O 250 → 60 / 250 = 24% → 20%', () => {
    const g = guidance(0.6, 1000, 250);
    expect(g.breakEvenDiscount).toBeCloseTo(0.24, 12);
    expect(g).toMatchObject({ worthOffering: true, maxDiscount: 0.2 });
    expect(g.discountAmount).toBeCloseTo(50, 9); // 0.2 × 250
    expect(g.expectedValueWithout).toBeCloseTo(400, 9); // (1 − 0.6) × 1,000
    expect(g.expectedValueWith).toBeCloseTo(410, 9); // (1 − 0.6 × 0.9) × 1,000 − 50 = 460 − 50
  });

  it("gives no discount when a live program gives the customer none (control arm, or offer 'none')", () => {
    const score = buildScore({ churnProbability: 0.6, clvPredicted: 1000, expectedOrderValue: 250 });
    const held = pricingGuidance(score, buildFacts({ programOffer: 'none' }), defaults);
    expect(held).toMatchObject({ worthOffering: false, maxDiscount: 0, noOfferReason: 'program-gives-none' });
    // Treated in a 'pricing-guidance' program: the same 20% as the case above.
    const treated = pricingGuidance(score, buildFacts({ programOffer: 'pricing-guidance' }), defaults);
    expect(treated).toMatchObject({ worthOffering: true, maxDiscount: 0.2 });
  });

  it('rounds down to the step: V 400 → 24 / 250 = 9.6% → 5%', () => {
    const g = guidance(0.6, 400, 250);
    expect(g.breakEvenDiscount).toBeCloseTo(0.096, 12);
    expect(g.maxDiscount).toBe(0.05);
    expect(g.discountAmount).toBeCloseTo(12.5, 9);
    expect(g.expectedValueWith! - g.expectedValueWithout!).toBeCloseTo(24 - 12.5, 9); // p·u·V − d·O
  });

  it('an exact multiple of the step stays: p 0.3, u 0.2, V 500, O 100, ceiling 50% → 30%', () => {
    expect(guidance(0.3, 500, 100, { uplift: 0.2, ceiling: 0.5 }).maxDiscount).toBe(0.3);
    // 0.15 / 0.05 is 2.9999999999999996 in floating point; still three steps.
    expect(guidance(0.5, 300, 100, { ceiling: 0.5 }).maxDiscount).toBe(0.15);
  });

  it('less than one step is no offer: p 0.1, u 0.1, V 200, O 100 → 2%', () => {
    const g = guidance(0.1, 200, 100);
    expect(g.breakEvenDiscount).toBeCloseTo(0.02, 12);
    expect(g).toMatchObject({
      worthOffering: false,
      maxDiscount: 0,
      discountAmount: 0,
      noOfferReason: 'less-than-one-step',
    });
  });

  it('never negative: no value at stake, no churn risk, no order value', () => {
    expect(guidance(0.6, -50, 100)).toMatchObject({
      worthOffering: false,
      maxDiscount: 0,
      noOfferReason: 'nothing-at-stake',
    });
    expect(guidance(0, 1000, 100)).toMatchObject({ maxDiscount: 0, noOfferReason: 'nothing-at-stake' });
    expect(guidance(undefined, 1000, 100)).toMatchObject({
      maxDiscount: 0,
      noOfferReason: 'no-churn-probability',
    });
    expect(guidance(0.6, 1000, undefined)).toMatchObject({ maxDiscount: 0, noOfferReason: 'no-order-value' });
    expect(guidance(0.6, 1000, 0)).toMatchObject({ maxDiscount: 0, noOfferReason: 'no-order-value' });
  });

  it('uses the average order value when the Score has no expected order value', () => {
    // 0.6 × 0.1 × 400 / 160 = 15%.
    expect(guidance(0.6, 400, undefined, {}, 160).maxDiscount).toBe(0.15);
  });

  it('over a grid: within [0, ceiling], a multiple of the step, worth it, and the largest such step', () => {
    for (const p of [0, 0.05, 0.3, 0.62, 1])
      for (const V of [0, 80, 400, 1200, 50_000])
        for (const O of [10, 75, 180, 900])
          for (const config of [defaults, { uplift: 0.25, ceiling: 0.35, step: 0.01 }]) {
            const g = guidance(p, V, O, config);
            expect(g.maxDiscount).toBeGreaterThanOrEqual(0);
            expect(g.maxDiscount).toBeLessThanOrEqual(config.ceiling);
            const steps = g.maxDiscount / config.step;
            expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-9);
            const gain = (d: number) => p * config.uplift * V - d * O;
            expect(gain(g.maxDiscount)).toBeGreaterThanOrEqual(-1e-9);
            const next = g.maxDiscount + config.step;
            if (next <= config.ceiling + 1e-12) expect(gain(next)).toBeLessThan(1e-9);
            expect(g.worthOffering).toBe(g.maxDiscount > 0);
          }
  });

  it('is configurable through loadPlaybooks and refuses impossible settings', () => {
    const playbooks = loadPlaybooks({ pricing: { uplift: 0.05, ceiling: 0.1 } });
    // 0.62 × 0.05 × 1,200 / 180 = 20.7% → the 10% ceiling.
    expect(playbooks.pricing(buildScore(), buildFacts())).toMatchObject({ maxDiscount: 0.1, uplift: 0.05 });
    expect(playbooks.pricingConfig).toEqual({ uplift: 0.05, ceiling: 0.1, step: 0.05 });
    expect(() => loadPlaybooks({ pricing: { ceiling: 1.5 } })).toThrow(PlaybookConfigError);
    expect(() => loadPlaybooks({ pricing: { uplift: 0 } })).toThrow(
      /option pricing\.uplift: Number must be greater than 0/,
    );
  });

  it('the offer appears as an action for valuable customers at risk, with the same discount', () => {
    const playbooks = loadPlaybooks();
    const score = buildScore({ clvPredicted: 400, expectedOrderValue: 250, churnProbability: 0.6 });
    const offer = playbooks.nextBestActions(score, buildFacts()).find((a) => a.kind === 'offer');
    expect(offer).toMatchObject({
      title: "Offer up to 5% off Ada's next order",
      offer: { discount: 0.05, amount: 12.5 },
    });
    expect(offer!.reason).toBe(
      'At 60% churn risk, keeping Ada is worth £400; a discount up to 5% (about £12.50 on an order of £250) costs less than the value it is expected to keep.',
    );
  });
});
