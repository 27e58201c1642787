/**
 * Acceptance: CDNOW_sample.txt → import → cleaning → summary reproduces lifetimes'
 * cdnow_customers_summary_with_transactions.csv (calibration end 1997-09-30, weeks) for all 2,357 customers.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cleaningDefaultsFor } from '../../../connectors/csv/format-defaults';
import { readTransactions } from '../../../connectors/csv/read-transactions';
import { createCleaner } from '../../../worker/analytics/clean/cleaner';
import type { CleanerConfigInput } from '../../../worker/analytics/clean/config';
import { summarizePurchases } from '../../../worker/analytics/rfm/summarize-purchases';
import type { RfmSummary } from '../../../worker/analytics/rfm/types';

const repoRoot = path.resolve(__dirname, '../../..');
const data = path.resolve(repoRoot, '../shared/data/lifetimes');

async function cdnowSampleSummary(config: Partial<CleanerConfigInput>): Promise<RfmSummary> {
  const cleaner = createCleaner({ observationEnd: '1998-06-30', ...config });
  for await (const row of readTransactions(path.join(data, 'CDNOW_sample.txt'), 'cdnow')) cleaner.add(row);
  const { orders, customers } = cleaner.finish();
  return summarizePurchases(orders, customers, {
    calibrationEnd: '1997-09-30',
    observationEnd: '1998-06-30',
    period: 'week',
  });
}

function readCsv(name: string): string[][] {
  const lines = readFileSync(path.join(data, name), 'utf8').trim().split(/\r?\n/);
  return lines.slice(1).map((l) => l.split(','));
}

// The files are rounded to 2 decimals: half a cent/hundredth plus float slack.
const ROUNDING = 0.005 + 1e-9;

describe('CDNOW sample summary (lifetimes calibration_and_holdout_data)', () => {
  let summary: RfmSummary;
  let row: Map<string, number>;

  beforeAll(async () => {
    summary = await cdnowSampleSummary(cleaningDefaultsFor('cdnow'));
    row = new Map(summary.ids.map((id, i) => [id, i]));
  });

  it('has the 2,357 sample customers', () => {
    expect(summary.ids).toHaveLength(2357);
    expect(summary.holdout!.duration).toBeCloseTo(273 / 7, 12);
  });

  it('matches x, t_x, T and zbar of cdnow_customers_summary_with_transactions.csv for every customer', () => {
    const expected = readCsv('cdnow_customers_summary_with_transactions.csv');
    expect(expected).toHaveLength(2357);
    let repeatBuyers = 0;
    for (const [id, x, tx, T, zbar] of expected) {
      const i = row.get(id);
      expect(i).toBeDefined();
      const at = i as number;
      if (summary.frequency[at] !== Number(x))
        throw new Error(`customer ${id}: x ${summary.frequency[at]} ≠ ${x}`);
      for (const [name, got, want] of [
        ['t_x', summary.recency[at], tx],
        ['T', summary.T[at], T],
        ['zbar', summary.monetaryValue[at], zbar],
      ] as const) {
        if (Math.abs(got - Number(want)) > ROUNDING)
          throw new Error(`customer ${id}: ${name} ${got} ≠ ${want}`);
      }
      if (Number(x) > 0) repeatBuyers++;
    }
    expect(repeatBuyers).toBe(946);
  });

  it('matches the frequencies of cdnow_customers_summary.csv exactly', () => {
    for (const [id, frequency] of readCsv('cdnow_customers_summary.csv')) {
      expect(summary.frequency[row.get(id) as number]).toBe(Number(frequency));
    }
  });

  // The sample's 8 rows of $0.00 are each the only purchase of their customer (checked with awk on the file).
  it('needs the $0.00 rows kept: without keepZeroAmounts 8 customers drop out', async () => {
    const withoutZero = await cdnowSampleSummary({ keepZeroAmounts: false });
    expect(withoutZero.ids).toHaveLength(2357 - 8);
  });
});
