import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { cleaningDefaultsFor, readTransactionBatches } from '../../connectors/csv';
import { createCleaner, type CleanResult } from '../../worker/analytics/clean';
import { TEST_CACHE_ENV } from '../setup/global-setup';
import { SHARED_DATA } from './run-cli';

/** The UCI Online Retail file beside the repository (../shared/data/online-retail/). */
export const ONLINE_RETAIL_FILE = join(SHARED_DATA, 'online-retail/online_retail.csv.gz');

async function readAndClean(keepLines: boolean): Promise<CleanResult> {
  const cleaner = createCleaner({
    ...cleaningDefaultsFor('online-retail'),
    observationEnd: '2011-12-09',
    baseCurrency: 'GBP',
    keepLines,
  });
  for await (const batch of readTransactionBatches(ONLINE_RETAIL_FILE, 'online-retail')) {
    for (const row of batch) cleaner.add(row);
  }
  return cleaner.finish();
}

/**
 * Reads and cleans the whole Online Retail file as `crm-clv score --format online-retail` does. Several test
 * files need it and each read takes seconds on two cores, so within one jest run the first file to ask cleans
 * it and leaves a copy in the run's cache folder (global-setup); the others read that copy (a V8 structured
 * clone: typed arrays, maps and plain objects come back as they were). Outside jest's setup it just cleans.
 */
export async function loadOnlineRetail(options: { keepLines?: boolean } = {}): Promise<CleanResult> {
  const keepLines = options.keepLines ?? false;
  const cache = process.env[TEST_CACHE_ENV];
  const file = cache ? join(cache, `online-retail-${keepLines ? 'lines' : 'orders'}.v8`) : undefined;
  if (file !== undefined && existsSync(file)) return deserialize(readFileSync(file)) as CleanResult;
  const result = await readAndClean(keepLines);
  if (file !== undefined) {
    // Written under a name of its own, then renamed: a file reading it meanwhile sees all of it or nothing.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, serialize(result));
    renameSync(partial, file);
  }
  return result;
}
