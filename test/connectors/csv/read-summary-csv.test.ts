import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputFormatError } from '../../../connectors/csv/errors';
import { readSummaryCsv } from '../../../connectors/csv/read-summary-csv';

const repoRoot = path.resolve(__dirname, '../../..');
const lifetimesData = path.resolve(repoRoot, '../shared/data/lifetimes');
const dir = mkdtempSync(path.join(tmpdir(), 'crm-clv-summary-'));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function summaryError(p: string): Promise<InputFormatError> {
  try {
    await readSummaryCsv(p);
  } catch (e) {
    if (e instanceof InputFormatError) return e;
    throw e;
  }
  throw new Error('expected an InputFormatError');
}

describe('readSummaryCsv', () => {
  it("reads lifetimes' cdnow_customers_summary.csv (ID, frequency, recency, T)", async () => {
    const s = await readSummaryCsv(path.join(lifetimesData, 'cdnow_customers_summary.csv'));
    expect(s.ids).toHaveLength(2357);
    // First rows of the file: 1,2,30.43,38.86 and 2,1,1.71,38.86.
    expect([s.ids[0], s.frequency[0], s.recency[0], s.T[0]]).toEqual(['1', 2, 30.43, 38.86]);
    expect([s.ids[1], s.frequency[1], s.recency[1], s.T[1]]).toEqual(['2', 1, 1.71, 38.86]);
    expect(s.hasMonetaryValue).toBe(false);
    expect(s.monetaryValue.every((v) => v === 0)).toBe(true);
  });

  it("reads Hardie's naming x, t_x, T, zbar", async () => {
    const s = await readSummaryCsv(path.join(lifetimesData, 'cdnow_customers_summary_with_transactions.csv'));
    expect(s.ids).toHaveLength(2357);
    expect([s.frequency[0], s.recency[0], s.T[0], s.monetaryValue[0]]).toEqual([2, 30.43, 38.86, 22.35]);
    expect(s.hasMonetaryValue).toBe(true);
    // 946 customers have x > 0 (README of the data folder).
    expect(s.frequency.filter((x) => x > 0).length).toBe(946);
  });

  it('accepts any column order, ignores other columns and numbers rows 1..n without an ID', async () => {
    const s = await readSummaryCsv(
      file('order.csv', 'T,segment,monetary_value,recency,frequency\n10,a,5.5,4,2\n8,b,0,0,0\n'),
    );
    expect(s.ids).toEqual(['1', '2']);
    expect(Array.from(s.frequency)).toEqual([2, 0]);
    expect(Array.from(s.recency)).toEqual([4, 0]);
    expect(Array.from(s.T)).toEqual([10, 8]);
    expect(Array.from(s.monetaryValue)).toEqual([5.5, 0]);
  });

  it('names the row and the column of a bad value', async () => {
    const error = await summaryError(file('bad.csv', 'frequency,recency,T\n1,2,3\n1,abc,3\n'));
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.message).toMatch(/row 2 \(line 3\), column recency: "abc"/);
  });

  it('rejects recency greater than T and negative values', async () => {
    expect((await summaryError(file('rt.csv', 'frequency,recency,T\n1,5,3\n'))).message).toMatch(/row 1/);
    expect((await summaryError(file('neg.csv', 'frequency,recency,T\n-1,0,3\n'))).message).toMatch(
      /frequency/,
    );
  });

  it('rejects a file without the required columns', async () => {
    const error = await summaryError(file('nocols.csv', 'frequency,T\n1,2\n'));
    expect(error.message).toMatch(/frequency, recency, T/);
  });
});
