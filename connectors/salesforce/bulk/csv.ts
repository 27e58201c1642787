/**
 * CSV as Bulk API 2.0 sends and takes it (RFC 4180, NOTES §2.5, §2.6): comma-separated, a field in double
 * quotes may hold commas, line breaks (LF or CRLF) and quotes written twice; rows end with LF or CRLF. The
 * first row is the header. Written CSV quotes a value only when it has to.
 */

export class CsvFormatError extends Error {}

/**
 * Rows of fields. A trailing line break ends the last row (no empty row follows); an empty text has no rows.
 *
 * @example parseCsv('Id,Name\n1,"Smith, ""Jo"""\n') → [['Id', 'Name'], ['1', 'Smith, "Jo"']]
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  const endField = (): void => {
    row.push(field);
    field = '';
    quotedField = false;
  };
  const endRow = (): void => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        inQuotes = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          throw new CsvFormatError(`a character after a closing quote at offset ${i + 1}`);
      }
    } else if (ch === '"') {
      if (field !== '' || quotedField)
        throw new CsvFormatError(`a quote inside an unquoted field at offset ${i}`);
      inQuotes = true;
      quotedField = true;
    } else if (ch === ',') endField();
    else if (ch === '\n') endRow();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endRow();
      i++;
    } else field += ch;
  }
  if (inQuotes) throw new CsvFormatError('a quoted field is not closed');
  if (field !== '' || quotedField || row.length > 0) endRow();
  return rows;
}

/** A field quoted when it holds a comma, quote, line break or edge space; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as CSV text with LF line endings (the Bulk API 2.0 default lineEnding). */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\n`).join('');
}

/** Rows after the header as objects keyed by the header's names. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) return [];
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}
