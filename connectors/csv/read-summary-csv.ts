/**
 * Reads a per-customer summary CSV for `crm-clv fit|predict --summary FILE.csv`. Columns (case-insensitive,
 * any order, others ignored): frequency, recency, T (required), monetary_value (optional), ID (optional,
 * otherwise 1..n) — lifetimes' names — or Hardie's x, t_x, T, zbar (cdnow_customers_summary_with_transactions.csv).
 * Gzip is detected as for transactions. Any bad value is an InputFormatError naming the row and the column.
 */
import type { PurchaseAndSpendHistory } from '../../domain/purchase-history';
import { CsvRecordAssembler } from './csv-record-assembler';
import { InputFormatError, clip } from './errors';
import { LineSplitter, type LineHandler } from './line-splitter';
import { openTextChunks } from './open-text-chunks';
import { columnIndex, describeHeader, normalizeHeader } from './row-layout';
import type { ReadOptions } from './read-options';

export type SummaryCsv = PurchaseAndSpendHistory & {
  ids: string[];
  /** False when the file has no monetary_value / zbar column (monetaryValue is then all 0). */
  hasMonetaryValue: boolean;
};

type Columns = { id: number; x: number; tx: number; T: number; m: number; count: number };

export async function readSummaryCsv(path: string, options: ReadOptions = {}): Promise<SummaryCsv> {
  let columns: Columns | null = null;
  let n = 0;
  let cap = 1024;
  let frequency = new Float64Array(cap);
  let recency = new Float64Array(cap);
  let T = new Float64Array(cap);
  let monetary = new Float64Array(cap);
  const ids: string[] = [];

  const onRecord = (fields: string[], count: number, line: number): void => {
    if (columns === null) {
      columns = summaryColumns(path, fields.slice(0, count));
      return;
    }
    const row = n + 1;
    if (count !== columns.count) {
      throw new InputFormatError(
        path,
        `row ${row} (line ${line}) has ${count} fields, the header ${columns.count}.`,
      );
    }
    if (n === cap) {
      cap *= 2;
      frequency = grow(frequency, cap);
      recency = grow(recency, cap);
      T = grow(T, cap);
      monetary = grow(monetary, cap);
    }
    const value = (index: number, name: string): number => {
      const text = fields[index].trim();
      const v = text === '' ? NaN : Number(text);
      if (!Number.isFinite(v) || v < 0) {
        throw new InputFormatError(
          path,
          `row ${row} (line ${line}), column ${name}: "${clip(fields[index], 40)}" is not a non-negative number.`,
        );
      }
      return v;
    };
    frequency[n] = value(columns.x, 'frequency');
    recency[n] = value(columns.tx, 'recency');
    T[n] = value(columns.T, 'T');
    monetary[n] = columns.m >= 0 ? value(columns.m, 'monetary_value') : 0;
    if (recency[n] > T[n]) {
      throw new InputFormatError(
        path,
        `row ${row} (line ${line}): recency ${recency[n]} is greater than T ${T[n]}.`,
      );
    }
    ids.push(columns.id >= 0 ? fields[columns.id].trim() : String(row));
    n++;
  };
  const onMalformed = (line: number, reason: string, text: string): void => {
    throw new InputFormatError(path, `line ${line} cannot be read (${reason}): "${clip(text)}".`);
  };

  const assembler = new CsvRecordAssembler(onRecord, onMalformed);
  const lines = new LineSplitter();
  const onLine: LineHandler = (text, start, end, line) => assembler.feedLine(text, start, end, line);
  for await (const chunk of openTextChunks(path, options, () => lines.lines)) lines.push(chunk, onLine);
  lines.end(onLine);
  assembler.end();
  if (columns === null)
    throw new InputFormatError(path, 'is empty: expected a header frequency,recency,T[,monetary_value].');
  return {
    ids,
    frequency: frequency.slice(0, n),
    recency: recency.slice(0, n),
    T: T.slice(0, n),
    monetaryValue: monetary.slice(0, n),
    hasMonetaryValue: (columns as Columns).m >= 0,
  };
}

function summaryColumns(path: string, fields: string[]): Columns {
  const header = normalizeHeader(fields);
  const lifetimes = columnIndex(header, 'frequency') >= 0;
  const columns: Columns = {
    id: columnIndex(header, 'id', 'customer_id'),
    x: lifetimes ? columnIndex(header, 'frequency') : columnIndex(header, 'x'),
    tx: lifetimes ? columnIndex(header, 'recency') : columnIndex(header, 't_x'),
    T: columnIndex(header, 't'),
    m: lifetimes ? columnIndex(header, 'monetary_value') : columnIndex(header, 'zbar'),
    count: fields.length,
  };
  if (columns.x < 0 || columns.tx < 0 || columns.T < 0) {
    throw new InputFormatError(
      path,
      'expected a summary CSV with header columns frequency, recency, T (optional monetary_value, ID), or ' +
        `Hardie's x, t_x, T (optional zbar, ID); found header ${describeHeader(fields)}.`,
    );
  }
  return columns;
}

function grow(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
