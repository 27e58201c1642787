/**
 * Seeded pseudo-random numbers for tests: same seed, same stream, no global state. The generator is sfc32
 * (Chris Doty-Humphrey's Small Fast Counter, 32-bit words, so every step is exact JavaScript integer
 * arithmetic); doubles take 53 bits from two words. Distributions:
 *   uniform        [0, 1)
 *   normal         standard normal, Marsaglia's polar method
 *   exponential    rate λ (mean 1/λ), by inversion
 *   gamma          shape k, RATE θ (mean k/θ): Marsaglia & Tsang (2000), "A simple method for generating gamma
 *                  variables", ACM TOMS 26(3); shape < 1 through Γ(k) = Γ(k+1)·U^{1/k}
 *   beta           a, b through two gammas
 *   poisson        mean μ: multiplication method below 30, Hörmann's PTRS (1993, "The transformed rejection
 *                  method for generating Poisson random variables", Insurance: Math. & Econ. 12) above
 */

import { lgamma } from '../../worker/analytics/math/special';

export type SeededRandom = {
  uniform(): number;
  normal(): number;
  exponential(rate?: number): number;
  gamma(shape: number, rate?: number): number;
  beta(a: number, b: number): number;
  poisson(mean: number): number;
};

export function createSeededRandom(seed: number): SeededRandom {
  // Seed the four words with a splitmix32 sequence so nearby seeds give unrelated streams.
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) next();

  const uniform = (): number => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  let spare = NaN;
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const v = spare;
      spare = NaN;
      return v;
    }
    let u: number;
    let v: number;
    let q: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    spare = v * f;
    return u * f;
  };
  const exponential = (rate = 1): number => -Math.log(1 - uniform()) / rate;
  const gamma = (shape: number, rate = 1): number => {
    if (shape < 1) {
      const g = gamma(shape + 1, rate);
      return g * Math.exp(Math.log(1 - uniform()) / shape);
    }
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    while (true) {
      const x = normal();
      let v = 1 + cc * x;
      if (v <= 0) continue;
      v = v * v * v;
      const u = uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return (dd * v) / rate;
      if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return (dd * v) / rate;
    }
  };
  const beta = (p: number, q: number): number => {
    const x = gamma(p);
    const y = gamma(q);
    return x / (x + y);
  };
  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let k = 0;
      let prod = uniform();
      while (prod > limit) {
        k++;
        prod *= uniform();
      }
      return k;
    }
    const slam = Math.sqrt(mean);
    const logMean = Math.log(mean);
    const bb = 0.931 + 2.53 * slam;
    const aa = -0.059 + 0.02483 * bb;
    const invAlpha = 1.1239 + 1.1328 / (bb - 3.4);
    const vr = 0.9277 - 3.6224 / (bb - 2);
    while (true) {
      const u = uniform() - 0.5;
      const v = uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * aa) / us + bb) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (
        Math.log(v) + Math.log(invAlpha) - Math.log(aa / (us * us) + bb) <=
        -mean + k * logMean - lgamma(k + 1)
      ) {
        return k;
      }
    }
  };
  return { uniform, normal, exponential, gamma, beta, poisson };
}
