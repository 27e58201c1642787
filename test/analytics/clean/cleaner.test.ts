import type { RawTransaction } from '../../../domain/raw-transaction';
import { CleanConfigError } from '../../../worker/analytics/clean/config';
import { createCleaner } from '../../../worker/analytics/clean/cleaner';
import { formatQualityReport } from '../../../worker/analytics/clean/format-quality-report';
import { RowPreparer } from '../../../worker/analytics/clean/prepared-rows';
import {
  EXCLUSION_REASONS,
  type CleanResult,
  type QualityReport,
} from '../../../worker/analytics/clean/types';
import type { CleanerConfigInput } from '../../../worker/analytics/clean/config';
import { buildRow } from '../../helpers/build-raw-transaction';

function clean(rows: RawTransaction[], config: Partial<CleanerConfigInput> = {}): CleanResult {
  const cleaner = createCleaner({ observationEnd: '2024-12-31', ...config });
  for (const row of rows) cleaner.add(row);
  const result = cleaner.finish();
  expectCountsAddUp(result.quality);
  // Every case also cleans its rows with values prepared ahead, in chunks (as a thread reading the file
  // hands them over): the result must be the same.
  expect(cleanPrepared(rows, config)).toEqual(result);
  return result;
}

function cleanPrepared(rows: RawTransaction[], config: Partial<CleanerConfigInput>): CleanResult {
  const cleaner = createCleaner({ observationEnd: '2024-12-31', ...config });
  const preparer = new RowPreparer();
  for (let from = 0; from < rows.length; from += 3) {
    const chunk = rows.slice(from, from + 3);
    const prepared = preparer.prepare(chunk);
    chunk.forEach((row, i) => cleaner.addPrepared(row, prepared, i));
  }
  return cleaner.finish();
}

function expectCountsAddUp(q: QualityReport): void {
  const excluded = EXCLUSION_REASONS.reduce((sum, r) => sum + q.rowsExcluded[r], 0);
  expect(q.rowsUsed + excluded).toBe(q.rowsRead);
  expect(q.rowsExcludedTotal).toBe(excluded);
}

/** Order amounts by customer id, summed. */
function spendByCustomer(result: CleanResult): Record<string, number> {
  const out: Record<string, number> = {};
  result.orders.amount.forEach((a, o) => {
    const id = result.customers[result.orders.customer[o]];
    out[id] = (out[id] ?? 0) + a;
  });
  return out;
}

describe('createCleaner: grouping into orders', () => {
  it('groups lines by customer and order id: amount = sum of lines, time = earliest line', () => {
    const r = clean([
      buildRow({ orderId: 'o1', date: '2024-01-10T12:00', amount: '10' }),
      buildRow({ orderId: 'o1', date: '2024-01-10T09:30', amount: '2.5' }),
      buildRow({ orderId: 'o2', date: '2024-01-12', amount: '4' }),
      buildRow({ customerId: 'c2', orderId: 'o3', date: '2024-01-11', amount: '1' }),
    ]);
    expect(r.customers).toEqual(['c1', 'c2']);
    expect(Array.from(r.orders.amount)).toEqual([12.5, 4, 1]);
    expect(Array.from(r.orders.customer)).toEqual([0, 0, 1]);
    expect(r.orders.time[0]).toBe(Date.UTC(2024, 0, 10, 9, 30));
    expect(Array.from(r.orders.lineCount)).toEqual([2, 1, 1]);
    expect(r.quality.orders).toBe(3);
    expect(r.quality.rowsUsed).toBe(4);
    expect(r.quality.dateRange).toEqual({
      first: '2024-01-10T09:30:00.000Z',
      last: '2024-01-12T00:00:00.000Z',
    });
  });

  it('gives a customer reusing another customer’s order id its own order, flagged as conflicting', () => {
    const r = clean([
      buildRow({ customerId: 'a', orderId: 'X1', amount: '5' }),
      buildRow({ customerId: 'b', orderId: 'X1', amount: '7' }),
      buildRow({ customerId: 'b', orderId: 'X1', amount: '1' }),
      buildRow({ customerId: 'a', orderId: 'X2', amount: '3' }),
    ]);
    expect(spendByCustomer(r)).toEqual({ a: 8, b: 8 });
    expect(Array.from(r.orders.conflicting)).toEqual([1, 1, 0]);
    expect(r.quality.conflictingOrders).toMatchObject({ orders: 1, rows: 2 });
    expect(r.quality.conflictingOrders.examples[0].text).toMatch(/X1/);
  });

  it('keeps per-line products when asked', () => {
    const r = clean(
      [
        buildRow({ productId: 'p1', quantity: '2', unitPrice: '3', amount: '6', description: ' MUG ' }),
        buildRow({ productId: 'p2', quantity: '1', amount: '4' }),
        buildRow({ orderId: 'o2', productId: 'p1', quantity: '1', amount: '3' }),
      ],
      { keepLines: true, keepOrderIds: true },
    );
    expect(r.products).toEqual(['p1', 'p2']);
    expect(r.productNames).toEqual(['MUG', '']);
    expect(Array.from(r.lines!.order)).toEqual([0, 0, 1]);
    expect(Array.from(r.lines!.product)).toEqual([0, 1, 0]);
    expect(Array.from(r.lines!.quantity)).toEqual([2, 1, 1]);
    expect(Array.from(r.lines!.amount)).toEqual([6, 4, 3]);
    expect(r.orders.orderId).toEqual(['o1', 'o2']);
  });
});

describe('createCleaner: exclusion rules', () => {
  it('converts currencies with the rate table; a missing currency is the base currency', () => {
    const r = clean(
      [
        buildRow({ orderId: 'o1', amount: '10', currency: 'EUR' }),
        buildRow({ orderId: 'o2', amount: '20', currency: ' eur' }),
        buildRow({ orderId: 'o3', amount: '5', currency: 'USD' }),
        buildRow({ orderId: 'o4', amount: '3', currency: '' }),
        buildRow({ orderId: 'o5', amount: '3' }),
      ],
      { baseCurrency: 'USD', currencyRates: { EUR: 1.1 } },
    );
    expect(Array.from(r.orders.amount)).toEqual([11, 22, 5, 3, 3]);
    expect(r.quality.currency).toEqual({ base: 'USD', conversions: { EUR: { rows: 2, rate: 1.1 } } });
  });

  it('excludes a currency without a rate as unknown_currency', () => {
    const r = clean([buildRow({ currency: 'JPY', line: 7 }), buildRow({ orderId: 'o2' })], {
      currencyRates: { EUR: 1.1 },
    });
    expect(r.quality.rowsExcluded.unknown_currency).toBe(1);
    expect(r.quality.examples.unknown_currency[0]).toEqual({
      line: 7,
      text: 'no rate from "JPY" to USD in the currency table',
    });
    expect(r.quality.orders).toBe(1);
  });

  it('counts rows after the observation end day as future_date; the whole end day is included', () => {
    const r = clean(
      [
        buildRow({ orderId: 'o1', date: '2024-01-31T23:59:59' }),
        buildRow({ orderId: 'o2', date: '2024-02-01T00:00' }),
        buildRow({ orderId: 'o3', date: '2024-01-31T22:00-03:00' }),
      ],
      { observationEnd: '2024-01-31' },
    );
    expect(r.quality.rowsExcluded.future_date).toBe(2);
    expect(r.quality.rowsUsed).toBe(1);
  });

  it('counts malformed lines from the import with their line numbers', () => {
    const r = clean([
      buildRow({
        line: 41,
        customerId: '',
        orderId: '',
        date: '',
        malformed: 'expected 4 fields, found 3: "a,b,c"',
      }),
      buildRow(),
    ]);
    expect(r.quality.rowsExcluded.malformed_line).toBe(1);
    expect(r.quality.examples.malformed_line).toEqual([
      { line: 41, text: 'expected 4 fields, found 3: "a,b,c"' },
    ]);
  });

  it('applies the first rule that matches (precedence)', () => {
    const r = clean([
      buildRow({ customerId: ' ', date: 'not a date', amount: 'x' }), // missing_customer_id wins
      buildRow({ date: '2024-02-30', amount: 'x' }), // unparseable_date wins over amount
      buildRow({ amount: '' }), // blank is not zero
      buildRow({ orderId: 'f', date: '2025-06-01' }), // future
      buildRow({ orderId: 'f', date: '2025-06-01' }), // ... its duplicate is a duplicate
    ]);
    expect(r.quality.rowsExcluded).toMatchObject({
      missing_customer_id: 1,
      unparseable_date: 1,
      unparseable_amount: 1,
      future_date: 1,
      duplicate_row: 1,
    });
    expect(r.quality.precedence.slice(0, 6)).toEqual([
      'malformed_line',
      'missing_customer_id',
      'unparseable_date',
      'unparseable_amount',
      'duplicate_row',
      'future_date',
    ]);
  });

  it('counts exact duplicates only: a row differing in any field is kept', () => {
    const r = clean([
      buildRow({ productId: 'p', quantity: '1', amount: '5' }),
      buildRow({ productId: 'p', quantity: '1', amount: '5' }),
      buildRow({ productId: 'p', quantity: '2', amount: '5' }),
      buildRow({ productId: 'p', quantity: '1', amount: '5', date: '2024-01-11' }),
    ]);
    expect(r.quality.rowsExcluded.duplicate_row).toBe(1);
    expect(r.quality.rowsUsed).toBe(3);
  });

  it('excludes zero amounts unless keepZeroAmounts', () => {
    const rows = () => [
      buildRow({ orderId: 'o1', amount: '0.00' }),
      buildRow({ orderId: 'o2', amount: '3' }),
    ];
    expect(clean(rows()).quality.rowsExcluded.zero_or_negative_amount).toBe(1);
    const kept = clean(rows(), { keepZeroAmounts: true });
    expect(kept.quality.rowsExcluded.zero_or_negative_amount).toBe(0);
    expect(Array.from(kept.orders.amount)).toEqual([0, 3]);
  });

  it('treats negative amounts as zero_or_negative_amount when they are not refunds', () => {
    const r = clean([buildRow({ amount: '-4' })], { negativeAmountsAreRefunds: false });
    expect(r.quality.rowsExcluded.zero_or_negative_amount).toBe(1);
  });

  it('excludes adjustment orders by prefix', () => {
    const r = clean([buildRow({ orderId: 'A563185', amount: '11062.06' }), buildRow()], {
      adjustmentOrderPrefix: 'A',
    });
    expect(r.quality.rowsExcluded.adjustment).toBe(1);
    expect(r.quality.orders).toBe(1);
  });

  it('computes Quantity × UnitPrice when the layout has no amount', () => {
    const r = clean([buildRow({ amount: undefined, quantity: '6', unitPrice: '2.55' })]);
    expect(r.orders.amount[0]).toBeCloseTo(15.3, 12);
  });
});

describe('createCleaner: cancellations', () => {
  // Customer c1: o1 on Jan 10 = p1 20 + p2 10; o2 on Jan 15 = p3 40.
  const purchases = () => [
    buildRow({ orderId: 'o1', date: '2024-01-10', productId: 'p1', quantity: '2', amount: '20' }),
    buildRow({ orderId: 'o1', date: '2024-01-10', productId: 'p2', quantity: '1', amount: '10' }),
    buildRow({ orderId: 'o2', date: '2024-01-15', productId: 'p3', quantity: '4', amount: '40' }),
  ];

  it('nets a cancelled product against the most recent earlier order containing it', () => {
    const r = clean(
      [
        ...purchases(),
        buildRow({ orderId: 'C9', date: '2024-01-16', productId: 'p1', quantity: '-2', amount: '-20' }),
      ],
      { cancelledOrderPrefix: 'C' },
    );
    expect(Array.from(r.orders.amount)).toEqual([10, 40]);
    expect(r.quality.rowsExcluded.cancellation).toBe(1);
    expect(r.quality.cancellations).toMatchObject({ rows: 1, value: 20, nettedValue: 20, unmatchedValue: 0 });
  });

  it('falls back to the most recent earlier orders of any product, never below zero', () => {
    const r = clean([
      ...purchases(),
      buildRow({ orderId: 'r1', date: '2024-01-20', productId: 'zz', amount: '-45' }),
    ]);
    // 40 from o2 (most recent), the remaining 5 from o1.
    expect(Array.from(r.orders.amount)).toEqual([25]);
    expect(r.quality.cancellations).toMatchObject({
      nettedValue: 45,
      ordersReduced: 2,
      ordersFullyCancelled: 1,
    });
  });

  it('leaves a refund that predates every purchase unmatched', () => {
    const r = clean([...purchases(), buildRow({ orderId: 'r0', date: '2024-01-01', amount: '-7' })]);
    expect(Array.from(r.orders.amount)).toEqual([30, 40]);
    expect(r.quality.cancellations).toMatchObject({ unmatchedValue: 7, unmatchedRows: 1, nettedValue: 0 });
  });

  it('treats negative quantities as cancellations even without a prefix', () => {
    const r = clean([
      ...purchases(),
      buildRow({ orderId: 'x', date: '2024-01-16', productId: 'p3', quantity: '-1', amount: '-10' }),
    ]);
    expect(Array.from(r.orders.amount)).toEqual([30, 30]);
  });

  it('drops orders netted to zero and customers left without orders', () => {
    const r = clean(
      [
        ...purchases(),
        buildRow({
          customerId: 'c2',
          orderId: 'o7',
          date: '2024-02-01',
          productId: 'p1',
          quantity: '1',
          amount: '15',
        }),
        buildRow({
          customerId: 'c2',
          orderId: 'C7',
          date: '2024-02-02',
          productId: 'p1',
          quantity: '-1',
          amount: '-15',
        }),
        buildRow({
          customerId: 'c3',
          orderId: 'C8',
          date: '2024-02-02',
          productId: 'p1',
          quantity: '-1',
          amount: '-15',
        }),
      ],
      { cancelledOrderPrefix: 'C' },
    );
    expect(r.customers).toEqual(['c1']);
    expect(r.quality.customers).toEqual({ seen: 3, withPurchases: 2, onlyCancellations: 1, inResult: 1 });
    expect(r.quality.cancellations.ordersFullyCancelled).toBe(1);
    // The purchase row of the fully cancelled order was still a purchase: counts keep adding up.
    expect(r.quality.rowsUsed).toBe(4);
  });
});

describe('createCleaner: anomalous order values', () => {
  // 21 orders: 80, 82, …, 120 and one of 100,000.
  const rows = () => {
    const out = [];
    for (let i = 0; i <= 20; i++) out.push(buildRow({ orderId: `o${i}`, amount: String(80 + 2 * i) }));
    out.push(buildRow({ orderId: 'big', amount: '100000' }));
    return out;
  };

  function expectedThresholds(k: number) {
    const logs = [...Array.from({ length: 21 }, (_, i) => Math.log(80 + 2 * i)), Math.log(100000)];
    const median = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const m = median(logs);
    const mad = median(logs.map((l) => Math.abs(l - m)));
    return { m, mad, lower: Math.exp(m - k * 1.4826 * mad), upper: Math.exp(m + k * 1.4826 * mad) };
  }

  it('flags orders beyond k robust z-scores of the log amount and keeps them by default', () => {
    const r = clean(rows());
    const e = expectedThresholds(5);
    const a = r.quality.anomalies;
    expect(a.flagged).toBe(1);
    expect(a.action).toBe('kept');
    expect(a.medianAmount).toBeCloseTo(Math.exp(e.m), 10);
    expect(a.madLog).toBeCloseTo(e.mad, 12);
    expect(a.lowerAmount).toBeCloseTo(e.lower, 8);
    expect(a.upperAmount).toBeCloseTo(e.upper, 8);
    expect(r.orders.anomalous[21]).toBe(1);
    expect(r.orders.anomalous.reduce((s, v) => s + v, 0)).toBe(1);
  });

  it('moves the rows of flagged orders to anomalous_order when excluding', () => {
    const r = clean(rows(), { anomaly: { exclude: true } });
    expect(r.quality.rowsExcluded.anomalous_order).toBe(1);
    expect(r.quality.orders).toBe(21);
    expect(r.quality.anomalies).toMatchObject({ action: 'excluded', rowsExcluded: 1 });
  });
});

describe('formatQualityReport', () => {
  it('lists every reason with its count and share of the rows read', () => {
    const r = clean([buildRow(), buildRow(), buildRow({ customerId: '' }), buildRow({ orderId: 'o2' })]);
    const text = formatQualityReport(r.quality);
    for (const reason of EXCLUSION_REASONS) expect(text).toContain(reason);
    expect(text).toMatch(/rows read\s+4\s+100\.00%/);
    expect(text).toMatch(/duplicate_row\s+1\s+25\.00%/);
    expect(text).toMatch(/missing_customer_id\s+1\s+25\.00%/);
    const table = text.split('\n').filter((l) => /%$/.test(l));
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(JSON.parse(JSON.stringify(r.quality))).toEqual(r.quality);
  });
});

describe('cleaner configuration', () => {
  it('rejects an invalid configuration with a sentence naming the field', () => {
    expect(() => createCleaner({ observationEnd: 'someday' })).toThrow(CleanConfigError);
    expect(() => createCleaner({ observationEnd: '2024-01-01', baseCurrency: 'euro' })).toThrow(
      /baseCurrency/,
    );
  });
});

describe('createCleaner: numbers for amount, quantity and unit price (rows built from stored records)', () => {
  it('cleans number rows exactly as the same rows with their String() texts', () => {
    const numbers: RawTransaction[] = [
      buildRow({ orderId: 'o1', amount: 0.1 + 0.2, productId: 'p1', quantity: 3, unitPrice: 0.1 }),
      buildRow({ orderId: 'o1', amount: 1e-7, productId: 'p2', quantity: 1, unitPrice: 1e-7 }),
      // A duplicate row, a refund, a zero amount, a negative zero and a 17-digit amount.
      buildRow({ orderId: 'o1', amount: 0.1 + 0.2, productId: 'p1', quantity: 3, unitPrice: 0.1 }),
      buildRow({ customerId: 'c2', orderId: 'o2', date: '2024-02-01', amount: 12.5, quantity: 1 }),
      buildRow({ customerId: 'c2', orderId: 'o2', date: '2024-02-01', amount: -12.5, quantity: 1 }),
      buildRow({ customerId: 'c3', orderId: 'o3', amount: 0 }),
      buildRow({ customerId: 'c3', orderId: 'o4', amount: -0 }),
      buildRow({ customerId: 'c4', orderId: 'o5', amount: 123.45678901234568, quantity: 2 }),
    ];
    const texts = numbers.map((r) => ({
      ...r,
      amount: r.amount === undefined ? undefined : String(r.amount),
      quantity: r.quantity === undefined ? undefined : String(r.quantity),
      unitPrice: r.unitPrice === undefined ? undefined : String(r.unitPrice),
    }));
    const config = { negativeAmountsAreRefunds: true, keepLines: true, keepZeroAmounts: false };
    const fromNumbers = clean(numbers, config);
    expect(fromNumbers.quality.rowsExcluded.duplicate_row).toBe(1);
    expect(fromNumbers).toEqual(clean(texts, config));
  });
});

describe('createCleaner: rows with values prepared ahead', () => {
  it("refuses a row with another row's prepared values, and a file cleaned both ways", () => {
    const rows = [buildRow({ orderId: 'o1' }), buildRow({ orderId: 'o2' })];
    const prepared = new RowPreparer().prepare(rows);
    const cleaner = createCleaner({ observationEnd: '2024-12-31' });
    expect(() => cleaner.addPrepared(rows[1], prepared, 0)).toThrow(/line \d+ given for line \d+/);
    const mixed = createCleaner({ observationEnd: '2024-12-31' });
    mixed.add(rows[0]);
    expect(() => mixed.addPrepared(rows[1], prepared, 1)).toThrow(/one way/);
  });
});
