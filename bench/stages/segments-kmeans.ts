/**
 * Standalone bench for behavioural clustering (not wired into bench/run.ts):
 *
 *   node dist/bench/stages/segments-kmeans.js [rows=1000000] [d=8] [k=6] [--skip-ml]
 *
 * Builds a standardised mixture of `k` Gaussian blobs plus 10 % uniform noise (n × d), then times one k-means
 * with k-means++ on it with the typed engine and with ml-kmeans 6, compares their inertia, and times the
 * automatic choice of k (2…10, silhouette on a sample). Target: one k on 1M × 8 in < 5 s.
 */
import { chooseK } from '../../worker/analytics/segments/clusters/choose-k';
import { fitClusterModel } from '../../worker/analytics/segments/clusters/cluster-model';
import type { CustomerBehaviour } from '../../worker/analytics/segments/clusters/types';
import { kmeansMl } from '../../worker/analytics/segments/clusters/kmeans-ml';
import { kmeansTyped } from '../../worker/analytics/segments/clusters/kmeans-typed';
import { createRandom } from '../../worker/analytics/math/random';
import { peakRssMiB, runAsStage } from '../stage-protocol';

type Timing = { seconds: number; cpuSeconds: number };

export type SegmentsKmeansBench = {
  rows: number;
  d: number;
  k: number;
  typed: Timing & { inertia: number; iterations: number };
  mlKmeans: (Timing & { inertia: number; iterations: number }) | null;
  inertiaRatio: number | null;
  chooseK: Timing & { k: number; scores: { k: number; score: number }[] };
  /** fitClusterModel (features, automatic k, final fit, names, coarse groups) on `rows` synthetic customers. */
  model: Timing & { k: number; names: string[]; sizes: number[] };
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

/** Wall and CPU seconds: the bench machine is often shared, and CPU time shows what the code itself costs. */
/** Customers with exponential recency, geometric frequency, log-normal order values, uniform tenure. */
function customers(n: number, seed: number): CustomerBehaviour {
  const random = createRandom(seed);
  const b = {
    recencyDays: new Float64Array(n),
    frequency: new Float64Array(n),
    monetary: new Float64Array(n),
    tenureDays: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const tenure = random.uniform() * 730;
    b.tenureDays[i] = tenure;
    b.recencyDays[i] = Math.min(tenure, random.exponential(1 / 90));
    b.frequency[i] = 1 + Math.floor(random.exponential(1 / (1 + tenure / 120)));
    b.monetary[i] = b.frequency[i] * Math.exp(random.normal(3.5, 0.8));
  }
  return b;
}

function timed<T>(work: () => T): { value: T; seconds: number; cpuSeconds: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

export function runSegmentsKmeansBench(args: string[]): SegmentsKmeansBench {
  const positional = args.filter((a) => !a.startsWith('--'));
  const rows = Number(positional[0] ?? 1_000_000);
  const d = Number(positional[1] ?? 8);
  const k = Number(positional[2] ?? 6);
  const m = { n: rows, d, values: mixture(rows, d, k, 7) };
  const typed = timed(() => kmeansTyped(m, k, { seed: 11 }));
  process.stderr.write(
    `typed: ${typed.seconds.toFixed(2)} s (cpu ${typed.cpuSeconds.toFixed(2)} s), ${typed.value.iterations} iterations\n`,
  );
  let mlKmeans: SegmentsKmeansBench['mlKmeans'] = null;
  if (!args.includes('--skip-ml')) {
    const ml = timed(() => kmeansMl(m, k, { seed: 11 }));
    mlKmeans = {
      seconds: ml.seconds,
      cpuSeconds: ml.cpuSeconds,
      inertia: ml.value.inertia,
      iterations: ml.value.iterations,
    };
    process.stderr.write(
      `ml-kmeans: ${ml.seconds.toFixed(2)} s (cpu ${ml.cpuSeconds.toFixed(2)} s), ${ml.value.iterations} iterations\n`,
    );
  }
  const chosen = timed(() => chooseK(m, { seed: 3 }));
  const behaviour = customers(rows, 5);
  const model = timed(() => fitClusterModel(behaviour).model);
  process.stderr.write(
    `fitClusterModel: ${model.seconds.toFixed(2)} s (cpu ${model.cpuSeconds.toFixed(2)} s)\n`,
  );
  return {
    rows,
    d,
    k,
    typed: {
      seconds: typed.seconds,
      cpuSeconds: typed.cpuSeconds,
      inertia: typed.value.inertia,
      iterations: typed.value.iterations,
    },
    mlKmeans,
    inertiaRatio: mlKmeans ? typed.value.inertia / mlKmeans.inertia : null,
    chooseK: {
      seconds: chosen.seconds,
      cpuSeconds: chosen.cpuSeconds,
      k: chosen.value.k,
      scores: chosen.value.scores,
    },
    model: {
      seconds: model.seconds,
      cpuSeconds: model.cpuSeconds,
      k: model.value.k,
      names: model.value.names,
      sizes: model.value.sizes,
    },
    peakRssMiB: peakRssMiB(),
  };
}

if (require.main === module) runAsStage((args) => runSegmentsKmeansBench(args));
