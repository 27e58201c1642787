/**
 * The part of the cleaner's per-row work that depends only on the row and on the rows before it, never on the
 * orders, customers or products gathered so far: the parsed date and amounts, the 64-bit keys of the
 * customer, order and product ids, and whether the row repeats an earlier one. A large file's rows are
 * prepared in a thread that reads the file beside the one that cleans it; the cleaner then takes these
 * values (Cleaner.addPrepared) instead of making them, with the very functions below, so a prepared row is
 * cleaned exactly as an unprepared one.
 */
import type { RawTransaction } from '../../../domain/raw-transaction';
import { HashSet64, Hasher64, rowKeyHigh } from './hash64';
import { parseDecimal } from './parse-decimal';
import { parseTimestamp } from './parse-timestamp';

/** Prepared values of consecutive rows, in columns (they cross threads as they are). */
export type PreparedRows = {
  count: number;
  /** The row's line: a row is only ever cleaned with its own values. */
  line: Int32Array;
  /** 1: the row reaches the duplicate check and repeats an earlier row that reached it. */
  duplicate: Uint8Array;
  time: Float64Array;
  quantity: Float64Array;
  amount: Float64Array;
  /** Per row: customer (hi, lo), order (hi, lo) and product (hi, lo) keys; 0s where the id is empty. */
  keys: Uint32Array;
};

export const KEYS_PER_ROW = 6;

/** The customer id as the cleaner reads it: trimmed only when it starts or ends with a space or control. */
export function rowCustomerId(row: RawTransaction): string {
  const id = row.customerId;
  return id.length > 0 && (id.charCodeAt(0) <= 32 || id.charCodeAt(id.length - 1) <= 32) ? id.trim() : id;
}

/** The row's line amount: the amount column, else quantity × unit price (NaN when it does not parse). */
export function rowAmount(row: RawTransaction, quantity: number): number {
  return row.amount !== undefined ? parseDecimal(row.amount) : quantity * parseDecimal(row.unitPrice);
}

export function customerKey(h: Hasher64, customerId: string): Hasher64 {
  return h.reset(3).field(customerId).finish();
}

export function orderKey(h: Hasher64, orderId: string): Hasher64 {
  return h.reset(1).field(orderId).finish();
}

export function productKey(h: Hasher64, productId: string): Hasher64 {
  return h.reset(4).field(productId).finish();
}

/** Every field of the row as read: two rows with this key equal are the same line twice. */
export function rowKey(h: Hasher64, row: RawTransaction): Hasher64 {
  h.reset();
  h.field(row.customerId).field(row.orderId).checkpoint();
  h.field(row.date).decimal(row.amount).field(row.productId).decimal(row.quantity).decimal(row.unitPrice);
  return h.field(row.channel).field(row.currency).field(row.country).field(row.description).finish();
}

/**
 * Prepares rows in file order; one preparer per file (it remembers the rows it has seen). add() prepares
 * rows as they are read (so they can be let go at once) and take() hands over all prepared since the last
 * take.
 */
export class RowPreparer {
  private readonly hasher = new Hasher64();
  private readonly duplicates = new HashSet64();
  private lastDateText = '';
  private lastDateMs = NaN;
  private count = 0;
  private line = new Int32Array(1024);
  private duplicate = new Uint8Array(1024);
  private time = new Float64Array(1024);
  private quantity = new Float64Array(1024);
  private amount = new Float64Array(1024);
  private keys = new Uint32Array(1024 * KEYS_PER_ROW);

  /** The rows prepared at once (add then take). */
  prepare(rows: readonly RawTransaction[]): PreparedRows {
    this.add(rows);
    return this.take();
  }

  get pending(): number {
    return this.count;
  }

  add(rows: readonly RawTransaction[]): void {
    this.room(this.count + rows.length);
    const h = this.hasher;
    for (const row of rows) {
      const i = this.count++;
      this.line[i] = row.line;
      this.duplicate[i] = 0;
      this.time[i] = 0;
      this.quantity[i] = 0;
      this.amount[i] = 0;
      const k = i * KEYS_PER_ROW;
      this.keys.fill(0, k, k + KEYS_PER_ROW);
      // The cleaner's order: a malformed row or one without a customer is excluded before anything else.
      if (row.malformed !== undefined) continue;
      const customerId = rowCustomerId(row);
      if (customerId.length === 0) continue;
      customerKey(h, customerId);
      this.keys[k] = h.hi;
      this.keys[k + 1] = h.lo;
      if (row.orderId.length > 0) {
        orderKey(h, row.orderId);
        this.keys[k + 2] = h.hi;
        this.keys[k + 3] = h.lo;
      }
      const productId = row.productId;
      if (productId !== undefined && productId.length > 0) {
        productKey(h, productId);
        this.keys[k + 4] = h.hi;
        this.keys[k + 5] = h.lo;
      }
      let time: number;
      if (row.date === this.lastDateText) time = this.lastDateMs;
      else {
        time = parseTimestamp(row.date);
        this.lastDateText = row.date;
        this.lastDateMs = time;
      }
      const quantity = parseDecimal(row.quantity);
      const amount = rowAmount(row, quantity);
      this.time[i] = time;
      this.quantity[i] = quantity;
      this.amount[i] = amount;
      // Only rows with a date and an amount reach the duplicate check (and its set).
      if (time !== time || amount !== amount) continue;
      rowKey(h, row);
      if (!this.duplicates.add(rowKeyHigh(h), h.lo)) this.duplicate[i] = 1;
    }
  }

  /** The rows prepared since the last take, in arrays of their own (transferable). */
  take(): PreparedRows {
    const n = this.count;
    this.count = 0;
    return preparedRows(
      n,
      this.line.slice(0, n),
      this.duplicate.slice(0, n),
      this.time.slice(0, n),
      this.quantity.slice(0, n),
      this.amount.slice(0, n),
      this.keys.slice(0, n * KEYS_PER_ROW),
    );
  }

  private room(rows: number): void {
    if (rows <= this.line.length) return;
    const size = Math.max(rows, 2 * this.line.length);
    const grow = <T extends Int32Array | Uint8Array | Float64Array | Uint32Array>(a: T, per = 1): T => {
      const b = new (a.constructor as new (n: number) => T)(size * per);
      b.set(a);
      return b;
    };
    this.line = grow(this.line);
    this.duplicate = grow(this.duplicate);
    this.time = grow(this.time);
    this.quantity = grow(this.quantity);
    this.amount = grow(this.amount);
    this.keys = grow(this.keys, KEYS_PER_ROW);
  }
}

/**
 * Prepared rows as one object shape wherever they were made: the cleaner reads them row by row, and rows that
 * came through a message would otherwise each have a shape of their own to it.
 */
export function preparedRows(
  count: number,
  line: Int32Array,
  duplicate: Uint8Array,
  time: Float64Array,
  quantity: Float64Array,
  amount: Float64Array,
  keys: Uint32Array,
): PreparedRows {
  return { count, line, duplicate, time, quantity, amount, keys };
}

/** The buffers of prepared rows, to transfer with them. */
export function preparedBuffers(p: PreparedRows): ArrayBuffer[] {
  return [p.line, p.duplicate, p.time, p.quantity, p.amount, p.keys].map((a) => a.buffer as ArrayBuffer);
}
