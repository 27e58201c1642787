import { readFileSync } from 'node:fs';

/** Small RFC 4180 reader for test expectations: quoted cells may hold commas, quotes and line breaks. */
export function readCsvRows(path: string): Record<string, string>[] {
  const records = parseCsv(readFileSync(path, 'utf8'));
  const [header, ...rows] = records;
  return rows.map((cells) => Object.fromEntries(header.map((c, i) => [c, cells[i] ?? ''])));
}

function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || record.length) {
    record.push(cell);
    records.push(record);
  }
  return records;
}
