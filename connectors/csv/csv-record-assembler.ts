/**
 * Turns physical lines into CSV records.
 *
 * Fast path: a line with no quote character is cut at its commas straight out of the chunk into a reused
 * array (no line string, no array per row). Where the next quote of the chunk is found once and remembered,
 * so unquoted chunks are not rescanned for every line.
 *
 * Quoted lines go through splitCsvRecord. A quoted field may span lines (RFC 4180), but at most
 * `maxLinesPerRecord` of them: a stray quote must not swallow the rest of a 10-million-row file. When the
 * limit or the end of the file is hit with a quote still open, the record's first line is reported as
 * malformed and the following lines are read again as records of their own.
 */
import { splitCsvRecord } from './split-csv-record';

/**
 * `fields[0..count)` are the record's fields; the array is reused, so copy what must outlive the call.
 * `text` and `start`/`end` locate the record's source text (for messages).
 */
export type RecordHandler = (
  fields: string[],
  count: number,
  line: number,
  text: string,
  start: number,
  end: number,
) => void;
export type MalformedHandler = (line: number, reason: string, text: string) => void;

export class CsvRecordAssembler {
  private pending: string[] = [];
  private pendingLine = 0;
  private readonly scratch: string[] = [];
  private quoteText = '';
  private nextQuote = -1;

  constructor(
    private readonly onRecord: RecordHandler,
    private readonly onMalformed: MalformedHandler,
    private readonly maxLinesPerRecord = 100,
  ) {}

  /** One physical line, text[start, end). */
  feedLine(text: string, start: number, end: number, line: number): void {
    if (this.pending.length === 0) {
      if (text !== this.quoteText || (this.nextQuote >= 0 && this.nextQuote < start)) {
        this.quoteText = text;
        this.nextQuote = text.indexOf('"', start);
      }
      if (this.nextQuote < 0 || this.nextQuote >= end) {
        if (start === end) return;
        const f = this.scratch;
        let k = 0;
        let p = start;
        while (true) {
          const c = text.indexOf(',', p);
          if (c < 0 || c >= end) {
            f[k++] = text.slice(p, end);
            break;
          }
          f[k++] = text.slice(p, c);
          p = c + 1;
        }
        if (k === 1 && isBlank(f[0])) return;
        this.onRecord(f, k, line, text, start, end);
        return;
      }
    }
    this.feed(text.slice(start, end), line);
  }

  /** One physical line as a string (the quoted, slower path). */
  feed(text: string, line: number): void {
    if (this.pending.length === 0) {
      if (isBlank(text)) return;
      const split = splitCsvRecord(text);
      if (split.status === 'ok') this.onRecord(split.fields, split.fields.length, line, text, 0, text.length);
      else if (split.status === 'bad-quote') this.onMalformed(line, badQuote(split.column), text);
      else {
        this.pending.push(text);
        this.pendingLine = line;
      }
      return;
    }
    this.pending.push(text);
    const joined = this.pending.join('\n');
    const split = splitCsvRecord(joined);
    if (split.status === 'open-quote') {
      if (this.pending.length >= this.maxLinesPerRecord) this.giveUp();
      return;
    }
    const start = this.pendingLine;
    this.pending = [];
    if (split.status === 'ok')
      this.onRecord(split.fields, split.fields.length, start, joined, 0, joined.length);
    else this.onMalformed(start, badQuote(split.column), joined);
  }

  end(): void {
    while (this.pending.length > 0) this.giveUp();
  }

  private giveUp(): void {
    const lines = this.pending;
    const start = this.pendingLine;
    this.pending = [];
    this.onMalformed(start, 'unterminated quoted field', lines[0]);
    for (let k = 1; k < lines.length; k++) this.feed(lines[k], start + k);
  }
}

function badQuote(column: number): string {
  return `unexpected character after the closing quote of field ${column}`;
}

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  return (c === 32 || c === 9) && text.trim().length === 0;
}
