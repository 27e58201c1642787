/**
 * ml-kmeans 6 behind the same signature as kmeansTyped, for small data (it works on arrays of arrays and is
 * slower: see kmeans.ts for the measured threshold). Labels and inertia are recomputed against the final
 * centres, so both engines report the same quantities.
 */
import { kmeans } from 'ml-kmeans';
import { assignNearest, validateKmeansInput, type KmeansOptions, type MatrixInput } from './kmeans-typed';
import type { KmeansResult } from './types';

function rows(values: Float64Array, count: number, d: number): number[][] {
  const out: number[][] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = Array.from(values.subarray(i * d, i * d + d));
  return out;
}

export function kmeansMl(m: MatrixInput, k: number, options: KmeansOptions = {}): KmeansResult {
  validateKmeansInput(m, k);
  const data = rows(m.values, m.n, m.d);
  const restarts = options.initialCentroids ? 1 : Math.max(1, options.restarts ?? 1);
  const seed = options.seed ?? 1;
  let best: KmeansResult | null = null;
  for (let run = 0; run < restarts; run++) {
    const r = kmeans(data, k, {
      initialization: options.initialCentroids ? rows(options.initialCentroids, k, m.d) : 'kmeans++',
      seed: seed + run,
      maxIterations: options.maxIterations ?? 300,
      tolerance: options.tolerance ?? 1e-6,
    });
    const centroids = Float64Array.from(r.centroids.flat());
    const { labels, sizes, inertia } = assignNearest(m, centroids, k);
    if (!best || inertia < best.inertia) {
      best = {
        k,
        d: m.d,
        centroids,
        labels,
        sizes,
        inertia,
        iterations: r.iterations,
        converged: r.converged,
        engine: 'ml-kmeans',
      };
    }
  }
  return best!;
}
