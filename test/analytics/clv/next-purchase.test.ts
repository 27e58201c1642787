import {
  NextPurchaseError,
  nextPurchaseTime,
  nextPurchaseTimes,
  probabilityNextPurchaseWithin,
} from '../../../worker/analytics/clv/next-purchase';
import { createRandom } from '../../../worker/analytics/math/random';

describe('nextPurchaseTime', () => {
  it('is the median of the wait, worked out by hand', () => {
    // r + x = 2, α + T = 40, P(alive) = 2/3: solve 2/3 · [1 − (40/(40+t))²] = 1/2
    // → (40/(40+t))² = 1/4 → 40/(40+t) = 1/2 → t = 40.
    expect(nextPurchaseTime({ r: 1, alpha: 4 }, 1, 36, 2 / 3, 156)).toBeCloseTo(40, 10);
    // r + x = 1, α + T = 24, P(alive) = 1: 24/(24+t) = 1/2 → t = 24.
    expect(nextPurchaseTime({ r: 1, alpha: 4 }, 0, 20, 1, 156)).toBeCloseTo(24, 10);
  });

  it('is the median wait of simulated BG/NBD customers who are alive at T with x repeat purchases', () => {
    // Simulate the BG/NBD story from its prior (Fader, Hardie & Lee 2005, §3, CDNOW-like parameters): λ ~
    // Gamma(r, α), p ~ Beta(a, b), Exp(λ) gaps, dropout with probability p after each repeat purchase. Keep
    // the customers alive at T with exactly 2 repeats; their next purchase comes one more Exp(λ) gap later.
    const r = 0.243;
    const alpha = 4.414;
    const a = 0.793;
    const b = 2.426;
    const T = 38.86;
    const x = 2;
    const t = nextPurchaseTime({ r, alpha }, x, T, 1, 1e6) as number;
    const random = createRandom(42);
    let kept = 0;
    let within = 0;
    for (let i = 0; i < 300_000; i++) {
      const lambda = random.gamma(r, alpha);
      const p = random.beta(a, b);
      let time = 0;
      let repeats = 0;
      let alive = true;
      for (;;) {
        time += random.exponential(lambda);
        if (!(time <= T)) break;
        repeats++;
        if (random.uniform() < p) {
          alive = false;
          break;
        }
        if (repeats > x) break;
      }
      if (!alive || repeats !== x) continue;
      kept++;
      // Memoryless: the wait from T to the next purchase is a fresh Exp(λ).
      if (random.exponential(lambda) <= t) within++;
    }
    expect(kept).toBeGreaterThan(5_000);
    // Standard error of the share is about √(0.25 / kept) < 0.007.
    expect(Math.abs(within / kept - 0.5)).toBeLessThan(0.025);
  });

  it('is null when the customer is more likely gone than not, or beyond the cap', () => {
    expect(nextPurchaseTime({ r: 1, alpha: 4 }, 1, 36, 0.5, 156)).toBeNull();
    expect(nextPurchaseTime({ r: 1, alpha: 4 }, 1, 36, 0.1, 156)).toBeNull();
    expect(nextPurchaseTime({ r: 1, alpha: 4 }, 1, 36, 2 / 3, 39)).toBeNull();
    expect(nextPurchaseTime({ r: 1, alpha: 4 }, 1, 36, 2 / 3, 40.000001)).toBeCloseTo(40, 10);
  });

  it('rejects invalid inputs', () => {
    expect(() => nextPurchaseTime({ r: 1, alpha: 4 }, 1, 36, 1.2, 156)).toThrow(NextPurchaseError);
    expect(() => nextPurchaseTime({ r: 0, alpha: 4 }, 1, 36, 0.9, 156)).toThrow(/r and alpha/);
    expect(() => nextPurchaseTime({ r: 1, alpha: 4 }, 1, 36, 0.9, 0)).toThrow(/maxHorizon/);
  });
});

describe('probabilityNextPurchaseWithin', () => {
  it('is P(alive) · [1 − ((α+T)/(α+T+t))^(r+x)]', () => {
    // 2/3 · (1 − (40/80)²) = 2/3 · 3/4 = 1/2
    expect(probabilityNextPurchaseWithin({ r: 1, alpha: 4 }, 1, 36, 2 / 3, 40)).toBeCloseTo(0.5, 12);
    expect(probabilityNextPurchaseWithin({ r: 1, alpha: 4 }, 1, 36, 2 / 3, 0)).toBe(0);
    expect(probabilityNextPurchaseWithin({ r: 1, alpha: 4 }, 1, 36, 2 / 3, 1e12)).toBeCloseTo(2 / 3, 8);
  });
});

describe('nextPurchaseTimes', () => {
  it('vectorises with NaN where there is no date', () => {
    const times = nextPurchaseTimes(
      { r: 1, alpha: 4 },
      { frequency: Float64Array.from([1, 0, 1]), T: Float64Array.from([36, 20, 36]) },
      Float64Array.from([2 / 3, 1, 0.4]),
      156,
    );
    expect(times[0]).toBeCloseTo(40, 10);
    expect(times[1]).toBeCloseTo(24, 10);
    expect(times[2]).toBeNaN();
  });

  it('needs one entry per customer', () => {
    expect(() =>
      nextPurchaseTimes(
        { r: 1, alpha: 4 },
        { frequency: Float64Array.from([1]), T: Float64Array.from([36]) },
        Float64Array.from([0.9, 0.9]),
        156,
      ),
    ).toThrow(/one entry per customer/);
  });
});
