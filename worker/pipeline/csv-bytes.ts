/**
 * CSV lines written straight into UTF-8 bytes, cell by cell, as formatCell (./write-csv) formats them:
 * numbers at 6 decimals in their shortest form, non-finite numbers and absent values empty, text quoted when
 * it holds a quote, comma or line break. Millions of rows made as strings and then encoded were most of the
 * export's work and garbage; here a number or a plain ASCII text costs no string at all.
 */
import type { Cell } from './write-csv';

const QUOTE = 34;
const COMMA = 44;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

export class CsvBytes {
  private bytes: Uint8Array<ArrayBuffer>;
  private at = 0;
  private readonly utf8 = new TextEncoder();

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  get length(): number {
    return this.at;
  }

  /**
   * The bytes written so far, in a buffer of their own (transferable): one of `spare` that is large enough
   * (taken out of it), else a new one. The writer starts again empty.
   */
  take(spare: ArrayBuffer[] = []): Uint8Array<ArrayBuffer> {
    const n = this.at;
    this.at = 0;
    const k = spare.findIndex((b) => b.byteLength >= n);
    // A new buffer gets some room, so that it can be a spare for a somewhat larger batch later.
    const buffer = k >= 0 ? spare.splice(k, 1)[0] : new ArrayBuffer(n + (n >> 3));
    const out = new Uint8Array(buffer, 0, n);
    out.set(this.bytes.subarray(0, n));
    return out;
  }

  cell(value: Cell): void {
    if (value === null || value === undefined) return;
    if (typeof value === 'number') this.number(value);
    else this.text(value);
  }

  comma(): void {
    this.room(1);
    this.bytes[this.at++] = COMMA;
  }

  endLine(): void {
    this.room(1);
    this.bytes[this.at++] = LINE_FEED;
  }

  /** formatCell of a text: as it is, or in quotes with its quotes doubled when it needs them. */
  text(s: string): void {
    // Plain ASCII (nearly every cell) is copied as it is scanned; the rare other text starts again below.
    this.room(s.length);
    const b = this.bytes;
    const start = this.at;
    let at = start;
    let plain = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128 || c === QUOTE || c === COMMA || c === LINE_FEED || c === CARRIAGE_RETURN) {
        plain = false;
        break;
      }
      b[at++] = c;
    }
    if (plain) {
      this.at = at;
      return;
    }
    this.quotedOrUnicode(s);
  }

  private quotedOrUnicode(s: string): void {
    let quoted = false;
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) ascii = false;
      else if (c === QUOTE || c === COMMA || c === LINE_FEED || c === CARRIAGE_RETURN) quoted = true;
    }
    if (!ascii) {
      this.unicode(quoted ? `"${s.replace(/"/g, '""')}"` : s);
      return;
    }
    this.room(2 * s.length + 2);
    const b = this.bytes;
    let at = this.at;
    b[at++] = QUOTE;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) b[at++] = QUOTE;
      b[at++] = c;
    }
    b[at++] = QUOTE;
    this.at = at;
  }

  /** formatNumber: rounded to 6 decimals, shortest form; nothing for NaN and infinities. */
  number(v: number): void {
    if (!Number.isFinite(v)) return;
    const m = Math.round(v * 1e6);
    if (m > -1e15 && m < 1e15) this.micros(m);
    // As formatNumber: beyond 10¹⁵ millionths, the shortest text of the rounded value (+0 turns −0 into 0).
    else this.text(String(m / 1e6 + 0));
  }

  /** m / 10⁶ as formatNumber writes it (the integer and fraction digits of write-csv's microsText). */
  private micros(m: number): void {
    this.room(24);
    const negative = m < 0; // false for −0, written 0
    const a = negative ? -m : m;
    const whole = Math.floor(a / 1e6);
    let fraction = a - whole * 1e6;
    if (negative) this.bytes[this.at++] = MINUS;
    this.digits(whole, 1);
    if (fraction === 0) return;
    let width = 6;
    while (fraction % 10 === 0) {
      fraction /= 10;
      width--;
    }
    this.bytes[this.at++] = DOT;
    this.digits(fraction, width);
  }

  /** A non-negative integer below 2⁵³ in decimal, zero-padded to `width` digits. */
  private digits(n: number, width: number): void {
    let count = 1;
    for (let p = 10; p <= n; p *= 10) count++;
    if (count < width) count = width;
    const b = this.bytes;
    let at = this.at + count;
    this.at = at;
    for (let k = 0; k < count; k++) {
      const q = Math.floor(n / 10);
      b[--at] = ZERO + (n - q * 10);
      n = q;
    }
  }

  private unicode(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    this.room(3 * s.length);
    this.at += this.utf8.encodeInto(s, this.bytes.subarray(this.at)).written;
  }

  private room(extra: number): void {
    if (this.at + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.at + extra));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }
}
