import { hyp2f1 } from '../../worker/analytics/math/special';
import { PRODUCT_CATALOGUE } from '../../demo-data/product-catalogue';
import { transactionCsvHeader, transactionCsvLine } from '../../demo-data/transaction-csv';
import {
  DEMO_TRANSACTION_OPTIONS,
  transactionOptions,
  type TransactionGeneratorOptions,
} from '../../demo-data/transaction-options';
import { expectedRowsPerCustomer } from '../../demo-data/transaction-sizing';
import {
  CHANNELS,
  generateTransactions,
  type GenerationSummary,
  type TransactionRow,
} from '../../demo-data/transactions';

const WEEK_MS = 7 * 86_400_000;

function collect(options: TransactionGeneratorOptions): {
  rows: TransactionRow[];
  summary: GenerationSummary;
} {
  const rows: TransactionRow[] = [];
  const iterator = generateTransactions(options);
  while (true) {
    const next = iterator.next();
    if (next.done) return { rows, summary: next.value };
    rows.push(next.value);
  }
}

type Order = { customerId: string; time: number; amount: number; lines: number };

function ordersOf(rows: TransactionRow[]): Map<string, Order> {
  const orders = new Map<string, Order>();
  for (const row of rows) {
    const order = orders.get(row.orderId);
    if (order) {
      order.amount += Number(row.amount);
      order.lines++;
    } else {
      orders.set(row.orderId, {
        customerId: row.customerId,
        time: Date.parse(row.date),
        amount: Number(row.amount),
        lines: 1,
      });
    }
  }
  return orders;
}

describe('generateTransactions (clean)', () => {
  const options = transactionOptions({ customers: 20_000, clean: true, seed: 7 });
  const { rows, summary } = collect(options);
  const orders = ordersOf(rows);
  const startMs = Date.parse(`${options.start}T00:00:00Z`);
  const endMs = Date.parse(`${options.end}T00:00:00Z`) + 86_400_000;

  it('writes well-formed rows in date order within the observation window', () => {
    let previous = -Infinity;
    let problems = 0;
    const productIds = new Set(PRODUCT_CATALOGUE.map((p) => p.id));
    for (const row of rows) {
      const t = Date.parse(row.date);
      const amount = Number(row.amount);
      const quantity = Number(row.quantity);
      const unitPrice = Number(row.unitPrice);
      const ok =
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(row.date) &&
        t >= previous &&
        t >= startMs &&
        t < endMs &&
        /^\d+\.\d{2}$/.test(row.amount) &&
        amount > 0 &&
        Number.isInteger(quantity) &&
        quantity >= 1 &&
        Math.abs(quantity * unitPrice - amount) < 0.005 &&
        productIds.has(row.productId) &&
        (CHANNELS as readonly string[]).includes(row.channel) &&
        row.currency === 'USD' &&
        row.raw === undefined;
      if (!ok) problems++;
      previous = t;
    }
    expect(problems).toBe(0);
    expect(summary.rows).toBe(rows.length);
    expect(summary.orders).toBe(orders.size);
    expect(summary.customers).toBe(20_000);
    expect(summary.cancelledOrders + summary.refunds + summary.duplicateRows + summary.badRows).toBe(0);
  });

  it('acquires customers uniformly over the acquisition window', () => {
    const firstPurchase = new Map<string, number>();
    for (const order of orders.values()) {
      if (!firstPurchase.has(order.customerId)) firstPurchase.set(order.customerId, order.time);
    }
    expect(firstPurchase.size).toBe(20_000);
    const windowMs = options.acquisitionDays * 86_400_000;
    const u = [...firstPurchase.values()].map((t) => (t - startMs) / windowMs);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(3 * Math.sqrt(1 / 12 / u.length));
  });

  it('makes repeat purchases at the BG/NBD rate: Σ x_i matches Σ E[X(T_i)] (FHL 2005, eq. 9) within 3 SE', () => {
    const { r, alpha, a, b } = options.purchase;
    const formula = (t: number) =>
      ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
    // Tabulated per day of age and interpolated: the series is slow near t/(α+t) → 1 and E[X(t)] is smooth.
    const step = 1 / 7;
    const table = Array.from({ length: Math.ceil(110 / step) + 2 }, (_, i) => formula(i * step));
    const expectedX = (t: number) => {
      const i = Math.floor(t / step);
      const f = t / step - i;
      return table[i] * (1 - f) + table[i + 1] * f;
    };
    const perCustomer = new Map<string, { first: number; orders: number }>();
    for (const order of orders.values()) {
      const c = perCustomer.get(order.customerId);
      if (c) c.orders++;
      else perCustomer.set(order.customerId, { first: order.time, orders: 1 });
    }
    // Residuals x_i − E[X(T_i)] are independent across customers; their sample SD gives the standard error.
    const residuals = [...perCustomer.values()].map(
      (c) => c.orders - 1 - expectedX((endMs - c.first) / WEEK_MS),
    );
    const mean = residuals.reduce((s, v) => s + v, 0) / residuals.length;
    const sd = Math.sqrt(residuals.reduce((s, v) => s + (v - mean) ** 2, 0) / (residuals.length - 1));
    expect(Math.abs(mean)).toBeLessThan((3 * sd) / Math.sqrt(residuals.length));
  });

  it('gives first orders a mean value of p·v/(q−1) (Gamma-Gamma) within 3 SE', () => {
    const seen = new Set<string>();
    const firstValues: number[] = [];
    for (const order of orders.values()) {
      if (seen.has(order.customerId)) continue;
      seen.add(order.customerId);
      firstValues.push(order.amount);
    }
    const { p, q, v } = options.spend;
    const mean = firstValues.reduce((s, x) => s + x, 0) / firstValues.length;
    const sd = Math.sqrt(firstValues.reduce((s, x) => s + (x - mean) ** 2, 0) / (firstValues.length - 1));
    expect(Math.abs(mean - (p * v) / (q - 1))).toBeLessThan((3 * sd) / Math.sqrt(firstValues.length));
  });

  it('spreads orders over 1 + Poisson(0.6) distinct products', () => {
    const lineCounts = [...orders.values()].map((o) => o.lines);
    const meanLines = lineCounts.reduce((s, x) => s + x, 0) / lineCounts.length;
    // E[lines] = 1.6, Var = 0.6
    expect(Math.abs(meanLines - 1.6)).toBeLessThan(3 * Math.sqrt(0.6 / lineCounts.length));
    const repeatedProduct = new Set<string>();
    let duplicates = 0;
    for (const row of rows) {
      const key = `${row.orderId}/${row.productId}`;
      if (repeatedProduct.has(key)) duplicates++;
      repeatedProduct.add(key);
    }
    expect(duplicates).toBe(0);
  });

  it('comes close to the expected row count', () => {
    const expected = expectedRowsPerCustomer(options) * options.customers;
    expect(Math.abs(rows.length / expected - 1)).toBeLessThan(0.03);
  });

  it('is reproducible from the seed', () => {
    const small = transactionOptions({ customers: 200, seed: 99 });
    expect(collect(small).rows).toEqual(collect(small).rows);
    expect(collect({ ...small, seed: 100 }).rows).not.toEqual(collect(small).rows);
  });
});

describe('generateTransactions (with data-quality faults)', () => {
  const options = transactionOptions({
    customers: 5000,
    seed: 3,
    faults: { cancellationRate: 0.05, refundRate: 0.05, duplicateRate: 0.02, badRowRate: 0.02 },
  });
  const { rows, summary } = collect(options);

  it('adds cancellations, refunds, duplicates and bad rows at about the requested rates', () => {
    const negative = rows.filter((r) => r.amount.startsWith('-'));
    const refundRows = negative.filter((r) => r.orderId.startsWith('R'));
    expect(refundRows).toHaveLength(summary.refunds);
    const cancelled = new Set(negative.filter((r) => r.orderId.startsWith('O')).map((r) => r.orderId));
    expect(cancelled.size).toBe(summary.cancelledOrders);
    // Binomial counts: expect within 4 SD of n·rate.
    const near = (k: number, n: number, rate: number) =>
      expect(Math.abs(k - n * rate)).toBeLessThan(4 * Math.sqrt(n * rate * (1 - rate)) + 1);
    near(summary.cancelledOrders, summary.orders, 0.05);
    // A few refunds fall after the observation end and are skipped.
    expect(summary.refunds).toBeLessThanOrEqual(summary.orders);
    near(summary.refunds + summary.cancelledOrders, summary.orders, 0.1);
    const purchaseLines = rows.length - summary.duplicateRows - summary.badRows - negative.length;
    near(summary.duplicateRows, purchaseLines, 0.02);
    near(summary.badRows, purchaseLines, 0.02);
  });

  it('cancels an order with negative copies of its lines, the same day and before the end', () => {
    const byOrder = new Map<string, TransactionRow[]>();
    for (const row of rows) byOrder.set(row.orderId, [...(byOrder.get(row.orderId) ?? []), row]);
    const endMs = Date.parse(`${options.end}T00:00:00Z`) + 86_400_000;
    let checked = 0;
    for (const lines of byOrder.values()) {
      const negatives = lines.filter((l) => l.amount.startsWith('-'));
      if (negatives.length === 0 || !lines[0].orderId.startsWith('O')) continue;
      const positives = lines.filter((l) => !l.amount.startsWith('-'));
      const key = (l: TransactionRow) =>
        `${l.productId}|${l.amount.replace('-', '')}|${l.quantity.replace('-', '')}`;
      expect(new Set(negatives.map(key))).toEqual(new Set(positives.map(key)));
      const hours = (Date.parse(negatives[0].date) - Date.parse(positives[0].date)) / 3_600_000;
      expect(hours).toBeGreaterThanOrEqual(0);
      expect(hours).toBeLessThanOrEqual(6);
      expect(Date.parse(negatives[0].date)).toBeLessThan(endMs);
      checked++;
    }
    expect(checked).toBe(summary.cancelledOrders);
  });

  it('writes bad rows the cleaner must reject', () => {
    const bad = rows.filter((r) => r.orderId.startsWith('X'));
    expect(bad).toHaveLength(summary.badRows);
    const kinds = new Set(
      bad.map((r) =>
        r.raw !== undefined
          ? 'malformed'
          : r.customerId === ''
            ? 'missing-customer'
            : r.amount === 'N/A'
              ? 'bad-amount'
              : r.amount === '0.00'
                ? 'zero-amount'
                : r.date.slice(5, 10) === '02-30'
                  ? 'bad-date'
                  : Date.parse(r.date) > Date.parse(`${options.end}T23:59:59Z`)
                    ? 'future-date'
                    : 'unexpected',
      ),
    );
    expect([...kinds].sort()).toEqual(
      ['bad-amount', 'bad-date', 'future-date', 'malformed', 'missing-customer', 'zero-amount'].sort(),
    );
  });
});

describe('transaction CSV layout', () => {
  it('names the generic layout columns, without product columns when there are no lines', () => {
    expect(transactionCsvHeader(true)).toBe(
      'customer_id,order_id,date,amount,product_id,quantity,unit_price,channel,currency',
    );
    expect(transactionCsvHeader(false)).toBe('customer_id,order_id,date,amount,channel,currency');
  });

  it('formats rows field by field and writes malformed rows verbatim', () => {
    const row: TransactionRow = {
      customerId: 'C000001',
      orderId: 'O00000001',
      date: '2024-01-02T03:04:05Z',
      amount: '12.50',
      productId: 'P1001',
      quantity: '2',
      unitPrice: '6.25',
      channel: 'web',
      currency: 'USD',
    };
    expect(transactionCsvLine(row, true)).toBe(
      'C000001,O00000001,2024-01-02T03:04:05Z,12.50,P1001,2,6.25,web,USD',
    );
    expect(transactionCsvLine(row, false)).toBe('C000001,O00000001,2024-01-02T03:04:05Z,12.50,web,USD');
    expect(transactionCsvLine({ ...row, raw: 'a;b;c' }, true)).toBe('a;b;c');
  });

  it('writes one row per order without product lines', () => {
    const { rows, summary } = collect(
      transactionOptions({ customers: 300, productLines: false, clean: true }),
    );
    expect(rows).toHaveLength(summary.orders);
    expect(rows.every((r) => r.productId === '' && r.quantity === '' && r.unitPrice === '')).toBe(true);
  });
});

describe('transaction generator options', () => {
  it('defaults to the documented demo: seed 42, 5,000 customers, two years ending 2024-12-31', () => {
    expect(DEMO_TRANSACTION_OPTIONS).toMatchObject({
      seed: 42,
      customers: 5000,
      start: '2023-01-01',
      end: '2024-12-31',
    });
  });

  it.each([
    [{ start: '2023-02-30' }, /start/],
    [{ acquisitionDays: 800 }, /acquisition window/],
    [{ customers: 1.5 }, /customers/],
    [{ currency: 'usd' }, /currency/],
    [{ faults: { cancellationRate: 1, refundRate: 0, duplicateRate: 0, badRowRate: 0 } }, /cancellationRate/],
  ])('rejects %p', (override, message) => {
    expect(() => generateTransactions(transactionOptions(override)).next()).toThrow(message);
  });
});
