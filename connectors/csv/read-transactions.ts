/**
 * Streaming transaction import. Rows come out one at a time (or per decoded chunk with
 * readTransactionBatches, which skips one promise per row) and the file is never held in memory.
 *
 * Malformed lines (wrong field count, unterminated or broken quoting) are yielded as rows with `malformed`
 * set, so the cleaner counts them with their line numbers; a file that is not the declared layout at all
 * throws InputFormatError before the first row.
 */
import { cdnowLayout } from './cdnow-layout';
import { CsvRecordAssembler } from './csv-record-assembler';
import { InputFormatError, clip } from './errors';
import { genericLayout } from './generic-layout';
import { LineSplitter, type LineHandler } from './line-splitter';
import { onlineRetailLayout } from './online-retail-layout';
import { openTextChunks } from './open-text-chunks';
import { malformedRow, type RowLayout } from './row-layout';
import { splitWhitespace } from './split-csv-record';
import type { RawTransaction, TransactionFormat } from '../../domain/raw-transaction';
import type { ReadOptions } from './read-options';

export async function* readTransactionBatches(
  path: string,
  format: TransactionFormat,
  options: ReadOptions = {},
): AsyncGenerator<RawTransaction[]> {
  let batch: RawTransaction[] = [];
  let layout: RowLayout | null = null;

  const onRecord = (
    fields: string[],
    count: number,
    line: number,
    text: string,
    start: number,
    end: number,
  ) => {
    if (layout === null) {
      layout = detectLayout(path, format, fields.slice(0, count), text.slice(start, end));
      if (layout.firstRecordIsHeader) return;
    }
    if (count === layout.fieldCount) batch.push(layout.toRow(fields, line));
    else {
      const shown = clip(text.slice(start, Math.min(end, start + 80)), 60);
      batch.push(malformedRow(line, `expected ${layout.fieldCount} fields, found ${count}: "${shown}"`));
    }
  };
  const onMalformed = (line: number, reason: string, text: string): void => {
    if (layout === null) {
      throw new InputFormatError(path, `the header line cannot be read (${reason}): "${clip(text)}"`);
    }
    batch.push(malformedRow(line, `${reason}: "${clip(text, 60)}"`));
  };

  let onLine: LineHandler;
  let flush = (): void => {};
  if (format === 'cdnow') {
    onLine = (text, start, end, line) => {
      const fields = splitWhitespace(text.slice(start, end));
      if (fields.length > 0) onRecord(fields, fields.length, line, text, start, end);
    };
  } else {
    const assembler = new CsvRecordAssembler(onRecord, onMalformed);
    onLine = (text, start, end, line) => assembler.feedLine(text, start, end, line);
    flush = () => assembler.end();
  }

  const lines = new LineSplitter();
  for await (const chunk of openTextChunks(path, options, () => lines.lines)) {
    lines.push(chunk, onLine);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  lines.end(onLine);
  flush();
  if (layout === null) throw new InputFormatError(path, `is empty: expected a ${format} transactions file.`);
  if (batch.length > 0) yield batch;
}

/** One row at a time; see readTransactionBatches for the faster form. */
export async function* readTransactions(
  path: string,
  format: TransactionFormat,
  options: ReadOptions = {},
): AsyncGenerator<RawTransaction> {
  for await (const batch of readTransactionBatches(path, format, options)) {
    for (const row of batch) yield row;
  }
}

function detectLayout(path: string, format: TransactionFormat, fields: string[], text: string): RowLayout {
  switch (format) {
    case 'generic':
      return genericLayout(path, fields);
    case 'online-retail':
      return onlineRetailLayout(path, fields);
    case 'cdnow':
      return cdnowLayout(path, fields, text);
  }
}
