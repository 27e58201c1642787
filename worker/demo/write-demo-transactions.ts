/**
 * Writes the synthetic retailer's transactions (worker/analytics/simulate/transactions.ts) to a generic-layout
 * CSV file, streaming with backpressure, gzip-compressed when asked or when the path ends in `.gz`. The file is
 * written under a temporary name and renamed when complete, so a crash never leaves a truncated file behind.
 */

import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { transactionCsvHeader, transactionCsvLine } from '../../demo-data/transaction-csv';
import {
  transactionOptions,
  validateTransactionOptions,
  type TransactionGeneratorOptions,
} from '../../demo-data/transaction-options';
import { generateTransactions, type GenerationSummary } from '../../demo-data/transactions';

export type WriteTransactionsOptions = {
  /** Default: true when the path ends in `.gz`. */
  gzip?: boolean;
  /** Called every `progressEvery` rows (default 100 000) with the rows written so far. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
};

export type WriteTransactionsResult = GenerationSummary & {
  path: string;
  gzip: boolean;
  /** Uncompressed CSV size in bytes (header included). */
  bytes: number;
  /** The full options used (demo defaults plus overrides): enough to regenerate the same file. */
  options: TransactionGeneratorOptions;
};

/** Text chunks of about this many characters go to the stream at once. */
const CHUNK_CHARS = 1 << 16;

/**
 * Generates and writes the transactions; `generator` overrides the demo defaults (DEMO_TRANSACTION_OPTIONS).
 *
 * Example: `await writeTransactionsCsv('demo/transactions.csv', { customers: 5000 })`
 */
export async function writeTransactionsCsv(
  path: string,
  generator: Partial<TransactionGeneratorOptions> = {},
  write: WriteTransactionsOptions = {},
): Promise<WriteTransactionsResult> {
  const options = transactionOptions(generator);
  const gzip = write.gzip ?? path.endsWith('.gz');
  const progressEvery = write.progressEvery ?? 100_000;
  validateTransactionOptions(options); // before anything touches the disk (the generator only runs when pulled)
  const rows = generateTransactions(options);
  let summary: GenerationSummary | undefined;
  let bytes = 0;

  async function* chunks(): AsyncGenerator<string> {
    let buffer = transactionCsvHeader(options.productLines) + '\n';
    let written = 0;
    while (true) {
      const next = rows.next();
      if (next.done) {
        summary = next.value;
        break;
      }
      buffer += transactionCsvLine(next.value, options.productLines) + '\n';
      if (++written % progressEvery === 0) write.onProgress?.(written);
      if (buffer.length >= CHUNK_CHARS) {
        bytes += Buffer.byteLength(buffer);
        yield buffer;
        buffer = '';
      }
    }
    bytes += Buffer.byteLength(buffer);
    yield buffer;
  }

  const partial = `${path}.partial`;
  const file = createWriteStream(partial);
  try {
    // Readable.from waits for the consumer before pulling the next chunk: that is the backpressure.
    const source = Readable.from(chunks(), { objectMode: false });
    if (gzip) await pipeline(source, createGzip({ level: 6 }), file);
    else await pipeline(source, file);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { ...(summary as GenerationSummary), path, gzip, bytes, options };
}
