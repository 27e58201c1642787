/** Test data builders: purchase lines from readable baskets. */
import type { LinesInput, OrdersInput } from '../../../worker/analytics/recommend/types';

export type BasketSpec = { customer: number; time: number; products: number[]; amounts?: number[] };

/** One order per spec, one line per listed product (repeats allowed), amount 1 unless given. */
export function buildPurchases(specs: BasketSpec[]): { lines: LinesInput; orders: OrdersInput } {
  const order: number[] = [];
  const product: number[] = [];
  const amount: number[] = [];
  specs.forEach((s, o) => {
    s.products.forEach((p, k) => {
      order.push(o);
      product.push(p);
      amount.push(s.amounts?.[k] ?? 1);
    });
  });
  return {
    lines: {
      order: Int32Array.from(order),
      product: Int32Array.from(product),
      amount: Float64Array.from(amount),
    },
    orders: {
      customer: Int32Array.from(specs.map((s) => s.customer)),
      time: Float64Array.from(specs.map((s) => s.time)),
    },
  };
}

export const DAY = 86_400_000;
