/**
 * A file read and cleaned with its rows prepared in a pipeline thread (prepared-rows) gives the very result
 * of cleaning alone: orders, lines, customers, products and the whole quality report, on the real Online
 * Retail file (gzip, cancellations, adjustments, non-products, countries) and on a generated file with every
 * fault the generator makes. Threads need the build (`npm test` builds first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { readAndClean, type ReadAndCleanSettings } from '../../worker/pipeline/read-and-clean';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';
import { ONLINE_RETAIL_FILE } from '../helpers/online-retail';

async function bothWays(settings: ReadAndCleanSettings) {
  const alone = await readAndClean(settings, {}, { prepareInThread: false });
  const prepared = await readAndClean(settings, {}, { prepareInThread: true });
  return { alone, prepared };
}

describe('cleaning with rows prepared in a thread', () => {
  it('gives the result of cleaning alone on the Online Retail file', async () => {
    const { alone, prepared } = await bothWays({
      ...STANDARD_SCORE_SETTINGS,
      format: 'online-retail',
      transactions: ONLINE_RETAIL_FILE,
      observationEnd: '2011-12-09',
      baseCurrency: 'GBP',
    });
    // The file must exercise the exclusions, or the comparison proves little.
    const q = alone.quality;
    expect(q.rowsExcluded.cancellation).toBeGreaterThan(1000);
    expect(q.rowsExcluded.missing_customer_id).toBeGreaterThan(1000);
    expect(q.rowsExcluded.duplicate_row).toBeGreaterThan(1000);
    expect(prepared).toEqual(alone);
    // A large run's columns are shared with its threads, not copied to each.
    expect(prepared.orders.customer.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(prepared.lines!.product.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('gives the result of cleaning alone on a generated file with duplicates, bad rows and refunds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-clv-read-and-clean-'));
    const transactions = join(dir, 'transactions.csv');
    const generated = await writeTransactionsCsv(transactions, {
      customers: 3000,
      seed: 47,
      clean: false,
      faults: { cancellationRate: 0.05, refundRate: 0.05, duplicateRate: 0.05, badRowRate: 0.05 },
    });
    const { alone, prepared } = await bothWays({
      ...STANDARD_SCORE_SETTINGS,
      transactions,
      observationEnd: generated.options.end,
      baseCurrency: generated.options.currency,
    });
    const q = alone.quality;
    for (const reason of ['duplicate_row', 'malformed_line', 'unparseable_date', 'future_date'] as const)
      expect(q.rowsExcluded[reason]).toBeGreaterThan(10);
    expect(prepared).toEqual(alone);
  });
});
