import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTransactionBatches } from '../../connectors/csv/read-transactions';
import { createCleaner } from '../../worker/analytics/clean/cleaner';
import type { CleanResult } from '../../worker/analytics/clean/types';
import {
  writeTransactionsCsv,
  type WriteTransactionsResult,
} from '../../worker/demo/write-demo-transactions';

// The generator's faults are there to exercise the importer and the cleaner: each kind must land in the
// exclusion reason it was made for, and nothing else may be lost.
describe('generated demo transactions through the CSV reader and the cleaner', () => {
  let dir: string;
  let generated: WriteTransactionsResult;
  let cleaned: CleanResult;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'crm-clv-gen-clean-'));
    const file = path.join(dir, 'transactions.csv');
    generated = await writeTransactionsCsv(file, { customers: 3000, seed: 17 });
    const cleaner = createCleaner({ observationEnd: generated.options.end, baseCurrency: 'USD' });
    for await (const batch of readTransactionBatches(file, 'generic'))
      for (const row of batch) cleaner.add(row);
    cleaned = cleaner.finish();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every row', () => {
    expect(cleaned.quality.rowsRead).toBe(generated.rows);
  });

  it('finds exactly the duplicates and bad rows that were written, one of each kind at least', () => {
    const excluded = cleaned.quality.rowsExcluded;
    expect(excluded.duplicate_row).toBe(generated.duplicateRows);
    const badReasons = [
      excluded.malformed_line,
      excluded.missing_customer_id,
      excluded.unparseable_date,
      excluded.unparseable_amount,
      excluded.future_date,
      excluded.zero_or_negative_amount,
    ];
    expect(badReasons.reduce((a, b) => a + b, 0)).toBe(generated.badRows);
    expect(badReasons.every((n) => n > 0)).toBe(true);
    expect(excluded.unknown_currency + excluded.adjustment + excluded.anomalous_order).toBe(0);
  });

  it('nets every cancellation and refund against an earlier order of the same customer', () => {
    const c = cleaned.quality.cancellations;
    expect(c.rows).toBeGreaterThan(generated.refunds + generated.cancelledOrders - 1);
    expect(c.unmatchedRows).toBe(0);
    expect(c.nettedValue).toBeCloseTo(c.value, 6);
    // Cancelled orders disappear, and so do single-line orders whose only line was refunded.
    expect(c.ordersFullyCancelled).toBeGreaterThanOrEqual(generated.cancelledOrders);
    expect(cleaned.quality.orders).toBe(generated.orders - c.ordersFullyCancelled);
  });

  it('keeps almost every customer (only those whose every order was cancelled or refunded drop out)', () => {
    expect(cleaned.quality.customers.seen).toBe(generated.customers);
    expect(cleaned.quality.customers.inResult).toBeGreaterThan(0.98 * generated.customers);
  });
});
