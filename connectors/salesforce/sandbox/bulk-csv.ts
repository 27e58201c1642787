/**
 * CSV as Bulk API 2.0 reads and writes it (NOTES §2.6; [D datafiles_prepare_csv]): RFC 4180 quoting, one of
 * the job's column delimiters (COMMA, TAB, PIPE, SEMICOLON, CARET, BACKQUOTE) and line endings (LF, CRLF).
 * The first row is the header. Result files quote every value; an empty value stays empty.
 */

export type ColumnDelimiter = 'COMMA' | 'TAB' | 'PIPE' | 'SEMICOLON' | 'CARET' | 'BACKQUOTE';
export type LineEnding = 'LF' | 'CRLF';

export const DELIMITERS: Record<ColumnDelimiter, string> = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
};

export class CsvError extends Error {}

/** Rows of fields; a quoted field may hold delimiters, quotes (doubled) and line breaks. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        if (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r')
          throw new CsvError(`unexpected character after a closing quote at offset ${i}`);
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && !fieldStarted && field === '') {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === delimiter) {
      endField();
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endRow();
      i += 2;
    } else if (ch === '\n') {
      endRow();
      i++;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new CsvError('unterminated quoted field');
  if (field !== '' || fieldStarted || row.length > 0) endRow();
  return rows;
}

function quote(value: string): string {
  return value === '' ? '' : `"${value.replace(/"/g, '""')}"`;
}

export function formatCsv(rows: string[][], delimiter: string, lineEnding: LineEnding): string {
  const eol = lineEnding === 'CRLF' ? '\r\n' : '\n';
  return rows.map((r) => r.map(quote).join(delimiter) + eol).join('');
}
