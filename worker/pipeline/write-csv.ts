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
  await writeCsvRows(path, header, rowCount, (i, cells) => {
    const r = row(i);
    if (r === null) return false;
    for (let j = 0; j < r.length; j++) cells[j] = r[j];
    cells.length = r.length;
    return true;
  });
}

/**
 * writeCsv without an array per row: `fill` writes row i's cells into the one reused `cells` array (its
 * length is the header's unless `fill` sets it) and returns false to write no line for it.
 */
export async function writeCsvRows(
  path: string,
  header: readonly string[],
  rowCount: number,
  fill: (i: number, cells: Cell[]) => boolean,
): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const closed = once(out, 'close');
  try {
    let chunk = header.map(quote).join(',') + '\n';
    const cells: Cell[] = new Array<Cell>(header.length);
    const texts: string[] = [];
    for (let i = 0; i < rowCount; i++) {
      cells.length = header.length;
      if (fill(i, cells)) {
        texts.length = cells.length;
        for (let j = 0; j < cells.length; j++) texts[j] = formatCell(cells[j]);
        chunk += texts.join(',') + '\n';
      }
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
  const m = Math.round(v * 1e6);
  if (m > -1e15 && m < 1e15) return microsText(m);
  // Rounding then String() gives the shortest text that reads back as the rounded value. (+0 also turns −0
  // into 0.)
  return String(m / 1e6 + 0);
}

/**
 * m / 10⁶ as String(m / 1e6) writes it, from integer parts (about 2.5× faster than the double-to-shortest
 * conversion, which dominated writing scores.csv). Exact for |m| < 10¹⁵: such a decimal has at most 15
 * significant digits, and no two decimals of ≤ 15 digits round to the same double (DBL_DIG = 15), so the
 * shortest text that reads back as the double is this decimal itself; and |m / 10⁶| ≥ 10⁻⁶ is never
 * written in exponent form.
 */
function microsText(m: number): string {
  const negative = m < 0; // false for −0, which is written 0 like String(−0)
  const a = negative ? -m : m;
  const whole = Math.floor(a / 1e6);
  let fraction = a - whole * 1e6;
  const head = negative ? '-' + String(whole) : String(whole);
  if (fraction === 0) return head;
  let digits = 6;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  let tail = String(fraction);
  while (tail.length < digits) tail = '0' + tail;
  return head + '.' + tail;
}

function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
