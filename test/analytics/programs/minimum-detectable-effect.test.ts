import { minimumDetectableEffect } from '../../../worker/analytics/programs';

const Z_ALPHA = 1.959963984540054; // Φ⁻¹(0.975)
const Z_BETA = 0.8416212335729143; // Φ⁻¹(0.80)

/** Chow, Shao & Wang (2008) §4.2: control arm size for a difference δ, with n_t = κ·n_c. */
function controlArmSize(pControl: number, delta: number, kappa: number): number {
  const pTreated = pControl + delta;
  return (
    ((Z_ALPHA + Z_BETA) ** 2 * ((pTreated * (1 - pTreated)) / kappa + pControl * (1 - pControl))) / delta ** 2
  );
}

describe('minimumDetectableEffect', () => {
  it('is 11.0 points for 800 treated and 200 control customers at a 50% baseline (hand computation)', () => {
    // By hand: δ₀ = 2.8016·√(0.25/800 + 0.25/200) = 0.11075; iterating δ = 2.8016·√((0.5+δ)(0.5−δ)/800 + 0.25/200)
    // settles at 0.11020.
    const mde = minimumDetectableEffect(800, 200, 0.5);
    expect(mde.effect).toBeCloseTo(0.1102, 4);
    expect(mde.measurable).toBe(false);
    expect(mde.words).toMatch(/too small to measure a useful effect/);
  });

  it('is the δ at which the published sample-size formula asks for exactly the arms given', () => {
    const mde = minimumDetectableEffect(4000, 1000, 0.3);
    expect(mde.effect).toBeDefined();
    expect(controlArmSize(0.3, mde.effect!, 4)).toBeCloseTo(1000, 6);
    expect(mde.effect).toBeCloseTo(0.0457, 4);
    expect(mde.measurable).toBe(true);
    expect(mde.words).toMatch(/a rise of 4\.6 points in the retention rate is detectable/);
  });

  it('says nothing is measurable when an arm is empty or no rise below 100% is detectable', () => {
    expect(minimumDetectableEffect(10, 0, 0.5)).toMatchObject({ effect: undefined, measurable: false });
    const tiny = minimumDetectableEffect(3, 1, 0.9);
    expect(tiny.effect).toBeUndefined();
    expect(tiny.words).toMatch(/too small to measure anything/);
  });
});
