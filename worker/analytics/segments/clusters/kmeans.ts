/**
 * One entry point for k-means that picks the engine by size. ml-kmeans 6 (arrays of arrays, plain Lloyd) is the
 * reference implementation and serves small data; the typed-array engine (kmeans-typed.ts) serves everything
 * above ML_KMEANS_MAX_ROWS. Measured with bench/stages/segments-kmeans.ts (see the constant).
 */
import { kmeansMl } from './kmeans-ml';
import { kmeansTyped, type KmeansOptions, type MatrixInput } from './kmeans-typed';
import type { KmeansEngine, KmeansResult } from './types';

/**
 * Rows up to which ml-kmeans runs. Measured on a 1M × 8 mixture, k = 6 (bench/stages/segments-kmeans.ts):
 * see MEASURED in that script's output; ml-kmeans is slower at every size, so it only serves data small enough
 * that its cost does not matter (≤ 20,000 rows: well under a second).
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
