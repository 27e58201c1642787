/**
 * Standalone bench for behavioural clustering (not wired into bench/run.ts):
 *
 *   node dist/bench/stages/segments-kmeans.js [rows=1000000] [d=8] [k=6] [--skip-ml]
 *
 * Builds a standardised mixture of `k` Gaussian blobs plus 10 % uniform noise (n × d), then times one k-means
 * with k-means++ on it with the typed engine and with ml-kmeans 6, compares their inertia, and times the
 * automatic choice of k (2…10, silhouette on a sample). Target from issue 3: one k on 1M × 8 in < 5 s.
 */
import { chooseK } from '../../worker/analytics/segments/clusters/choose-k';
import { kmeansMl } from '../../worker/analytics/segments/clusters/kmeans-ml';
import { kmeansTyped } from '../../worker/analytics/segments/clusters/kmeans-typed';
import { createRandom } from '../../worker/analytics/simulate/random';
import { peakRssMiB, runAsStage } from '../stage-protocol';

export type SegmentsKmeansBench = {
  rows: number;
  d: number;
  k: number;
  typed: { seconds: number; inertia: number; iterations: number };
  mlKmeans: { seconds: number; inertia: number; iterations: number } | null;
  inertiaRatio: number | null;
  chooseK: { seconds: number; k: number; scores: { k: number; score: number }[] };
  peakRssMiB: number;
};

function mixture(n: number, d: number, k: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const centres = new Float64Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = random.normal(0, 3);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const noise = random.uniform() < 0.1;
    const c = random.integer(k);
    for (let t = 0; t < d; t++) {
      x[i * d + t] = noise
        ? random.uniform() * 16 - 8
        : centres[c * d + t] + random.normal(0, 1 + (c % 3) * 0.5);
    }
  }
  return x;
}

function timed<T>(work: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = work();
  return { value, seconds: (performance.now() - start) / 1000 };
}

export function runSegmentsKmeansBench(args: string[]): SegmentsKmeansBench {
  const positional = args.filter((a) => !a.startsWith('--'));
  const rows = Number(positional[0] ?? 1_000_000);
  const d = Number(positional[1] ?? 8);
  const k = Number(positional[2] ?? 6);
  const m = { n: rows, d, values: mixture(rows, d, k, 7) };
  const typed = timed(() => kmeansTyped(m, k, { seed: 11 }));
  process.stderr.write(`typed: ${typed.seconds.toFixed(2)} s, ${typed.value.iterations} iterations\n`);
  let mlKmeans: SegmentsKmeansBench['mlKmeans'] = null;
  if (!args.includes('--skip-ml')) {
    const ml = timed(() => kmeansMl(m, k, { seed: 11 }));
    mlKmeans = { seconds: ml.seconds, inertia: ml.value.inertia, iterations: ml.value.iterations };
    process.stderr.write(`ml-kmeans: ${ml.seconds.toFixed(2)} s, ${ml.value.iterations} iterations\n`);
  }
  const chosen = timed(() => chooseK(m, { seed: 3 }));
  return {
    rows,
    d,
    k,
    typed: { seconds: typed.seconds, inertia: typed.value.inertia, iterations: typed.value.iterations },
    mlKmeans,
    inertiaRatio: mlKmeans ? typed.value.inertia / mlKmeans.inertia : null,
    chooseK: { seconds: chosen.seconds, k: chosen.value.k, scores: chosen.value.scores },
    peakRssMiB: peakRssMiB(),
  };
}

if (require.main === module) runAsStage((args) => runSegmentsKmeansBench(args));
