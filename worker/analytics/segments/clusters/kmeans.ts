/**
 * One entry point for k-means that picks the engine by size. ml-kmeans 6 (arrays of arrays, plain Lloyd) is the
 * reference implementation and serves small data; the typed-array engine (kmeans-typed.ts) serves everything
 * above ML_KMEANS_MAX_ROWS. Measured with bench/stages/segments-kmeans.ts (see the constant).
 */
import { kmeansMl } from './kmeans-ml';
import { kmeansTyped, type KmeansOptions, type MatrixInput } from './kmeans-typed';
import type { KmeansEngine, KmeansResult } from './types';

/**
 * Rows up to which ml-kmeans runs. Measured (CPU time, Node 20, 2-core shared machine; 8 features, k = 6, the
 * product's 10 restarts for small data, same inertia to 4 digits):
 *
 * | rows      | typed    | ml-kmeans |
 * |-----------|----------|-----------|
 * | 1,000     | 0.08 s   | 0.16 s    |
 * | 5,000     | 0.10 s   | 0.28 s    |
 * | 20,000    | 0.18 s   | 1.0 s     |
 * | 50,000    | 0.5 s    | 2.6 s     |
 * | 1,000,000 | 0.64 s   | 8.1 s (one start; 12.6 s wall, ~1 GiB for its arrays of arrays) |
 *
 * ml-kmeans is slower at every size, so it serves only data where its cost stays around a second: ≤ 20,000 rows.
 */
export const ML_KMEANS_MAX_ROWS = 20_000;

export type KmeansRunOptions = KmeansOptions & { engine?: 'auto' | KmeansEngine };

export function chooseEngine(rows: number): KmeansEngine {
  return rows <= ML_KMEANS_MAX_ROWS ? 'ml-kmeans' : 'typed';
}

export function runKmeans(m: MatrixInput, k: number, options: KmeansRunOptions = {}): KmeansResult {
  const engine = !options.engine || options.engine === 'auto' ? chooseEngine(m.n) : options.engine;
  return engine === 'ml-kmeans' ? kmeansMl(m, k, options) : kmeansTyped(m, k, options);
}
