/** Streams a table to a CSV file in large chunks (a million rows would be slow line by line). */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export type Cell = string | number | null | undefined;

export async function writeCsv(
  path: string,
  header: readonly string[],
  rowCount: number,
  /** The cells of row i, or null to write no line for it. */
  row: (i: number) => readonly Cell[] | null,
): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const closed = once(out, 'close');
  try {
    let chunk = header.map(quote).join(',') + '\n';
    for (let i = 0; i < rowCount; i++) {
      const cells = row(i);
      if (cells) chunk += cells.map(formatCell).join(',') + '\n';
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await closed;
  } catch (error) {
    out.destroy();
    throw error;
  }
}

export function formatCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  return quote(v);
}

/** Numbers rounded to 6 decimals in their shortest form; NaN and infinities as empty cells. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  // Rounding then String() gives the shortest text that reads back as the rounded value, without the
  // toFixed + trailing-zero regex that dominated writing a million rows. (+0 also turns −0 into 0.)
  return String(Math.round(v * 1e6) / 1e6 + 0);
}

function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
