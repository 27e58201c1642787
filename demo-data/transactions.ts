/**
 * Streaming generator of a synthetic retailer's order lines, in date order, in the generic CSV layout
 * (customer_id, order_id, date, amount, product_id, quantity, unit_price, channel, currency).
 *
 * Customers make their first purchase at a time uniform over the acquisition window; after that they follow the
 * BG/NBD process exactly, in continuous time (Exponential(λ) gaps while active, dropout with probability p after
 * each repeat purchase; see bgnbd-simulation.ts), until the end of the observation day. Each order's value is
 * Gamma-Gamma (z ~ Gamma(p, ν), ν ~ Gamma(q, v) per customer) and is split over product lines. Unless `clean`,
 * some orders are cancelled or refunded, and some rows are duplicated or broken, to exercise the cleaner.
 *
 * Memory is per active customer (a few typed-array slots) plus pending refunds: 10 million rows stream in a few
 * tens of MiB. Pure and seeded: the same options give the same rows.
 */

import { EventQueue } from './event-queue';
import { isoSecond, money, paddedId } from './format-fields';
import { PRODUCT_CATALOGUE, PRODUCT_CATEGORIES } from './product-catalogue';
import { createRandom, type SeededRandom } from '../worker/analytics/math/random';
import { validateTransactionOptions, type TransactionGeneratorOptions } from './transaction-options';

/** One CSV row, every field already formatted. */
export type TransactionRow = {
  customerId: string;
  orderId: string;
  /** ISO 8601 UTC to the second, e.g. 2024-03-05T14:23:11Z. */
  date: string;
  /** Line amount (quantity × unit price; negative for cancellations and refunds). */
  amount: string;
  productId: string;
  quantity: string;
  unitPrice: string;
  channel: string;
  currency: string;
  /** When set, the row is a deliberately malformed line written verbatim instead of the fields. */
  raw?: string;
};

export type GenerationSummary = {
  customers: number;
  /** Purchase orders (before cancellations and refunds). */
  orders: number;
  /** All rows yielded, bad ones included. */
  rows: number;
  cancelledOrders: number;
  refunds: number;
  duplicateRows: number;
  badRows: number;
};

export const CHANNELS = ['web', 'store', 'phone', 'marketplace'] as const;
const CHANNEL_WEIGHTS = [0.55, 0.25, 0.08, 0.12];
/** Probability an order goes through the customer's usual channel. */
const USUAL_CHANNEL_SHARE = 0.8;
/** Probability a line is from the customer's favourite category. */
const FAVOURITE_CATEGORY_SHARE = 0.6;
const MAX_LINES = 12;
// Local aliases: Math.x is slow inside jest's vm context (see random.ts).
const { max, min, pow, round } = Math;
const MAX_QUANTITY = 24;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

type BadRowKind =
  'missing-customer' | 'bad-date' | 'bad-amount' | 'malformed' | 'zero-amount' | 'future-date';
const BAD_ROW_KINDS: readonly BadRowKind[] = [
  'missing-customer',
  'bad-date',
  'bad-amount',
  'malformed',
  'zero-amount',
  'future-date',
];

/**
 * Yields the rows in date order (late refunds and rows dated after the observation end come where their date
 * puts them); returns a summary when done.
 *
 * Example: `for (const row of generateTransactions(transactionOptions({ customers: 100 }))) …`
 */
export function* generateTransactions(
  options: TransactionGeneratorOptions,
): Generator<TransactionRow, GenerationSummary, undefined> {
  const window = validateTransactionOptions(options);
  const state = new GeneratorState(options, window.endMs);
  const arrivals = new ArrivalClock(options.customers, window.startMs, window.acquisitionEndMs, state.random);
  const out: TransactionRow[] = [];
  while (true) {
    const tArrival = arrivals.peek();
    const tCustomer = state.purchases.peekTime();
    const tPending = state.pendingQueue.peekTime();
    if (tPending <= tArrival && tPending <= tCustomer) {
      if (tPending === Infinity) break;
      state.releasePending(out);
    } else if (tArrival <= tCustomer) {
      arrivals.next();
      const slot = state.acquire();
      state.order(slot, tArrival, out);
      state.scheduleNext(slot, tArrival, true);
    } else {
      const slot = state.purchases.pop();
      state.order(slot, tCustomer, out);
      state.scheduleNext(slot, tCustomer, false);
    }
    for (let i = 0; i < out.length; i++) yield out[i];
    state.summary.rows += out.length;
    out.length = 0;
  }
  return state.summary;
}

/**
 * First-purchase times in increasing order without storing them: ascending uniform order statistics,
 * U(k) = 1 − (1 − U(k−1))·V^(1/(n−k+1)) (the minimum of the n−k+1 uniforms still above U(k−1); Devroye,
 * Non-Uniform Random Variate Generation, 1986, §V.3).
 */
class ArrivalClock {
  private u = 0;
  private remaining: number;
  private nextMs = Infinity;

  constructor(
    customers: number,
    private readonly startMs: number,
    private readonly endMs: number,
    private readonly random: SeededRandom,
  ) {
    this.remaining = customers;
    this.advance();
  }

  peek(): number {
    return this.nextMs;
  }

  next(): void {
    this.advance();
  }

  private advance(): void {
    if (this.remaining === 0) {
      this.nextMs = Infinity;
      return;
    }
    this.u = 1 - (1 - this.u) * pow(this.random.uniformPositive(), 1 / this.remaining);
    this.remaining--;
    this.nextMs = this.startMs + this.u * (this.endMs - this.startMs);
  }
}

/** Cumulative weights for sampling an index by weight. */
function cumulative(weights: readonly number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (c[i] = total += w));
  return c.map((v) => v / total);
}

function pick(cdf: Float64Array, u: number): number {
  let i = 0;
  while (i < cdf.length - 1 && cdf[i] <= u) i++;
  return i;
}

const CHANNEL_CDF = cumulative(CHANNEL_WEIGHTS);
const CATEGORY_CDF = cumulative(
  PRODUCT_CATEGORIES.map((c) =>
    PRODUCT_CATALOGUE.filter((p) => p.category === c).reduce((a, p) => a + p.popularity, 0),
  ),
);
const PRODUCT_CDF = cumulative(PRODUCT_CATALOGUE.map((p) => p.popularity));
const CATEGORY_PRODUCTS = PRODUCT_CATEGORIES.map((c) =>
  PRODUCT_CATALOGUE.flatMap((p, i) => (p.category === c ? [i] : [])),
);
const CATEGORY_PRODUCT_CDF = CATEGORY_PRODUCTS.map((indices) =>
  cumulative(indices.map((i) => PRODUCT_CATALOGUE[i].popularity)),
);

/** Per-customer state in typed-array slots (reused when a customer leaves) and the output bookkeeping. */
class GeneratorState {
  readonly random: SeededRandom;
  readonly purchases = new EventQueue();
  readonly pendingQueue = new EventQueue();
  readonly summary: GenerationSummary = {
    customers: 0,
    orders: 0,
    rows: 0,
    cancelledOrders: 0,
    refunds: 0,
    duplicateRows: 0,
    badRows: 0,
  };
  private readonly pending: (TransactionRow | undefined)[] = [];
  private readonly freePending: number[] = [];

  private capacity = 0;
  private lambda = new Float64Array(0);
  private dropout = new Float64Array(0);
  private spendRate = new Float64Array(0);
  private customerNo = new Int32Array(0);
  private channel = new Uint8Array(0);
  private favourite = new Uint8Array(0);
  private readonly freeSlots: number[] = [];
  private slotsUsed = 0;

  private readonly unitMs: number;
  private readonly idWidth: number;
  private readonly lineIndex = new Int32Array(MAX_LINES);
  private readonly lineWeight = new Float64Array(MAX_LINES);
  private badRowNo = 0;

  constructor(
    private readonly options: TransactionGeneratorOptions,
    private readonly endMs: number,
  ) {
    this.random = createRandom(options.seed);
    this.unitMs = options.timeUnitDays * DAY_MS;
    this.idWidth = max(6, String(options.customers).length);
  }

  /** A new customer: draws λ, p, ν, usual channel and favourite category. */
  acquire(): number {
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.slotsUsed++;
    if (slot >= this.capacity) this.grow();
    const { purchase, spend } = this.options;
    const random = this.random;
    this.lambda[slot] = random.gamma(purchase.r, purchase.alpha);
    this.dropout[slot] = random.beta(purchase.a, purchase.b);
    this.spendRate[slot] = random.gamma(spend.q, spend.v);
    this.channel[slot] = pick(CHANNEL_CDF, random.uniform());
    this.favourite[slot] = pick(CATEGORY_CDF, random.uniform());
    this.customerNo[slot] = ++this.summary.customers;
    return slot;
  }

  /** BG/NBD: dropout only after repeat purchases; otherwise the next purchase after an Exponential(λ) gap. */
  scheduleNext(slot: number, t: number, firstPurchase: boolean): void {
    if (!firstPurchase && this.random.uniform() < this.dropout[slot]) return this.release(slot);
    const next = t + this.random.exponential(this.lambda[slot]) * this.unitMs;
    if (next < this.endMs) this.purchases.push(slot, next);
    else this.release(slot);
  }

  /** Appends the rows of one purchase at time t (plus any duplicate, bad row, cancellation or refund) to out. */
  order(slot: number, t: number, out: TransactionRow[]): void {
    const { options, random } = this;
    const orderNo = ++this.summary.orders;
    const customerId = paddedId('C', this.customerNo[slot], this.idWidth);
    const orderId = paddedId('O', orderNo, 8);
    const date = isoSecond(t);
    const channel =
      random.uniform() < USUAL_CHANNEL_SHARE
        ? CHANNELS[this.channel[slot]]
        : CHANNELS[pick(CHANNEL_CDF, random.uniform())];
    const value = random.gamma(options.spend.p, this.spendRate[slot]);
    const first = out.length;
    if (options.productLines) this.splitIntoLines(slot, value, out, customerId, orderId, date, channel);
    else
      out.push(
        row(customerId, orderId, date, money(max(0.01, value)), '', '', '', channel, options.currency),
      );
    if (options.clean) return;

    const faults = options.faults;
    const lines = out.slice(first);
    const u = random.uniform();
    if (u < faults.cancellationRate) {
      this.summary.cancelledOrders++;
      // Within six hours, but never past the observation end (it would be dropped as a future row).
      const when = min(t + random.uniform() * 6 * HOUR_MS, this.endMs - 1000);
      for (const line of lines) this.defer(when, reverse(line, line.orderId, isoSecond(when)));
    } else if (u < faults.cancellationRate + faults.refundRate) {
      const when = t + (1 + 29 * random.uniform()) * DAY_MS;
      if (when < this.endMs) {
        this.summary.refunds++;
        const line = lines[random.integer(lines.length)];
        this.defer(when, reverse(line, paddedId('R', orderNo, 8), isoSecond(when)));
      }
    }
    for (const line of lines) {
      if (random.uniform() < faults.duplicateRate) {
        out.push({ ...line });
        this.summary.duplicateRows++;
      }
      if (random.uniform() < faults.badRowRate) this.badRow(line, out);
    }
  }

  /** Rows whose time has come (refunds, cancellations, rows dated after the end). */
  releasePending(out: TransactionRow[]): void {
    const id = this.pendingQueue.pop();
    out.push(this.pending[id] as TransactionRow);
    this.pending[id] = undefined;
    this.freePending.push(id);
  }

  /**
   * Lines of one order: 1 + Poisson(extra) distinct products, from the customer's favourite category with
   * probability 0.6 each, else from the whole catalogue by popularity. The order value is shared out in
   * proportion to list price × a Gamma(2, 2) jitter; quantities bring unit prices near list price.
   */
  private splitIntoLines(
    slot: number,
    value: number,
    out: TransactionRow[],
    customerId: string,
    orderId: string,
    date: string,
    channel: string,
  ): void {
    const random = this.random;
    const count = min(MAX_LINES, 1 + random.poisson(this.options.extraLinesPerOrder));
    const index = this.lineIndex;
    const weight = this.lineWeight;
    let total = 0;
    for (let k = 0; k < count; k++) {
      let product: number;
      let tries = 0;
      do {
        if (random.uniform() < FAVOURITE_CATEGORY_SHARE) {
          const category = this.favourite[slot];
          product = CATEGORY_PRODUCTS[category][pick(CATEGORY_PRODUCT_CDF[category], random.uniform())];
        } else {
          product = pick(PRODUCT_CDF, random.uniform());
        }
      } while (index.subarray(0, k).includes(product) && ++tries < 20);
      index[k] = product;
      weight[k] = PRODUCT_CATALOGUE[product].price * random.gamma(2, 2);
      total += weight[k];
    }
    for (let k = 0; k < count; k++) {
      const product = PRODUCT_CATALOGUE[index[k]];
      const share = (value * weight[k]) / total;
      const quantity = min(MAX_QUANTITY, max(1, round(share / product.price)));
      const unitPrice = max(0.01, round((share / quantity) * 100) / 100);
      out.push(
        row(
          customerId,
          orderId,
          date,
          money(unitPrice * quantity),
          product.id,
          String(quantity),
          money(unitPrice),
          channel,
          this.options.currency,
        ),
      );
    }
  }

  private badRow(line: TransactionRow, out: TransactionRow[]): void {
    const random = this.random;
    const kind = BAD_ROW_KINDS[random.integer(BAD_ROW_KINDS.length)];
    const orderId = paddedId('X', ++this.badRowNo, 8);
    this.summary.badRows++;
    switch (kind) {
      case 'missing-customer':
        out.push({ ...line, customerId: '', orderId });
        return;
      case 'bad-date':
        out.push({ ...line, orderId, date: line.date.slice(0, 5) + '02-30' + line.date.slice(10) });
        return;
      case 'bad-amount':
        out.push({ ...line, orderId, amount: 'N/A' });
        return;
      case 'malformed':
        out.push({ ...line, orderId, raw: `${line.customerId};${orderId};${line.date};${line.amount}` });
        return;
      case 'zero-amount':
        out.push({ ...line, orderId, amount: '0.00', unitPrice: line.unitPrice === '' ? '' : '0.00' });
        return;
      case 'future-date': {
        const when = this.endMs + (1 + 29 * random.uniform()) * DAY_MS;
        this.defer(when, { ...line, orderId, date: isoSecond(when) });
        return;
      }
    }
  }

  private defer(time: number, pendingRow: TransactionRow): void {
    const id = this.freePending.length > 0 ? (this.freePending.pop() as number) : this.pending.length;
    this.pending[id] = pendingRow;
    this.pendingQueue.push(id, time);
  }

  private release(slot: number): void {
    this.freeSlots.push(slot);
  }

  private grow(): void {
    const capacity = max(1024, this.capacity * 2);
    const growF = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    this.lambda = growF(this.lambda);
    this.dropout = growF(this.dropout);
    this.spendRate = growF(this.spendRate);
    const no = new Int32Array(capacity);
    no.set(this.customerNo);
    this.customerNo = no;
    const ch = new Uint8Array(capacity);
    ch.set(this.channel);
    this.channel = ch;
    const fav = new Uint8Array(capacity);
    fav.set(this.favourite);
    this.favourite = fav;
    this.capacity = capacity;
  }
}

function row(
  customerId: string,
  orderId: string,
  date: string,
  amount: string,
  productId: string,
  quantity: string,
  unitPrice: string,
  channel: string,
  currency: string,
): TransactionRow {
  return {
    customerId,
    orderId,
    date,
    amount,
    productId,
    quantity,
    unitPrice,
    channel,
    currency,
    raw: undefined,
  };
}

/** The cancelling row of a line: negative quantity and amount. */
function reverse(line: TransactionRow, orderId: string, date: string): TransactionRow {
  return {
    ...line,
    orderId,
    date,
    amount: '-' + line.amount,
    quantity: line.quantity === '' ? '' : '-' + line.quantity,
  };
}
