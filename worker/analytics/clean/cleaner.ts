/**
 * Streaming cleaner: feed RawTransaction rows one at a time with add(), get orders, customers and a quality
 * report from finish(). Memory is per order and per customer, in typed arrays (customers and products are
 * interned to integer indices; duplicates and order ids are looked up by 64-bit hash, not by string).
 *
 * Rules, checked in this order, the first that applies decides (EXCLUSION_REASONS):
 *   malformed_line → missing_customer_id → unparseable_date → unparseable_amount → duplicate_row →
 *   future_date → unknown_currency → adjustment → implausible_amount → cancellation →
 *   zero_or_negative_amount; then, per order after grouping and netting, anomalous_order (only when
 *   anomaly.exclude).
 * implausible_amount is checked twice (implausible-amounts.ts): per row as the rows stream (a value that is
 * not finite after currency conversion), and in finish(), once the tenant's order amounts are known, per order
 * and per cancellation row before netting (an order's rows, and cancellation rows, then move from used or
 * `cancellation` to implausible_amount). Rows already excluded for an earlier reason are not looked at again,
 * nor are zero_or_negative_amount rows (they never reach the result).
 * A row without a customer id is missing_customer_id whatever else is wrong with it: it can never be
 * attributed, so its other faults do not matter. Duplicates are checked after parsing so a duplicate is
 * always a well-formed row, and before the business rules so a duplicated cancellation is not netted twice.
 * Cancellation rows are "excluded" in the sense that they are not purchases: their value is netted against
 * the customer's orders (net-cancellations.ts), so rowsRead = rowsUsed + Σ excluded holds exactly.
 *
 * Example:
 *   const cleaner = createCleaner({ observationEnd: '2011-12-09', baseCurrency: 'GBP' });
 *   for await (const row of readTransactions(file, 'online-retail')) cleaner.add(row);
 *   const { customers, orders, quality } = cleaner.finish();
 */
import type { RawTransaction } from '../../../domain/raw-transaction';
import { parseCleanerConfig, type CleanerConfig, type CleanerConfigInput, endOfDayMs } from './config';
import { buildCleanResult } from './build-clean-result';
import type { CleanerState } from './cleaner-state';
import { HAS_CANCELLATION, HAS_PURCHASE } from './customer-flags';
import { amountText, describeExclusion } from './describe-exclusion';
import { growFloat64, growInt32, growUint8 } from './growable';
import { HashMap64, HashSet64, Hasher64, rowKeyHigh } from './hash64';
import {
  customerKey,
  KEYS_PER_ROW,
  orderKey,
  productKey,
  rowAmount,
  rowCustomerId,
  rowKey,
  type PreparedRows,
} from './prepared-rows';
import { parseDecimal } from './parse-decimal';
import { parseTimestamp } from './parse-timestamp';
import {
  EXCLUSION_REASONS,
  type CleanResult,
  type ExclusionReason,
  type InputEncoding,
  type QualityExample,
} from './types';

export type Cleaner = {
  add(row: RawTransaction): void;
  /**
   * add() with the row's values made beforehand (prepared-rows, e.g. in a thread reading the same file):
   * `prepared` holds them at index `i`. Every row of a file goes through one of the two.
   */
  addPrepared(row: RawTransaction, prepared: PreparedRows, i: number): void;
  /** How the file was decoded (the reader's onEncoding report), for the quality report. */
  noteEncoding(encoding: InputEncoding): void;
  finish(): CleanResult;
};

export function createCleaner(config: CleanerConfigInput): Cleaner {
  return new TransactionCleaner(parseCleanerConfig(config));
}

const R = Object.fromEntries(EXCLUSION_REASONS.map((r, i) => [r, i])) as Record<ExclusionReason, number>;

/** Mutable state shared with buildCleanResult; not part of the public API. */
class TransactionCleaner implements Cleaner, CleanerState {
  readonly endMs: number;
  readonly rates = new Map<string, number>();
  rowsRead = 0;
  rowsUsed = 0;
  readonly excluded: number[] = EXCLUSION_REASONS.map(() => 0);
  readonly examples: QualityExample[][] = EXCLUSION_REASONS.map(() => []);

  /** By 64-bit hash of the id (a collision, ~n²/2⁶⁵, would merge two customers). */
  private readonly customerIndex = new HashMap64();
  readonly customerIds: string[] = [];
  customerFlags = new Uint8Array(1024);
  /** Per customer: 1 + index into `countries` of the first non-empty country seen, 0 = none yet. */
  customerCountry = new Int32Array(1024);
  readonly countries: string[] = [];
  private readonly countryIndex = new Map<string, number>();

  private readonly duplicates = new HashSet64();
  private readonly orderIndex = new HashMap64();
  private conflictIndex: HashMap64 | null = null;
  private readonly hasher = new Hasher64();

  orderCount = 0;
  oCustomer = new Int32Array(1024);
  oTime = new Float64Array(1024);
  oAmount = new Float64Array(1024);
  oLines = new Int32Array(1024);
  oFirstLine = new Int32Array(1024);
  oConflicting = new Uint8Array(1024);
  oChannel: Int32Array<ArrayBuffer> | null = null;
  readonly orderIds: string[] | null;
  readonly channelIndex = new Map<string, number>();
  readonly channels: string[] = [];
  conflictOrders = 0;
  conflictRows = 0;
  readonly conflictExamples: QualityExample[] = [];

  private readonly productIndex = new HashMap64(1024);
  readonly products: string[] = [];
  readonly productNames: string[] = [];
  lineCount = 0;
  lOrder = new Int32Array(0);
  lProduct = new Int32Array(0);
  lQuantity = new Float64Array(0);
  lAmount = new Float64Array(0);

  cancelCount = 0;
  cCustomer = new Int32Array(256);
  cProduct = new Int32Array(256);
  cTime = new Float64Array(256);
  cValue = new Float64Array(256);
  cLine = new Int32Array(256);
  cancelValue = 0;
  encoding: InputEncoding | null = null;

  readonly conversions = new Map<string, { rows: number }>();
  /** Currency text as written → its rate and conversion counter. */
  private readonly currencySlots = new Map<string, { rate: number; counter: { rows: number } | undefined }>();

  /** The row being added's prepared values (null: made here) and its first key's index in them. */
  private prepared: PreparedRows | null = null;
  private preparedAt = 0;
  private preparedUsed = false;
  private lastCustomerText = '';
  private lastCustomer = -1;
  private lastOrderText = '';
  private lastOrderCustomer = -1;
  private lastOrder = -1;
  private lastDateText = '';
  private lastDateMs = NaN;
  private lastCurrencyText = '';
  private lastCurrencyRate = NaN;
  private lastCurrencyCounter: { rows: number } | undefined = undefined;
  /** Per-row detail for describeExclusion, set just before a row is excluded. */
  private detail = '';
  private result: CleanResult | null = null;

  constructor(readonly config: CleanerConfig) {
    this.endMs = endOfDayMs(config.observationEnd);
    for (const [code, rate] of Object.entries(config.currencyRates))
      this.rates.set(code.trim().toUpperCase(), rate);
    this.rates.set(config.baseCurrency, 1);
    this.orderIds = config.keepOrderIds ? [] : null;
  }

  add(row: RawTransaction): void {
    if (this.preparedUsed)
      throw new Error('createCleaner: add() after addPrepared(); a file is cleaned one way.');
    this.addRow(row, null, 0);
  }

  addPrepared(row: RawTransaction, prepared: PreparedRows, i: number): void {
    if (prepared.line[i] !== row.line) {
      throw new Error(
        `createCleaner: prepared values of line ${prepared.line[i]} given for line ${row.line}`,
      );
    }
    if (!this.preparedUsed && this.rowsRead > 0)
      throw new Error('createCleaner: addPrepared() after add(); a file is cleaned one way.');
    this.preparedUsed = true;
    this.addRow(row, prepared, i);
  }

  /** One row; `p` holds its prepared values at `i` (prepared-rows: the same values this would make). */
  private addRow(row: RawTransaction, p: PreparedRows | null, i: number): void {
    if (this.result) throw new Error('createCleaner: add() after finish(); create a new cleaner per file.');
    this.rowsRead++;
    if (row.malformed !== undefined) return this.exclude(R.malformed_line, row);
    const customerId = rowCustomerId(row);
    if (customerId.length === 0) return this.exclude(R.missing_customer_id, row);
    const k = i * KEYS_PER_ROW;
    // Lines of one order are usually adjacent: skip the map lookup for a repeated customer.
    let customer: number;
    if (customerId === this.lastCustomerText) customer = this.lastCustomer;
    else {
      const hi = p ? p.keys[k] : customerKey(this.hasher, customerId).hi;
      const lo = p ? p.keys[k + 1] : this.hasher.lo;
      customer = this.customerIndex.get(hi, lo);
      if (customer < 0) customer = this.internCustomer(customerId, hi, lo);
      this.lastCustomerText = customerId;
      this.lastCustomer = customer;
    }
    // Any row naming the customer counts (a cancellation or a faulty row still says where they live).
    if (this.customerCountry[customer] === 0 && row.country) this.noteCountry(customer, row.country);

    let time: number;
    if (p) time = p.time[i];
    else if (row.date === this.lastDateText) time = this.lastDateMs;
    else {
      time = parseTimestamp(row.date);
      this.lastDateText = row.date;
      this.lastDateMs = time;
    }
    if (time !== time) return this.exclude(R.unparseable_date, row);

    const quantity = p ? p.quantity[i] : parseDecimal(row.quantity);
    const amount = p ? p.amount[i] : rowAmount(row, quantity);
    if (amount !== amount) return this.exclude(R.unparseable_amount, row);

    if (p) {
      if (p.duplicate[i] === 1) return this.exclude(R.duplicate_row, row);
    } else {
      const h = rowKey(this.hasher, row);
      if (!this.duplicates.add(rowKeyHigh(h), h.lo)) return this.exclude(R.duplicate_row, row);
    }

    if (time > this.endMs) return this.exclude(R.future_date, row);

    let rate = 1;
    const currency = row.currency;
    if (currency !== undefined && currency.length > 0) {
      if (currency !== this.lastCurrencyText) this.resolveCurrency(currency);
      rate = this.lastCurrencyRate;
      if (rate !== rate) return this.exclude(R.unknown_currency, row);
      if (this.lastCurrencyCounter) this.lastCurrencyCounter.rows++;
    }

    const orderId = row.orderId;
    const { adjustmentOrderPrefix, cancelledOrderPrefix } = this.config;
    if (adjustmentOrderPrefix !== undefined && orderId.startsWith(adjustmentOrderPrefix)) {
      return this.exclude(R.adjustment, row);
    }
    const value = amount * rate;
    if (value - value !== 0) {
      // ±Infinity (NaN cannot occur: both factors are finite numbers): 1e308 × a rate, or quantity × price.
      this.detail = `order ${orderId}: amount ${amountText(row)}${rate === 1 ? '' : ` × rate ${rate}`} is not a finite number`;
      return this.exclude(R.implausible_amount, row);
    }
    this.prepared = p;
    this.preparedAt = k;
    if (cancelledOrderPrefix !== undefined && orderId.startsWith(cancelledOrderPrefix)) {
      return this.cancel(customer, row, time, value, `order id starts with "${cancelledOrderPrefix}"`);
    }
    if (quantity < 0) return this.cancel(customer, row, time, value, `quantity ${quantity}`);
    if (value < 0 && this.config.negativeAmountsAreRefunds)
      return this.cancel(customer, row, time, value, 'refund');
    if (value < 0 || (value === 0 && !this.config.keepZeroAmounts)) {
      return this.exclude(R.zero_or_negative_amount, row);
    }
    this.purchase(customer, row, time, value, quantity);
  }

  noteEncoding(encoding: InputEncoding): void {
    this.encoding = encoding;
  }

  /** Nets cancellations, flags anomalies and builds the result; later calls return the same result. */
  finish(): CleanResult {
    if (this.result) return this.result;
    // The lookup tables are not needed any more: free them before the result is built (at 10⁷ rows they
    // are a few hundred MB), and the working buffers once it has its own compact copies.
    this.duplicates.release();
    this.orderIndex.release();
    this.conflictIndex = null;
    this.customerIndex.release();
    this.productIndex.release();
    this.result = buildCleanResult(this);
    this.releaseBuffers();
    return this.result;
  }

  private releaseBuffers(): void {
    this.oCustomer = new Int32Array(0);
    this.oTime = new Float64Array(0);
    this.oAmount = new Float64Array(0);
    this.oLines = new Int32Array(0);
    this.oFirstLine = new Int32Array(0);
    this.oConflicting = new Uint8Array(0);
    this.oChannel = null;
    this.lOrder = new Int32Array(0);
    this.lProduct = new Int32Array(0);
    this.lQuantity = new Float64Array(0);
    this.lAmount = new Float64Array(0);
    this.cCustomer = new Int32Array(0);
    this.cProduct = new Int32Array(0);
    this.cTime = new Float64Array(0);
    this.cValue = new Float64Array(0);
    this.cLine = new Int32Array(0);
    this.customerFlags = new Uint8Array(0);
    this.customerCountry = new Int32Array(0);
  }

  private exclude(reason: number, row: RawTransaction): void {
    this.excluded[reason]++;
    const examples = this.examples[reason];
    if (examples.length < this.config.maxExamples) {
      examples.push({
        line: row.line,
        text: describeExclusion(EXCLUSION_REASONS[reason], row, this.detail, this),
      });
    }
    this.detail = '';
  }

  private internCustomer(id: string, hi: number, lo: number): number {
    const index = this.customerIds.length;
    this.customerIndex.insert(hi, lo, index);
    this.customerIds.push(id);
    this.customerFlags = growUint8(this.customerFlags, index + 1);
    this.customerCountry = growInt32(this.customerCountry, index + 1);
    return index;
  }

  /** Interns the country text (a few dozen distinct values) so the per-customer column stays an Int32Array. */
  private noteCountry(customer: number, text: string): void {
    const country = text.trim();
    if (country.length === 0) return;
    let c = this.countryIndex.get(country);
    if (c === undefined) {
      c = this.countries.length;
      this.countryIndex.set(country, c);
      this.countries.push(country);
    }
    this.customerCountry[customer] = c + 1;
  }

  private resolveCurrency(text: string): void {
    let slot = this.currencySlots.get(text);
    if (slot === undefined) {
      const code = text.trim().toUpperCase();
      const rate = this.rates.get(code) ?? NaN;
      let counter: { rows: number } | undefined;
      if (code !== this.config.baseCurrency && rate === rate) {
        counter = this.conversions.get(code);
        if (!counter) {
          counter = { rows: 0 };
          this.conversions.set(code, counter);
        }
      }
      slot = { rate, counter };
      this.currencySlots.set(text, slot);
    }
    this.lastCurrencyText = text;
    this.lastCurrencyRate = slot.rate;
    this.lastCurrencyCounter = slot.counter;
  }

  private internProduct(row: RawTransaction): number {
    const id = row.productId;
    if (id === undefined || id.length === 0) return -1;
    const prepared = this.prepared;
    const hi = prepared ? prepared.keys[this.preparedAt + 4] : productKey(this.hasher, id).hi;
    const lo = prepared ? prepared.keys[this.preparedAt + 5] : this.hasher.lo;
    let p = this.productIndex.get(hi, lo);
    if (p < 0) {
      p = this.products.length;
      this.productIndex.insert(hi, lo, p);
      this.products.push(id);
      this.productNames.push('');
    }
    if (this.productNames[p] === '' && row.description) this.productNames[p] = row.description.trim();
    return p;
  }

  private cancel(customer: number, row: RawTransaction, time: number, value: number, why: string): void {
    const n = this.cancelCount++;
    if (n >= this.cCustomer.length) {
      this.cCustomer = growInt32(this.cCustomer, n + 1);
      this.cProduct = growInt32(this.cProduct, n + 1);
      this.cTime = growFloat64(this.cTime, n + 1);
      this.cValue = growFloat64(this.cValue, n + 1);
      this.cLine = growInt32(this.cLine, n + 1);
    }
    this.cCustomer[n] = customer;
    this.cProduct[n] = this.internProduct(row);
    this.cTime[n] = time;
    this.cValue[n] = Math.abs(value);
    this.cLine[n] = row.line;
    this.cancelValue += Math.abs(value);
    this.customerFlags[customer] |= HAS_CANCELLATION;
    this.detail = `${why}, value ${Math.abs(value).toFixed(2)}`;
    this.exclude(R.cancellation, row);
  }

  private purchase(
    customer: number,
    row: RawTransaction,
    time: number,
    value: number,
    quantity: number,
  ): void {
    const orderId = row.orderId;
    let o = -1;
    if (orderId.length > 0 && orderId === this.lastOrderText && customer === this.lastOrderCustomer)
      o = this.lastOrder;
    else if (orderId.length > 0) {
      const p = this.prepared;
      const hi = p ? p.keys[this.preparedAt + 2] : orderKey(this.hasher, orderId).hi;
      const lo = p ? p.keys[this.preparedAt + 3] : this.hasher.lo;
      o = this.orderIndex.get(hi, lo);
      if (o < 0) {
        o = this.newOrder(customer, time, row);
        this.orderIndex.insert(hi, lo, o);
      } else if (this.oCustomer[o] !== customer) {
        o = this.conflictingOrder(o, customer, time, row);
      }
    } else {
      o = this.newOrder(customer, time, row);
    }
    this.lastOrderText = orderId;
    this.lastOrderCustomer = customer;
    this.lastOrder = o;
    this.oAmount[o] += value;
    if (time < this.oTime[o]) this.oTime[o] = time;
    this.oLines[o]++;
    if (this.oConflicting[o] === 2) this.conflictRows++;
    this.rowsUsed++;
    this.customerFlags[customer] |= HAS_PURCHASE;
    if (this.config.keepLines || row.productId !== undefined) this.addLine(o, row, quantity, value);
  }

  /** The order id belongs to another customer: this customer gets an order of its own under the same id. */
  private conflictingOrder(owner: number, customer: number, time: number, row: RawTransaction): number {
    this.conflictIndex ??= new HashMap64(1024);
    const h = this.hasher.reset(2).field(row.orderId).int(customer).finish();
    const hi = h.hi;
    const lo = h.lo;
    let o = this.conflictIndex.get(hi, lo);
    if (o >= 0) return o;
    o = this.newOrder(customer, time, row);
    this.conflictIndex.insert(hi, lo, o);
    this.oConflicting[owner] = 1;
    // 2 = the order of a customer reusing someone else's id: its rows are counted as conflicting.
    this.oConflicting[o] = 2;
    this.conflictOrders++;
    if (this.conflictExamples.length < this.config.maxExamples) {
      this.conflictExamples.push({
        line: row.line,
        text: `order ${row.orderId} of customer ${this.customerIds[customer]} was first seen for customer ${this.customerIds[this.oCustomer[owner]]}`,
      });
    }
    return o;
  }

  private newOrder(customer: number, time: number, row: RawTransaction): number {
    const o = this.orderCount++;
    if (o >= this.oCustomer.length) {
      this.oCustomer = growInt32(this.oCustomer, o + 1);
      this.oTime = growFloat64(this.oTime, o + 1);
      this.oAmount = growFloat64(this.oAmount, o + 1);
      this.oLines = growInt32(this.oLines, o + 1);
      this.oFirstLine = growInt32(this.oFirstLine, o + 1);
      this.oConflicting = growUint8(this.oConflicting, o + 1);
      if (this.oChannel) this.oChannel = growChannel(this.oChannel, o + 1);
    }
    this.oCustomer[o] = customer;
    this.oTime[o] = time;
    this.oAmount[o] = 0;
    this.oLines[o] = 0;
    this.oFirstLine[o] = row.line;
    const channel = row.channel;
    if (channel !== undefined && channel.length > 0) {
      this.oChannel ??= growChannel(new Int32Array(0), this.oCustomer.length);
      let c = this.channelIndex.get(channel);
      if (c === undefined) {
        c = this.channels.length;
        this.channelIndex.set(channel, c);
        this.channels.push(channel);
      }
      this.oChannel[o] = c;
    } else if (this.oChannel) this.oChannel[o] = -1;
    this.orderIds?.push(row.orderId);
    return o;
  }

  private addLine(order: number, row: RawTransaction, quantity: number, value: number): void {
    const l = this.lineCount++;
    const keep = this.config.keepLines;
    if (l >= this.lOrder.length) {
      const need = Math.max(l + 1, 1024);
      this.lOrder = growInt32(this.lOrder, need);
      this.lProduct = growInt32(this.lProduct, need);
      if (keep) {
        this.lQuantity = growFloat64(this.lQuantity, need);
        this.lAmount = growFloat64(this.lAmount, need);
      }
    }
    this.lOrder[l] = order;
    this.lProduct[l] = this.internProduct(row);
    if (keep) {
      this.lQuantity[l] = quantity;
      this.lAmount[l] = value;
    }
  }
}

function growChannel(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  const b = growInt32(a, need);
  if (b !== a) b.fill(-1, a.length);
  return b;
}
