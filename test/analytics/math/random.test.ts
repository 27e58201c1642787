import { createRandom, SeededRandom } from '../../../worker/analytics/math/random';

const N = 200_000;

type Moments = { mean: number; variance: number };

function sampleMoments(draw: () => number, n = N): Moments {
  let mean = 0;
  let m2 = 0;
  for (let i = 1; i <= n; i++) {
    const x = draw();
    const delta = x - mean;
    mean += delta / i;
    m2 += delta * (x - mean);
  }
  return { mean, variance: m2 / (n - 1) };
}

/**
 * Checks the sample mean and variance against the distribution's known values, within 4 standard errors.
 * SE(mean) = σ/√n; SE(s²) ≈ σ²·√((2 + excess kurtosis)/n).
 */
function expectMoments(got: Moments, mean: number, variance: number, excessKurtosis: number, n = N): void {
  const seMean = Math.sqrt(variance / n);
  const seVariance = variance * Math.sqrt((2 + excessKurtosis) / n);
  expect(Math.abs(got.mean - mean)).toBeLessThan(4 * seMean);
  expect(Math.abs(got.variance - variance)).toBeLessThan(4 * seVariance);
}

describe('SeededRandom', () => {
  it('reproduces the xoshiro128** reference stream from state (1, 2, 3, 4)', () => {
    // Output of Blackman & Vigna's reference C implementation (xoshiro128starstar.c) from s = {1, 2, 3, 4}.
    const random = SeededRandom.fromState([1, 2, 3, 4]);
    const words: number[] = [];
    for (let i = 0; i < 1000; i++) words.push(random.nextUint32());
    expect(words.slice(0, 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
    expect(words[999]).toBe(3170714187);
  });

  it('gives the same stream for the same seed and unrelated streams for neighbouring seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const xs = Array.from({ length: 20 }, () => a.uniform());
    expect(Array.from({ length: 20 }, () => b.uniform())).toEqual(xs);
    const ys = Array.from({ length: 20 }, () => c.uniform());
    expect(ys.filter((y, i) => y === xs[i])).toHaveLength(0);
  });

  it('draws uniforms on [0, 1) with mean 1/2 and variance 1/12', () => {
    const random = createRandom(1);
    let min = 1;
    let max = 0;
    const m = sampleMoments(() => {
      const u = random.uniform();
      if (u < min) min = u;
      if (u > max) max = u;
      return u;
    });
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expectMoments(m, 0.5, 1 / 12, -1.2);
  });

  it('draws integers in {0..n−1} with equal frequencies (chi-square, 9 d.f.)', () => {
    const random = createRandom(2);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < N; i++) counts[random.integer(10)]++;
    const expected = N / 10;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.88); // 99.9th percentile of χ²(9)
    expect(() => random.integer(0)).toThrow(RangeError);
    expect(() => random.integer(2.5)).toThrow(RangeError);
  });

  it('draws exponentials with mean 1/rate and variance 1/rate²', () => {
    const random = createRandom(3);
    expectMoments(
      sampleMoments(() => random.exponential(0.25)),
      4,
      16,
      6,
    );
  });

  it('draws normals with the given mean and variance', () => {
    const random = createRandom(4);
    expectMoments(
      sampleMoments(() => random.normal(-3, 2)),
      -3,
      4,
      0,
    );
  });

  it.each([
    [0.243, 4.414],
    [0.793, 1],
    [1, 2],
    [6.25, 0.5],
    [50, 3],
  ])('draws Gamma(shape %p, rate %p) with mean k/θ and variance k/θ²', (shape, rate) => {
    const random = createRandom(5);
    expectMoments(
      sampleMoments(() => random.gamma(shape, rate)),
      shape / rate,
      shape / rate ** 2,
      6 / shape,
    );
  });

  it('keeps tiny gamma shapes positive and finite', () => {
    const random = createRandom(6);
    for (let i = 0; i < 1000; i++) {
      const g = random.gamma(0.01);
      expect(g).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(g)).toBe(true);
    }
  });

  it.each([
    [0.793, 2.426],
    [2, 5],
    [0.5, 0.5],
  ])('draws Beta(%p, %p) with mean a/(a+b) and variance ab/((a+b)²(a+b+1))', (a, b) => {
    const random = createRandom(7);
    const s = a + b;
    const variance = (a * b) / (s * s * (s + 1));
    // Excess kurtosis of the beta distribution.
    const kurt = (6 * ((a - b) ** 2 * (s + 1) - a * b * (s + 2))) / (a * b * (s + 2) * (s + 3));
    expectMoments(
      sampleMoments(() => random.beta(a, b)),
      a / s,
      variance,
      kurt,
    );
  });

  it.each([0.3, 3, 9.5, 10, 50, 1000])('draws Poisson(%p) with mean and variance λ', (mean) => {
    const random = createRandom(8);
    expectMoments(
      sampleMoments(() => random.poisson(mean)),
      mean,
      mean,
      1 / mean,
    );
  });

  it('matches the Poisson(30) probabilities in the transformed-rejection branch (chi-square)', () => {
    const random = createRandom(9);
    const lambda = 30;
    const counts = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const k = random.poisson(lambda);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    // Bins 15..45 plus the two tails; pmf by the recurrence P(k) = P(k−1)·λ/k.
    const pmf: number[] = [Math.exp(-lambda)];
    for (let k = 1; k <= 200; k++) pmf.push((pmf[k - 1] * lambda) / k);
    let chi2 = 0;
    let bins = 0;
    const lowTail = pmf.slice(0, 15).reduce((a, b) => a + b, 0);
    const highTail = 1 - pmf.slice(0, 46).reduce((a, b) => a + b, 0);
    let lowCount = 0;
    let highCount = 0;
    for (const [k, c] of counts) {
      if (k < 15) lowCount += c;
      else if (k > 45) highCount += c;
    }
    for (const [p, c] of [
      [lowTail, lowCount],
      [highTail, highCount],
    ]) {
      chi2 += (c - N * p) ** 2 / (N * p);
      bins++;
    }
    for (let k = 15; k <= 45; k++) {
      const e = N * pmf[k];
      chi2 += ((counts.get(k) ?? 0) - e) ** 2 / e;
      bins++;
    }
    expect(bins).toBe(33);
    expect(chi2).toBeLessThan(63.87); // 99.9th percentile of χ²(32)
  });

  it('rejects invalid parameters with a RangeError', () => {
    const random = createRandom(10);
    expect(() => random.gamma(0)).toThrow(RangeError);
    expect(() => random.gamma(1, -1)).toThrow(RangeError);
    expect(() => random.poisson(-1)).toThrow(RangeError);
    expect(() => createRandom(Number.NaN)).toThrow(RangeError);
  });
});
