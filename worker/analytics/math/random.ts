/**
 * A small seeded pseudo-random generator for the simulators and the demo data. Same seed, same stream, on every
 * platform: the generator is xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021), 32-bit words so every step is exact in JavaScript integer arithmetic, seeded
 * through splitmix32 so that nearby seeds (1, 2, 3 …) give unrelated streams. Period 2^128 − 1.
 *
 * Not for cryptography. The state lives in the instance; nothing is global.
 */

import { lgamma } from './special';

// Math's functions as module constants: identical speed in plain Node, but inside a vm context (jest's test
// environment) every `Math.x` property load is ~15× slower (nodejs/node#49283, jestjs/jest#5163), and these
// loops make millions of calls.
const { abs, exp, floor, imul, log, pow, sqrt, trunc } = Math;

/** 2^-53, for turning 53 random bits into a double. */
const TWO_POW_MINUS_53 = 1.1102230246251565e-16;

export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second normal deviate of the last polar-method pair, NaN when none is waiting. */
  private spareNormal = NaN;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    // splitmix32 (a 32-bit variant of Steele, Lea & Flood's SplitMix) expands one word into four; the state
    // must not be all zero, which splitmix32's output never is for four consecutive steps.
    let x = (trunc(seed) ^ trunc(seed / 4294967296)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = imul(z ^ (z >>> 16), 0x85ebca6b);
      z = imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A generator started from an explicit xoshiro128** state (four 32-bit words, not all zero). */
  static fromState(words: readonly [number, number, number, number]): SeededRandom {
    if (words.every((w) => w >>> 0 === 0)) throw new RangeError('xoshiro128** state must not be all zero');
    const random = new SeededRandom(0);
    random.s0 = words[0] >>> 0;
    random.s1 = words[1] >>> 0;
    random.s2 = words[2] >>> 0;
    random.s3 = words[3] >>> 0;
    return random;
  }

  /** Next 32-bit unsigned word (xoshiro128**). */
  nextUint32(): number {
    const s1 = this.s1;
    const result = imul(rotl(imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_MINUS_53;
  }

  /** Uniform on (0, 1]: safe inside a logarithm. */
  uniformPositive(): number {
    return 1 - this.uniform();
  }

  /** Uniform integer in {0, …, n − 1}; n a positive integer up to 2^32 (unbiased: rejection on the top). */
  integer(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Number.isInteger(n))) {
      throw new RangeError(`integer(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    }
    // Reject the top sliver of the 32-bit range that would make some residues more likely.
    const limit = 4294967296 - (4294967296 % n);
    let u = this.nextUint32();
    while (u >= limit) u = this.nextUint32();
    return u % n;
  }

  /** Exponential with the given rate (mean 1/rate), by inversion. */
  exponential(rate = 1): number {
    return -log(this.uniformPositive()) / rate;
  }

  /** Normal(mean, sd) by Marsaglia's polar method; the second deviate of each pair is kept for the next call. */
  normal(mean = 0, sd = 1): number {
    let z = this.spareNormal;
    if (z === z) {
      this.spareNormal = NaN;
    } else {
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * this.uniform() - 1;
        v = 2 * this.uniform() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = sqrt((-2 * log(s)) / s);
      this.spareNormal = v * f;
      z = u * f;
    }
    return mean + sd * z;
  }

  /**
   * Gamma with shape k and RATE θ (mean k/θ, variance k/θ²): the parametrisation of the CLV papers
   * (λ ~ Gamma(r, α) in Fader, Hardie & Lee 2005). Marsaglia & Tsang (2000), "A simple method for generating
   * gamma variables", ACM TOMS 26(3); for k < 1 their boost: Gamma(k) = Gamma(k + 1) · U^(1/k).
   */
  gamma(shape: number, rate = 1): number {
    if (!(shape > 0) || !(rate > 0)) {
      throw new RangeError(`gamma needs shape > 0 and rate > 0, got shape=${shape}, rate=${rate}`);
    }
    if (shape < 1) {
      return (this.marsagliaTsang(shape + 1) * pow(this.uniformPositive(), 1 / shape)) / rate;
    }
    return this.marsagliaTsang(shape) / rate;
  }

  /** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    // Both underflowing to 0 happens only for absurdly small shapes; pick the side with the larger shape.
    if (x + y === 0) return a >= b ? 1 : 0;
    return x / (x + y);
  }

  /**
   * Poisson(mean). Small means (< 10): Knuth's product of uniforms; larger: Hörmann's PTRS transformed rejection
   * with squeeze ("The transformed rejection method for generating Poisson random variables", Insurance:
   * Mathematics and Economics 12, 1993), whose cost does not grow with the mean.
   */
  poisson(mean: number): number {
    if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`poisson needs a mean ≥ 0, got ${mean}`);
    if (mean === 0) return 0;
    if (mean < 10) {
      const limit = exp(-mean);
      let k = 0;
      let product = this.uniform();
      while (product > limit) {
        k++;
        product *= this.uniform();
      }
      return k;
    }
    const sqrtMean = sqrt(mean);
    const logMean = log(mean);
    const b = 0.931 + 2.53 * sqrtMean;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    while (true) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - abs(u);
      const k = floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (log(v * invAlpha) - log(a / (us * us) + b) <= -mean + k * logMean - lgamma(k + 1)) return k;
    }
  }

  /** Marsaglia & Tsang (2000) for shape ≥ 1, rate 1. */
  private marsagliaTsang(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / sqrt(9 * d);
    while (true) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v; // squeeze
      if (log(u) < 0.5 * x2 + d * (1 - v + log(v))) return d * v;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A generator for `seed`; the same seed always yields the same stream. */
export function createRandom(seed: number): SeededRandom {
  return new SeededRandom(seed);
}
