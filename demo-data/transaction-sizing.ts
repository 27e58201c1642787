/**
 * How many rows the transaction generator is expected to write per customer, so a caller can ask for "about N
 * rows" (the benchmark's 10 million) and get the customer count that produces them.
 */

import type { BgNbdParams } from '../worker/analytics/clv/types';
import { hyp2f1 } from '../worker/analytics/math/special';
import { validateTransactionOptions, type TransactionGeneratorOptions } from './transaction-options';

/** E[X(t)] of a new BG/NBD customer: Fader, Hardie & Lee (2005), eq. 9. */
export function bgnbdExpectedRepeatPurchases(params: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = params;
  if (t <= 0) return 0;
  return (
    ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
  );
}

/** Expected purchase orders per customer: 1 + E[X(T)] with T uniform over the customers' observation times. */
export function expectedOrdersPerCustomer(options: TransactionGeneratorOptions): number {
  const { startMs, acquisitionEndMs, endMs } = validateTransactionOptions(options);
  const unitMs = options.timeUnitDays * 86_400_000;
  const tMin = (endMs - acquisitionEndMs) / unitMs;
  const tMax = (endMs - startMs) / unitMs;
  // Composite Simpson's rule over the uniform T; E[X(t)] is smooth and concave, 64 panels is plenty.
  const panels = 64;
  const h = (tMax - tMin) / panels;
  let sum = 0;
  for (let i = 0; i <= panels; i++) {
    const weight = i === 0 || i === panels ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * bgnbdExpectedRepeatPurchases(options.purchase, tMin + i * h);
  }
  return 1 + (h * sum) / 3 / (tMax - tMin);
}

/** Expected rows per customer, faults included (approximately: refunds near the end are sometimes skipped). */
export function expectedRowsPerCustomer(options: TransactionGeneratorOptions): number {
  const orders = expectedOrdersPerCustomer(options);
  const lines = options.productLines ? 1 + options.extraLinesPerOrder : 1;
  if (options.clean) return orders * lines;
  const f = options.faults;
  return orders * lines * (1 + f.duplicateRate + f.badRowRate + f.cancellationRate) + orders * f.refundRate;
}

/** Customers needed for about `rows` rows. */
export function customersForRows(rows: number, options: TransactionGeneratorOptions): number {
  return Math.max(1, Math.round(rows / expectedRowsPerCustomer(options)));
}
