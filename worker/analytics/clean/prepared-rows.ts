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

/** Prepares rows in file order; one preparer per file (it remembers the rows it has seen). */
export class RowPreparer {
  private readonly hasher = new Hasher64();
  private readonly duplicates = new HashSet64();
  private lastDateText = '';
  private lastDateMs = NaN;

  prepare(rows: readonly RawTransaction[]): PreparedRows {
    const n = rows.length;
    const out: PreparedRows = {
      count: n,
      line: new Int32Array(n),
      duplicate: new Uint8Array(n),
      time: new Float64Array(n),
      quantity: new Float64Array(n),
      amount: new Float64Array(n),
      keys: new Uint32Array(n * KEYS_PER_ROW),
    };
    const h = this.hasher;
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      out.line[i] = row.line;
      // The cleaner's order: a malformed row or one without a customer is excluded before anything else.
      if (row.malformed !== undefined) continue;
      const customerId = rowCustomerId(row);
      if (customerId.length === 0) continue;
      const k = i * KEYS_PER_ROW;
      customerKey(h, customerId);
      out.keys[k] = h.hi;
      out.keys[k + 1] = h.lo;
      if (row.orderId.length > 0) {
        orderKey(h, row.orderId);
        out.keys[k + 2] = h.hi;
        out.keys[k + 3] = h.lo;
      }
      const productId = row.productId;
      if (productId !== undefined && productId.length > 0) {
        productKey(h, productId);
        out.keys[k + 4] = h.hi;
        out.keys[k + 5] = h.lo;
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
      out.time[i] = time;
      out.quantity[i] = quantity;
      out.amount[i] = amount;
      // Only rows with a date and an amount reach the duplicate check (and its set).
      if (time !== time || amount !== amount) continue;
      rowKey(h, row);
      if (!this.duplicates.add(rowKeyHigh(h), h.lo)) out.duplicate[i] = 1;
    }
    return out;
  }
}

/** The buffers of prepared rows, to transfer with them. */
export function preparedBuffers(p: PreparedRows): ArrayBuffer[] {
  return [p.line, p.duplicate, p.time, p.quantity, p.amount, p.keys].map((a) => a.buffer as ArrayBuffer);
}
