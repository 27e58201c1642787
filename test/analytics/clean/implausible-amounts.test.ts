import type { RawTransaction } from '../../../domain/raw-transaction';
import { createCleaner } from '../../../worker/analytics/clean/cleaner';
import type { CleanerConfigInput } from '../../../worker/analytics/clean/config';
import { formatQualityReport } from '../../../worker/analytics/clean/format-quality-report';
import { EXCLUSION_REASONS, type CleanResult } from '../../../worker/analytics/clean/types';
import { buildRow } from '../../helpers/build-raw-transaction';

function clean(rows: RawTransaction[], config: Partial<CleanerConfigInput> = {}): CleanResult {
  const cleaner = createCleaner({ observationEnd: '2024-12-31', ...config });
  for (const row of rows) cleaner.add(row);
  const result = cleaner.finish();
  // Every row is used or excluded for exactly one reason.
  const q = result.quality;
  const excluded = EXCLUSION_REASONS.reduce((sum, r) => sum + q.rowsExcluded[r], 0);
  expect(q.rowsUsed + excluded).toBe(q.rowsRead);
  expect(q.rowsExcludedTotal).toBe(excluded);
  expect(q.implausible.rows).toBe(q.rowsExcluded.implausible_amount);
  return result;
}

/** 30 ordinary orders of 20.00 … 78.00 by 10 customers. */
function ordinaryOrders(): RawTransaction[] {
  return Array.from({ length: 30 }, (_, i) =>
    buildRow({ customerId: `c${i % 10}`, orderId: `o${i}`, date: '2024-03-01', amount: String(20 + 2 * i) }),
  );
}

function spend(result: CleanResult, customer: string): number {
  const c = result.customers.indexOf(customer);
  let sum = 0;
  result.orders.amount.forEach((a, o) => {
    if (result.orders.customer[o] === c) sum += a;
  });
  return sum;
}

describe('implausible amounts', () => {
  it('excludes orders of 1e308 and 1e15 under implausible_amount and keeps the rest', () => {
    const r = clean([
      ...ordinaryOrders(),
      buildRow({ customerId: 'c1', orderId: 'huge', amount: '1e308' }),
      buildRow({ customerId: 'c2', orderId: 'big', amount: '1e15' }),
    ]);
    expect(r.quality.rowsRead).toBe(32);
    expect(r.quality.rowsUsed).toBe(30);
    expect(r.quality.rowsExcluded.implausible_amount).toBe(2);
    expect(r.quality.implausible).toMatchObject({
      orders: 2,
      cancellationRows: 0,
      rowsNotFinite: 0,
      rows: 2,
    });
    expect(r.orders.amount.length).toBe(30);
    expect(Math.max(...r.orders.amount)).toBe(78);
    expect(r.quality.examples.implausible_amount.map((e) => e.text)).toEqual([
      expect.stringMatching(/customer c1 \(1 row\): amount 1\.000e\+308 is above the limit/),
      expect.stringMatching(/customer c2 \(1 row\): amount 1\.000e\+15 is above the limit/),
    ]);
    expect(formatQualityReport(r.quality)).toMatch(/implausible_amount\s+2\s+6\.25%/);
  });

  it('excludes every row of an order whose lines add up to Infinity', () => {
    const r = clean([
      ...ordinaryOrders(),
      buildRow({ customerId: 'c1', orderId: 'inf', amount: '1e308' }),
      buildRow({ customerId: 'c1', orderId: 'inf', amount: '1.5e308' }),
      buildRow({ customerId: 'c1', orderId: 'inf', amount: '5' }),
    ]);
    expect(r.quality.rowsExcluded.implausible_amount).toBe(3);
    expect(r.quality.examples.implausible_amount[0].text).toMatch(
      /\(3 rows\): amount Infinity is not a finite number/,
    );
    expect(r.orders.amount.every(Number.isFinite)).toBe(true);
  });

  it('excludes a row whose quantity × unit price overflows as it is read', () => {
    const r = clean([
      ...ordinaryOrders(),
      buildRow({ orderId: 'x', amount: undefined, quantity: '1e200', unitPrice: '1e200' }),
    ]);
    expect(r.quality.rowsExcluded.implausible_amount).toBe(1);
    expect(r.quality.implausible).toMatchObject({ orders: 0, rowsNotFinite: 1 });
    expect(r.quality.examples.implausible_amount[0].text).toBe(
      'order x: amount 1e200 × 1e200 is not a finite number',
    );
  });

  it('puts the limit at max(ceiling, exp(median + 10 · 1.4826 · MAD)) of the log order amounts', () => {
    // A tenant whose orders run from 1e8 to 1e11 (as in rupiah), log-spaced, plus one of 1e19 and one of 1e22.
    const amounts = Array.from({ length: 41 }, (_, i) => 1e8 * 10 ** (3 * (i / 40)));
    const rows = amounts.map((a, i) => buildRow({ orderId: `o${i}`, amount: a.toPrecision(6) }));
    rows.push(buildRow({ orderId: 'far', amount: '1e19' }), buildRow({ orderId: 'farther', amount: '1e22' }));
    const r = clean(rows);

    const logs = [...amounts.map((a) => Number(a.toPrecision(6))), 1e19, 1e22]
      .map(Math.log)
      .sort((a, b) => a - b);
    const median = logs[(logs.length - 1) / 2];
    const deviations = logs.map((l) => Math.abs(l - median)).sort((a, b) => a - b);
    const mad = deviations[(deviations.length - 1) / 2];
    expect(1.4826 * mad).toBeGreaterThan(1); // the spread, not its floor, sets the limit here
    const limit = Math.exp(median + 10 * 1.4826 * mad);
    expect(limit).toBeGreaterThan(1e19);
    expect(limit).toBeLessThan(1e22);

    const q = r.quality.implausible;
    expect(q.limit / limit).toBeCloseTo(1, 9);
    expect(q.medianAmount! / Math.exp(median)).toBeCloseTo(1, 9);
    expect(q.madLog).toBeCloseTo(mad, 12);
    // Orders of billions are ordinary here, and so is 1e19 (inside the limit); 1e22 is not.
    expect(r.quality.rowsUsed).toBe(42);
    expect(q.orders).toBe(1);
    expect(r.quality.examples.implausible_amount[0].text).toMatch(/amount 1\.000e\+22 is above the limit/);
  });

  it('lets the ceiling protect a tenant with no spread (MAD 0) without excluding its ordinary large orders', () => {
    // 20 orders of 10.00, 5 of 5,000, one of 1e15: MAD is 0, σ is floored at 1 (a factor e).
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => buildRow({ orderId: `s${i}`, amount: '10' })),
      ...Array.from({ length: 5 }, (_, i) => buildRow({ orderId: `b${i}`, amount: '5000' })),
      buildRow({ orderId: 'typo', amount: '1e15' }),
    ];
    const r = clean(rows);
    expect(r.quality.implausible.madLog).toBe(0);
    expect(r.quality.implausible.limit).toBe(1e9);
    expect(r.quality.rowsExcluded.implausible_amount).toBe(1);
    expect(r.quality.rowsUsed).toBe(25);
  });

  it('does not exclude ordinary orders of a tenant in billions whose orders mostly share one value', () => {
    // 20 subscriptions of 2e9 and 5 orders of 5e9: MAD is 0, so without the floor of σ the limit would be
    // the median itself and every order above 2e9 would be "implausible"; with it, 2e9 · e¹⁰ ≈ 4.4e13.
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => buildRow({ orderId: `s${i}`, amount: '2000000000' })),
      ...Array.from({ length: 5 }, (_, i) => buildRow({ orderId: `b${i}`, amount: '5000000000' })),
      buildRow({ orderId: 'typo', amount: '1e15' }),
    ];
    const r = clean(rows);
    expect(r.quality.implausible.limit / (2e9 * Math.exp(10))).toBeCloseTo(1, 9);
    expect(r.quality.rowsUsed).toBe(25);
    expect(r.quality.rowsExcluded.implausible_amount).toBe(1);
  });

  it('does not let an implausible cancellation wipe out real orders, and does not count it as a cancellation', () => {
    const r = clean(
      [
        ...ordinaryOrders(),
        buildRow({ customerId: 'c3', orderId: 'C-bad', date: '2024-04-01', amount: '-1e15' }),
        buildRow({ customerId: 'c4', orderId: 'C-ok', date: '2024-04-01', amount: '-5' }),
      ],
      { cancelledOrderPrefix: 'C-' },
    );
    // c3's orders (26 + 46 + 66) are untouched; c4's 28 + 48 + 68 lose 5.
    expect(spend(r, 'c3')).toBe(26 + 46 + 66);
    expect(spend(r, 'c4')).toBeCloseTo(28 + 48 + 68 - 5, 9);
    expect(r.quality.rowsExcluded.cancellation).toBe(1);
    expect(r.quality.rowsExcluded.implausible_amount).toBe(1);
    expect(r.quality.cancellations).toMatchObject({ rows: 1, value: 5, nettedValue: 5 });
    expect(r.quality.implausible.cancellationRows).toBe(1);
    expect(r.quality.examples.cancellation.map((e) => e.text)).toEqual([expect.stringMatching(/C-ok/)]);
    expect(Array.from(r.cancellations!.value)).toEqual([5]);
  });

  it('never nets a real cancellation against an implausible order', () => {
    const r = clean(
      [
        ...ordinaryOrders(),
        buildRow({ customerId: 'c5', orderId: 'huge', date: '2024-03-20', amount: '1e15' }),
        buildRow({ customerId: 'c5', orderId: 'C-1', date: '2024-03-25', amount: '-30' }),
      ],
      { cancelledOrderPrefix: 'C-' },
    );
    // Without the exclusion the refund would have gone against the 1e15 order (the most recent one).
    expect(spend(r, 'c5')).toBe(30 + 50 + 70 - 30);
  });

  it('still excludes infinite amounts with an infinite ceiling', () => {
    const r = clean(
      [
        ...ordinaryOrders(),
        buildRow({ orderId: 'inf', amount: '1e308' }),
        buildRow({ orderId: 'inf', amount: '1.7e308' }),
        buildRow({ orderId: 'big', amount: '1e300' }),
      ],
      { implausible: { ceiling: Infinity } },
    );
    expect(r.quality.implausible.orders).toBe(1);
    expect(r.quality.rowsExcluded.implausible_amount).toBe(2);
    expect(r.quality.rowsUsed).toBe(31);
  });

  it('comes before cancellation in the precedence, after adjustment', () => {
    const r = clean([buildRow()]);
    const p = r.quality.precedence;
    expect(p.indexOf('implausible_amount')).toBe(p.indexOf('adjustment') + 1);
    expect(p.indexOf('implausible_amount')).toBe(p.indexOf('cancellation') - 1);
  });
});
