/**
 * The whole UCI Online Retail file (541,909 rows) through import and cleaning. Expected counts come from the
 * data README or are derived here independently, with a plain line-by-line pass over the decompressed text.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EXCLUSION_REASONS, type CleanResult } from '../../../worker/analytics/clean/types';
import { loadOnlineRetail } from '../../helpers/online-retail';

const repoRoot = path.resolve(__dirname, '../../..');
const file = path.resolve(repoRoot, '../shared/data/online-retail/online_retail.csv.gz');

/** Test-local CSV split (quoted fields with "" escapes), deliberately not the importer's code. */
function fields(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

type Expected = {
  rows: number;
  invoicesC: number;
  invoicesA: number;
  duplicatesAll: number;
  duplicatesWithCustomer: number;
  adjustments: number;
  cancellations: number;
  zeroOrNegative: number;
  purchases: number;
  customersWithPurchase: number;
  customersOnlyCancelling: number;
  purchaseValue: number;
};

function deriveExpectations(): Expected {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  const e: Expected = {
    rows: 0,
    invoicesC: 0,
    invoicesA: 0,
    duplicatesAll: 0,
    duplicatesWithCustomer: 0,
    adjustments: 0,
    cancellations: 0,
    zeroOrNegative: 0,
    purchases: 0,
    customersWithPurchase: 0,
    customersOnlyCancelling: 0,
    purchaseValue: 0,
  };
  const seenAll = new Set<string>();
  const seenWithCustomer = new Set<string>();
  const buyers = new Set<string>();
  const cancellers = new Set<string>();
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    e.rows++;
    if (seenAll.has(line)) e.duplicatesAll++;
    seenAll.add(line);
    const [invoice, , , quantity, , unitPrice, customer] = fields(line);
    if (invoice.startsWith('C')) e.invoicesC++;
    if (invoice.startsWith('A')) e.invoicesA++;
    if (customer === '') continue;
    if (seenWithCustomer.has(line)) {
      e.duplicatesWithCustomer++;
      continue;
    }
    seenWithCustomer.add(line);
    const amount = Number(quantity) * Number(unitPrice);
    if (invoice.startsWith('A')) e.adjustments++;
    else if (invoice.startsWith('C') || Number(quantity) < 0) {
      e.cancellations++;
      cancellers.add(customer);
    } else if (amount <= 0) e.zeroOrNegative++;
    else {
      e.purchases++;
      e.purchaseValue += amount;
      buyers.add(customer);
    }
  }
  e.customersWithPurchase = buyers.size;
  e.customersOnlyCancelling = [...cancellers].filter((c) => !buyers.has(c)).length;
  return e;
}

describe('Online Retail import and cleaning', () => {
  let result: CleanResult;
  let expected: Expected;

  beforeAll(async () => {
    result = await loadOnlineRetail({ keepLines: true });
    expected = deriveExpectations();
  });

  it('derives the README figures in the test itself (sanity of the independent pass)', () => {
    expect(expected.rows).toBe(541909);
    expect(expected.duplicatesAll).toBe(5268);
    expect(expected.invoicesC).toBe(9288);
    expect(expected.invoicesA).toBe(3);
  });

  it('accounts for every one of the 541,909 rows exactly once', () => {
    const q = result.quality;
    expect(q.rowsRead).toBe(541909);
    const excluded = EXCLUSION_REASONS.reduce((s, r) => s + q.rowsExcluded[r], 0);
    expect(q.rowsUsed + excluded).toBe(541909);
    expect(q.rowsExcluded.malformed_line).toBe(0);
    expect(q.rowsExcluded.unparseable_date).toBe(0);
    expect(q.rowsExcluded.unparseable_amount).toBe(0);
    expect(q.rowsExcluded.future_date).toBe(0);
  });

  it('counts the 135,080 rows without a customer id first, whatever else is wrong with them', () => {
    expect(result.quality.rowsExcluded.missing_customer_id).toBe(135080);
  });

  it('counts exact duplicates among the rows that have a customer id', () => {
    expect(result.quality.rowsExcluded.duplicate_row).toBe(expected.duplicatesWithCustomer);
  });

  it('separates adjustments, cancellations, non-positive amounts and purchases', () => {
    const q = result.quality;
    expect(q.rowsExcluded.adjustment).toBe(expected.adjustments);
    expect(q.rowsExcluded.cancellation).toBe(expected.cancellations);
    expect(q.rowsExcluded.zero_or_negative_amount).toBe(expected.zeroOrNegative);
    expect(q.rowsUsed).toBe(expected.purchases);
  });

  it('sees the 4,372 customers and reports how many bought something', () => {
    const c = result.quality.customers;
    expect(c.seen).toBe(4372);
    expect(c.withPurchases).toBe(expected.customersWithPurchase);
    expect(c.onlyCancellations).toBe(expected.customersOnlyCancelling);
    expect(c.inResult).toBe(result.customers.length);
    expect(c.inResult).toBeLessThanOrEqual(c.withPurchases);
  });

  it('nets cancellations against spend: the orders sum to purchases minus the netted value', () => {
    const q = result.quality;
    const total = result.orders.amount.reduce((s, a) => s + a, 0);
    expect(total).toBeCloseTo(expected.purchaseValue - q.cancellations.nettedValue, 4);
    expect(q.cancellations.nettedValue + q.cancellations.unmatchedValue).toBeCloseTo(
      q.cancellations.value,
      4,
    );
    expect(q.cancellations.nettedValue).toBeGreaterThan(0);
    expect(q.dateRange.first).toBe('2010-12-01T08:26:00.000Z');
  });

  it("lists every cancellation row as an event, with the report's count and value", () => {
    const q = result.quality;
    const c = result.cancellations!;
    expect(c.customer.length).toBe(q.cancellations.rows);
    expect(c.customer.length).toBe(expected.cancellations);
    expect(c.value.reduce((s, v) => s + v, 0)).toBeCloseTo(q.cancellations.value, 4);
    expect(c.value.every((v) => v > 0)).toBe(true);
    // Customers who only cancelled have no index; everyone else points into `customers`.
    const unknown = new Set<number>();
    c.customer.forEach((i) => {
      expect(i).toBeLessThan(result.customers.length);
      if (i < 0) unknown.add(i);
    });
    expect(unknown.size).toBe(1);
  });

  it('gives every customer in the result the country on their rows (38 values, all non-empty)', () => {
    const countries = result.customerCountry!;
    expect(countries.length).toBe(result.customers.length);
    expect(countries.every((c) => c.length > 0)).toBe(true);
    expect(new Set(countries).size).toBeLessThanOrEqual(38);
    expect(countries.filter((c) => c === 'United Kingdom').length).toBeGreaterThan(3000);
  });
});
