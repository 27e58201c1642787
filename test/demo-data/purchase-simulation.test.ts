import type { BgNbdParams, ParetoNbdParams } from '../../worker/analytics/clv/types';
import { hyp2f1 } from '../../worker/analytics/math/special';
import { simulateBgNbd, simulateMbgNbd } from '../../demo-data/bgnbd-simulation';
import { simulateParetoNbd } from '../../demo-data/pareto-nbd-simulation';
import type { SimulatedPurchases } from '../../demo-data/simulated-history';
import { SimulationError } from '../../demo-data/simulation-error';

// Published CDNOW estimates (weeks): BG/NBD from Fader, Hardie & Lee (2005); Pareto/NBD from Fader, Hardie & Lee
// (2005) "A note on implementing the Pareto/NBD model in MATLAB".
const BGNBD: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PARETO: ParetoNbdParams = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
const N = 200_000;
const T = 39;

function meanAndSe(values: ArrayLike<number>): { mean: number; se: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const delta = values[i] - mean;
    mean += delta / (i + 1);
    m2 += delta * (values[i] - mean);
  }
  return { mean, se: Math.sqrt(m2 / (values.length - 1) / values.length) };
}

function fractionWhere(values: ArrayLike<number>, predicate: (v: number) => boolean): number {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (predicate(values[i])) k++;
  return k / values.length;
}

function expectWithin3Se(observed: number, expected: number, se: number): void {
  expect(Math.abs(observed - expected)).toBeLessThan(3 * se);
}

/** Binomial standard error of a proportion. */
function proportionSe(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}

/** Counts customers whose summary breaks x ∈ ℕ, (x = 0 ⇔ t_x = 0), 0 < t_x ≤ T. */
function inconsistentHistories(h: SimulatedPurchases): number {
  let bad = 0;
  for (let i = 0; i < h.frequency.length; i++) {
    const x = h.frequency[i];
    const ok =
      Number.isInteger(x) &&
      x >= 0 &&
      (x === 0 ? h.recency[i] === 0 : h.recency[i] > 0 && h.recency[i] <= h.T[i]);
    if (!ok) bad++;
  }
  return bad;
}

function minMax(values: Float64Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

describe('simulateBgNbd', () => {
  const sim = simulateBgNbd(BGNBD, { customers: N, T: { kind: 'fixed', T }, seed: 11 });

  it('matches E[X(t)] of Fader, Hardie & Lee (2005), eq. 9, within 3 standard errors', () => {
    const { r, alpha, a, b } = BGNBD;
    const z = T / (alpha + T);
    const expected = ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + T)) ** r * hyp2f1(r, b, a + b - 1, z));
    const { mean, se } = meanAndSe(sim.frequency);
    expectWithin3Se(mean, expected, se);
  });

  it('leaves a share (α/(α+t))^r of customers without repeat purchases', () => {
    // No dropout before the first repeat purchase, so P(X(t) = 0) = E[e^(−λt)].
    const expected = (BGNBD.alpha / (BGNBD.alpha + T)) ** BGNBD.r;
    expectWithin3Se(
      fractionWhere(sim.frequency, (x) => x === 0),
      expected,
      proportionSe(expected, N),
    );
  });

  it('keeps customers without repeat purchases alive and recency within (0, T]', () => {
    expect(inconsistentHistories(sim)).toBe(0);
    let deadWithoutRepeat = 0;
    for (let i = 0; i < N; i++) if (sim.frequency[i] === 0 && sim.alive[i] === 0) deadWithoutRepeat++;
    expect(deadWithoutRepeat).toBe(0);
  });

  it('gives the same customers for the same seed and different ones for another seed', () => {
    const options = { customers: 1000, T: { kind: 'uniform', min: 1, max: 78 }, seed: 5 } as const;
    const a = simulateBgNbd(BGNBD, options);
    const b = simulateBgNbd(BGNBD, options);
    const c = simulateBgNbd(BGNBD, { ...options, seed: 6 });
    expect(b.frequency).toEqual(a.frequency);
    expect(b.recency).toEqual(a.recency);
    expect(b.T).toEqual(a.T);
    expect(c.T).not.toEqual(a.T);
  });

  it('draws T uniformly over the requested window', () => {
    const h = simulateBgNbd(BGNBD, { customers: N, T: { kind: 'uniform', min: 1, max: 78 }, seed: 12 });
    const [min, max] = minMax(h.T);
    expect(min).toBeGreaterThanOrEqual(1);
    expect(max).toBeLessThanOrEqual(78);
    const { mean, se } = meanAndSe(h.T);
    expectWithin3Se(mean, 39.5, se);
  });

  it('uses per-customer ages when given', () => {
    const ages = Float64Array.from([1, 2, 3]);
    expect(simulateBgNbd(BGNBD, { customers: 3, T: { kind: 'values', T: ages }, seed: 1 }).T).toEqual(ages);
  });

  it('rejects non-positive parameters and mismatched ages with SimulationError codes', () => {
    const options = { customers: 10, T: { kind: 'fixed', T: 10 }, seed: 1 } as const;
    expect(() => simulateBgNbd({ ...BGNBD, a: 0 }, options)).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => simulateBgNbd(BGNBD, { ...options, T: { kind: 'values', T: [1, 2] } })).toThrow(
      SimulationError,
    );
    expect(() => simulateBgNbd(BGNBD, { ...options, customers: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});

describe('simulateMbgNbd', () => {
  const sim = simulateMbgNbd(BGNBD, { customers: N, T: { kind: 'fixed', T }, seed: 13 });

  it('matches E[X(t)] of Batislam, Denizel & Filiztekin (2007) within 3 standard errors', () => {
    const { r, alpha, a, b } = BGNBD;
    const z = T / (alpha + T);
    const expected = (b / (a - 1)) * (1 - (alpha / (alpha + T)) ** r * hyp2f1(r, b + 1, a + b, z));
    const { mean, se } = meanAndSe(sim.frequency);
    expectWithin3Se(mean, expected, se);
  });

  it('lets customers drop out at time 0: P(X(t) = 0) = E[p] + E[1 − p]·(α/(α+t))^r', () => {
    const { r, alpha, a, b } = BGNBD;
    const expected = a / (a + b) + (b / (a + b)) * (alpha / (alpha + T)) ** r;
    expectWithin3Se(
      fractionWhere(sim.frequency, (x) => x === 0),
      expected,
      proportionSe(expected, N),
    );
    let deadWithoutRepeat = 0;
    for (let i = 0; i < N; i++) if (sim.frequency[i] === 0 && sim.alive[i] === 0) deadWithoutRepeat++;
    // E[p] of the customers dropped out at time 0: a/(a+b) ≈ 24.6 %.
    expectWithin3Se(deadWithoutRepeat / N, a / (a + b), proportionSe(a / (a + b), N));
    expect(inconsistentHistories(sim)).toBe(0);
  });
});

describe('simulateParetoNbd', () => {
  const sim = simulateParetoNbd(PARETO, { customers: N, T: { kind: 'fixed', T }, seed: 14 });

  it('matches E[X(t)] of Schmittlein, Morrison & Colombo (1987) within 3 standard errors', () => {
    const { r, alpha, s, beta } = PARETO;
    const expected = ((r * beta) / (alpha * (s - 1))) * (1 - (beta / (beta + T)) ** (s - 1));
    const { mean, se } = meanAndSe(sim.frequency);
    expectWithin3Se(mean, expected, se);
  });

  it('keeps a share (β/(β+T))^s of customers alive at T', () => {
    const expected = (PARETO.beta / (PARETO.beta + T)) ** PARETO.s;
    expectWithin3Se(
      fractionWhere(sim.alive, (v) => v === 1),
      expected,
      proportionSe(expected, N),
    );
    expect(inconsistentHistories(sim)).toBe(0);
  });
});
