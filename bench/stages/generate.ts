/**
 * Bench stage (e): about N transaction rows into .bench-data/, reused when a file made with the same options is
 * already there.
 *
 * Args: <dir> <rows> <seed>
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { BENCH_DATA_VERSION, benchDataFile, reusableManifest, type BenchDataManifest } from '../bench-data';
import { peakRssMiB, runAsStage } from '../stage-protocol';

export type GenerateStageResult = {
  reused: boolean;
  file: string;
  observationEnd: string;
  rows: number;
  customers: number;
  orders: number;
  bytes: number;
  /** Milliseconds (0 when reused). */
  time: number;
  peakRss: number;
};

export async function runGenerateStage(
  dir: string,
  rows: number,
  seed: number,
): Promise<GenerateStageResult> {
  const data = benchDataFile(dir, rows, seed);
  let manifest = await reusableManifest(data);
  let time = 0;
  const reused = manifest !== null;
  if (manifest === null) {
    await mkdir(dir, { recursive: true });
    const start = performance.now();
    let lastReport = start;
    const written = await writeTransactionsCsv(data.file, data.options, {
      progressEvery: 500_000,
      onProgress: (n) => {
        const now = performance.now();
        if (now - lastReport > 5000) {
          process.stderr.write(`  generate: ${(n / 1e6).toFixed(1)} M rows…\n`);
          lastReport = now;
        }
      },
    });
    time = performance.now() - start;
    const { path: file, bytes, options, gzip: _gzip, ...summary } = written;
    manifest = { version: BENCH_DATA_VERSION, requestedRows: rows, file, bytes, options, summary };
    await writeFile(data.manifest, JSON.stringify(manifest satisfies BenchDataManifest, null, 2) + '\n');
  }
  return {
    reused,
    file: data.file,
    observationEnd: data.observationEnd,
    rows: manifest.summary.rows,
    customers: manifest.summary.customers,
    orders: manifest.summary.orders,
    bytes: manifest.bytes,
    time,
    peakRss: peakRssMiB(),
  };
}

if (require.main === module) {
  runAsStage(([dir, rows, seed]) => runGenerateStage(dir, Number(rows), Number(seed)));
}
