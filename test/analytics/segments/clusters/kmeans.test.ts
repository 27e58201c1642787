import { chooseK } from '../../../../worker/analytics/segments/clusters/choose-k';
import { runKmeans, ML_KMEANS_MAX_ROWS } from '../../../../worker/analytics/segments/clusters/kmeans';
import { kmeansMl } from '../../../../worker/analytics/segments/clusters/kmeans-ml';
import {
  kmeansPlusPlus,
  kmeansTyped,
  type MatrixInput,
} from '../../../../worker/analytics/segments/clusters/kmeans-typed';
import { createRandom } from '../../../../worker/analytics/math/random';

/** Gaussian blobs (sd 1) around centres drawn with sd 4, plus 10 % uniform noise. */
function blobs(n: number, d: number, k: number, seed: number): MatrixInput {
  const random = createRandom(seed);
  const centres = Array.from({ length: k * d }, () => random.normal(0, 4));
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const noise = random.uniform() < 0.1;
    const c = random.integer(k);
    for (let t = 0; t < d; t++)
      values[i * d + t] = noise ? random.uniform() * 20 - 10 : centres[c * d + t] + random.normal();
  }
  return { n, d, values };
}

describe('k-means', () => {
  it('solves a hand case: {0, 1} and {10, 11} with inertia 4 × 0.25', () => {
    const m = { n: 4, d: 1, values: Float64Array.from([0, 1, 10, 11]) };
    for (const engine of ['typed', 'ml-kmeans'] as const) {
      const r = runKmeans(m, 2, { engine, seed: 3, restarts: 3 });
      expect(Array.from(r.centroids).sort((a, b) => a - b)).toEqual([0.5, 10.5]);
      expect(r.inertia).toBeCloseTo(1, 12);
      expect(r.labels[0]).toBe(r.labels[1]);
      expect(r.labels[2]).toBe(r.labels[3]);
      expect(r.labels[0]).not.toBe(r.labels[2]);
    }
  });

  it('gives the same result as ml-kmeans from the same initial centres', () => {
    const m = blobs(3000, 4, 5, 11);
    for (const k of [3, 5, 8]) {
      const init = kmeansPlusPlus(m, k, createRandom(k));
      const ours = kmeansTyped(m, k, { initialCentroids: init });
      const theirs = kmeansMl(m, k, { initialCentroids: init });
      expect(Array.from(ours.labels)).toEqual(Array.from(theirs.labels));
      expect(ours.iterations).toBe(theirs.iterations);
      for (let i = 0; i < ours.centroids.length; i++)
        expect(ours.centroids[i]).toBeCloseTo(theirs.centroids[i], 9);
      expect(ours.inertia).toBeCloseTo(theirs.inertia, 6);
    }
  });

  it('reaches the same inertia as ml-kmeans within 1 % on a 20,000 × 8 benchmark', () => {
    const m = blobs(20_000, 8, 6, 3);
    const ours = kmeansTyped(m, 6, { seed: 1, restarts: 5 });
    const theirs = kmeansMl(m, 6, { seed: 500, restarts: 5 });
    expect(Math.abs(ours.inertia / theirs.inertia - 1)).toBeLessThan(0.01);
  });

  it('re-seeds an empty cluster instead of keeping a dead centre', () => {
    const m = { n: 4, d: 1, values: Float64Array.from([0, 1, 10, 11]) };
    const init = Float64Array.from([0, 11, 1000]);
    const ours = kmeansTyped(m, 3, { initialCentroids: init });
    expect(Math.min(...ours.sizes)).toBeGreaterThan(0);
    // Three clusters of 4 points: the best is a pair and two singletons, 0.5.
    expect(ours.inertia).toBeCloseTo(0.5, 12);
    // ml-kmeans keeps the centre at 1000 and stays at the two-cluster solution.
    expect(kmeansMl(m, 3, { initialCentroids: init }).inertia).toBeCloseTo(1, 12);
  });

  it('is reproducible for a seed and picks the engine by size', () => {
    const m = blobs(2000, 3, 4, 8);
    expect(Array.from(kmeansTyped(m, 4, { seed: 9 }).labels)).toEqual(
      Array.from(kmeansTyped(m, 4, { seed: 9 }).labels),
    );
    expect(runKmeans(m, 4).engine).toBe('ml-kmeans');
    expect(runKmeans(blobs(ML_KMEANS_MAX_ROWS + 1, 2, 3, 1), 3).engine).toBe('typed');
  });

  it('rejects k larger than the number of rows with a typed error', () => {
    const m = { n: 2, d: 1, values: Float64Array.from([0, 1]) };
    expect(() => kmeansTyped(m, 3)).toThrow(expect.objectContaining({ code: 'TOO_FEW_CUSTOMERS' }));
  });
});

describe('chooseK', () => {
  it('finds three well-separated groups when asked to choose in 2…10', () => {
    const random = createRandom(4);
    const centres = [
      [0, 0],
      [10, 0],
      [0, 10],
    ];
    const values = new Float64Array(3000 * 2);
    for (let i = 0; i < 3000; i++) {
      const c = centres[i % 3];
      values[2 * i] = c[0] + random.normal();
      values[2 * i + 1] = c[1] + random.normal();
    }
    const m = { n: 3000, d: 2, values };
    const r = chooseK(m, { silhouetteSampleSize: 600, seed: 2, kMin: 2, kMax: 10 });
    expect(r.k).toBe(3);
    expect(r.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.scores[1].score).toBeGreaterThan(0.6);
    expect(r.warnings).toEqual([]);
    // The default range is 4…8: k stays in it and the three natural groups are reported.
    const byDefault = chooseK(m, { silhouetteSampleSize: 600, seed: 2 });
    expect(byDefault.k).toBeGreaterThanOrEqual(4);
    expect(byDefault.k).toBeLessThanOrEqual(8);
    expect(byDefault.naturalK).toBe(3);
    expect(byDefault.warnings[0]).toMatch(
      /^The data show fewer natural groups than segments: 3 well-separated/,
    );
  });
});
