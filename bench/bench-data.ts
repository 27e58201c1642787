/**
 * The benchmark's transaction file in .bench-data/ (git-ignored): which options make it, and whether a file
 * already there was made with them (a manifest beside it records options, row counts and size).
 */

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { transactionOptions, type TransactionGeneratorOptions } from '../demo-data/transaction-options';
import { customersForRows } from '../demo-data/transaction-sizing';
import type { GenerationSummary } from '../demo-data/transactions';

/** Bump when the generator's output changes for the same options, so stale files are rebuilt. */
export const BENCH_DATA_VERSION = 1;

export type BenchDataManifest = {
  version: number;
  requestedRows: number;
  file: string;
  bytes: number;
  options: TransactionGeneratorOptions;
  summary: GenerationSummary;
};

export type BenchDataFile = {
  file: string;
  manifest: string;
  options: TransactionGeneratorOptions;
  /** Observation end for `crm-clv score`. */
  observationEnd: string;
};

/** Clean data (no faults): the score run then measures the engine on exactly the model's process. */
export function benchDataFile(dir: string, rows: number, seed: number): BenchDataFile {
  const base = transactionOptions({ seed, clean: true });
  const options = { ...base, customers: customersForRows(rows, base) };
  const name = `transactions-${rows}-seed${seed}`;
  return {
    file: path.join(dir, `${name}.csv`),
    manifest: path.join(dir, `${name}.manifest.json`),
    options,
    observationEnd: options.end,
  };
}

/** The manifest when the file on disk was made by the same generator version and options; else null. */
export async function reusableManifest(data: BenchDataFile): Promise<BenchDataManifest | null> {
  try {
    const manifest = JSON.parse(await readFile(data.manifest, 'utf8')) as BenchDataManifest;
    const size = (await stat(data.file)).size;
    const same =
      manifest.version === BENCH_DATA_VERSION &&
      JSON.stringify(manifest.options) === JSON.stringify(data.options) &&
      manifest.bytes === size;
    return same ? manifest : null;
  } catch {
    return null;
  }
}
