import { join } from 'node:path';
import { readCsvRows } from '../helpers/read-csv';
import { runCli, SHARED_DATA, tempDir } from '../helpers/run-cli';

const withSpend = join(SHARED_DATA, 'lifetimes/cdnow_customers_summary_with_transactions.csv');

function predict(extra: string[]) {
  const out = join(tempDir('predict'), 'predictions.csv');
  const r = runCli(['predict', '--summary', withSpend, '--model', 'bgnbd', '--out', out, ...extra]);
  expect(r.status).toBe(0);
  return readCsvRows(out);
}

describe('crm-clv predict (CLI contract)', () => {
  it("writes the contract's columns for every customer and reproduces Hardie's worked example", () => {
    const rows = predict([
      '--spend-model',
      'gamma-gamma',
      '--t',
      '39',
      '--clv-months',
      '12',
      '--discount-rate',
      '0.01',
      '--time-unit',
      'week',
    ]);
    expect(Object.keys(rows[0])).toEqual([
      'id',
      'expected_purchases',
      'p_alive',
      'expected_average_value',
      'clv',
    ]);
    expect(rows).toHaveLength(2357);
    // Customer 1: x = 2, t_x = 30.43, T = 38.86. At the published parameters Hardie's note gives 1.226
    // expected purchases over the next 39 weeks; our fit reproduces those parameters to 3 decimals.
    const c1 = rows.find((r) => r.id === '1')!;
    expect(Number(c1.expected_purchases)).toBeCloseTo(1.226, 2);
    // Gamma-Gamma conditional mean at the published p, q, v: 6.25·(15.44 + 2·22.35)/(6.25·2 + 3.74 − 1)
    expect(Number(c1.expected_average_value)).toBeCloseTo(
      (6.25 * (15.44 + 2 * 22.35)) / (6.25 * 2 + 3.74 - 1),
      1,
    );
    // A customer with no repeat purchase gets the population mean p·v/(q − 1) (Fader & Hardie 2013).
    const c3 = rows.find((r) => r.id === '3')!;
    expect(Number(c3.expected_average_value)).toBeCloseTo((6.25 * 15.44) / (3.74 - 1), 0);
    for (const r of rows) {
      expect(Number(r.p_alive)).toBeGreaterThanOrEqual(0);
      expect(Number(r.p_alive)).toBeLessThanOrEqual(1);
      expect(Number(r.clv)).toBeGreaterThanOrEqual(0);
    }
  });

  it('undiscounted CLV over H months equals expected value × expected purchases over H·4.345 weeks', () => {
    // With d = 0 the sum telescopes: Σ m̂·[E X(i·month) − E X((i−1)·month)] = m̂·E X(H·month).
    const H = 6;
    const rows = predict([
      '--spend-model',
      'gamma-gamma',
      '--t',
      String(H * 4.345),
      '--clv-months',
      String(H),
      '--discount-rate',
      '0',
      '--time-unit',
      'week',
    ]);
    for (const r of rows.slice(0, 200)) {
      const expected = Number(r.expected_average_value) * Number(r.expected_purchases);
      expect(Number(r.clv)).toBeCloseTo(expected, 4);
    }
  });

  it('discounting never raises CLV', () => {
    const weekly = predict([
      '--t',
      '52',
      '--clv-months',
      '12',
      '--discount-rate',
      '0.02',
      '--time-unit',
      'week',
    ]);
    const undiscounted = predict([
      '--t',
      '52',
      '--clv-months',
      '12',
      '--discount-rate',
      '0',
      '--time-unit',
      'week',
    ]);
    for (let i = 0; i < 100; i++)
      expect(Number(weekly[i].clv)).toBeLessThanOrEqual(Number(undiscounted[i].clv) + 1e-9);
  });

  it('rejects a non-numeric horizon with exit code 2', () => {
    const r = runCli([
      'predict',
      '--summary',
      withSpend,
      '--model',
      'bgnbd',
      '--t',
      'soon',
      '--clv-months',
      '12',
      '--discount-rate',
      '0.01',
      '--time-unit',
      'week',
      '--out',
      '/tmp/x.csv',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--t/);
  });
});
