/**
 * Nets cancellation and refund rows against the customer's purchases, chronologically:
 * 1. against the most recent order on or before the cancellation that contains the same product, then the
 *    one before it, and so on;
 * 2. what is left, against the customer's most recent orders on or before the cancellation, any product;
 * 3. what is still left is unmatched (the purchase predates the data) and reduces nothing: a refund of an
 *    old purchase must not eat into later, unrelated ones.
 * An order is never taken below zero. Orders netted to zero are fully cancelled (the caller drops them).
 */

/** Anything smaller than this (currency units) is rounding residue. */
export const NETTING_TOLERANCE = 1e-6;

export const NETTING_RULE =
  'each cancellation is subtracted from the most recent earlier order(s) of the same customer with the same ' +
  "product, then from the customer's most recent earlier orders of any product, never below zero; the rest " +
  'is unmatched. Orders netted to zero are removed.';

export type OrdersForNetting = {
  customer: Int32Array;
  time: Float64Array;
  amount: Float64Array;
  count: number;
  /** 1 = not a real order (implausible amount): nothing is netted against it. */
  skip?: Uint8Array;
};
export type LinesForNetting = { order: Int32Array; product: Int32Array; count: number };
export type Cancellations = {
  customer: Int32Array;
  /** -1 when the row had no product id. */
  product: Int32Array;
  time: Float64Array;
  /** Positive value in base currency. */
  value: Float64Array;
  count: number;
  /** 1 = not a real cancellation (implausible amount): it nets nothing and is not counted. */
  skip?: Uint8Array;
};

export type NettingOutcome = {
  nettedValue: number;
  unmatchedValue: number;
  unmatchedRows: number;
  /** 1 for each order whose amount was reduced. */
  reduced: Uint8Array;
};

/** Mutates `orders.amount`. */
export function netCancellations(
  orders: OrdersForNetting,
  lines: LinesForNetting | null,
  cancellations: Cancellations,
  customerCount: number,
  productCount: number,
): NettingOutcome {
  const reduced = new Uint8Array(orders.count);
  const outcome: NettingOutcome = { nettedValue: 0, unmatchedValue: 0, unmatchedRows: 0, reduced };
  if (cancellations.count === 0) return outcome;

  const skipOrder = orders.skip;
  const skipCancellation = cancellations.skip;
  const cancels = new Uint8Array(customerCount);
  for (let i = 0; i < cancellations.count; i++) {
    if (skipCancellation?.[i] !== 1) cancels[cancellations.customer[i]] = 1;
  }

  const byTime = (a: number, b: number) => orders.time[a] - orders.time[b];
  const byCustomer = new Map<number, number[]>();
  for (let o = 0; o < orders.count; o++) {
    const c = orders.customer[o];
    if (cancels[c] === 0 || skipOrder?.[o] === 1) continue;
    const list = byCustomer.get(c);
    if (list) list.push(o);
    else byCustomer.set(c, [o]);
  }
  for (const list of byCustomer.values()) list.sort(byTime);

  const byProduct = new Map<number, number[]>();
  if (lines) {
    for (let l = 0; l < lines.count; l++) {
      const p = lines.product[l];
      if (p < 0) continue;
      const o = lines.order[l];
      const c = orders.customer[o];
      if (cancels[c] === 0 || skipOrder?.[o] === 1) continue;
      const key = c * productCount + p;
      const list = byProduct.get(key);
      if (!list) byProduct.set(key, [o]);
      else if (list[list.length - 1] !== o) list.push(o);
    }
    for (const list of byProduct.values()) list.sort(byTime);
  }

  const drain = (list: number[] | undefined, t: number, remaining: number): number => {
    if (!list) return remaining;
    // Last order placed on or before t.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (orders.time[list[mid]] <= t) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo - 1; j >= 0 && remaining > NETTING_TOLERANCE; j--) {
      const o = list[j];
      const take = Math.min(remaining, orders.amount[o]);
      if (take <= 0) continue;
      orders.amount[o] -= take;
      remaining -= take;
      outcome.nettedValue += take;
      reduced[o] = 1;
    }
    return remaining;
  };

  const order = Array.from({ length: cancellations.count }, (_, i) => i).sort(
    (a, b) => cancellations.time[a] - cancellations.time[b] || a - b,
  );
  for (const i of order) {
    if (skipCancellation?.[i] === 1) continue;
    const c = cancellations.customer[i];
    const p = cancellations.product[i];
    const t = cancellations.time[i];
    let remaining = cancellations.value[i];
    if (p >= 0) remaining = drain(byProduct.get(c * productCount + p), t, remaining);
    if (remaining > NETTING_TOLERANCE) remaining = drain(byCustomer.get(c), t, remaining);
    if (remaining > NETTING_TOLERANCE) {
      outcome.unmatchedValue += remaining;
      outcome.unmatchedRows++;
    }
  }
  return outcome;
}
