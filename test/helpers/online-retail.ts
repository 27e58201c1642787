import { cleaningDefaultsFor, readTransactionBatches } from '../../connectors/csv';
import { createCleaner, type CleanResult } from '../../worker/analytics/clean';
import { SHARED_DATA } from './run-cli';
import { join } from 'node:path';

/** The UCI Online Retail file beside the repository (../shared/data/online-retail/). */
export const ONLINE_RETAIL_FILE = join(SHARED_DATA, 'online-retail/online_retail.csv.gz');

/** Reads and cleans the whole Online Retail file as `crm-clv score --format online-retail` does. */
export async function loadOnlineRetail(options: { keepLines?: boolean } = {}): Promise<CleanResult> {
  const cleaner = createCleaner({
    ...cleaningDefaultsFor('online-retail'),
    observationEnd: '2011-12-09',
    baseCurrency: 'GBP',
    keepLines: options.keepLines ?? false,
  });
  for await (const batch of readTransactionBatches(ONLINE_RETAIL_FILE, 'online-retail')) {
    for (const row of batch) cleaner.add(row);
  }
  return cleaner.finish();
}
