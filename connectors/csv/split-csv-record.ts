/**
 * RFC 4180 field splitter for one record (comma separator, `"` quoting, `""` as an escaped quote).
 * Hand-written because it is the import's hot path: a record without any quote is split with the native
 * String#split, a quoted record is scanned with indexOf jumps rather than char by char.
 */

export type CsvSplit =
  | { status: 'ok'; fields: string[] }
  /** A quoted field is still open at the end of the text: the record continues on the next line. */
  | { status: 'open-quote' }
  /** Something other than a comma or the end follows a closing quote. */
  | { status: 'bad-quote'; column: number };

const QUOTE = 34;
const COMMA = 44;

export function splitCsvRecord(text: string): CsvSplit {
  if (text.indexOf('"') === -1) return { status: 'ok', fields: text.split(',') };
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  while (true) {
    if (i < n && text.charCodeAt(i) === QUOTE) {
      let value = '';
      let start = i + 1;
      i = start;
      while (true) {
        const q = text.indexOf('"', i);
        if (q === -1) return { status: 'open-quote' };
        if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(start, q + 1);
          i = q + 2;
          start = i;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return { status: 'ok', fields };
      if (text.charCodeAt(i) !== COMMA) return { status: 'bad-quote', column: fields.length };
      i++;
    } else {
      const c = text.indexOf(',', i);
      if (c === -1) {
        fields.push(text.slice(i));
        return { status: 'ok', fields };
      }
      fields.push(text.slice(i, c));
      i = c + 1;
    }
  }
}

/** Splits on runs of spaces and tabs, ignoring leading and trailing ones (CDNOW's fixed-width text). */
export function splitWhitespace(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c === 32 || c === 9) break;
      i++;
    }
    out.push(text.slice(start, i));
  }
  return out;
}
