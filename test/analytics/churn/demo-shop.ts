/**
 * The demo retailer (demo-data/transactions: BG/NBD purchases with the CDNOW parameters, Gamma-Gamma spend,
 * four channels) as churn input: the generator's rows grouped into orders (time of the first line, Σ line
 * amounts, the order's channel, its line count), customers indexed by first appearance. `clean` data: no
 * cancellations or broken rows, so no cleaner is needed.
 */
import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import type { ChurnInput } from '../../../worker/analytics/churn/types';
import { transactionOptions } from '../../../demo-data/transaction-options';
import { CHANNELS, generateTransactions } from '../../../demo-data/transactions';

export function demoShop(
  customers: number,
  seed = 42,
): ChurnInput & { observationEnd: string; endDay: number } {
  const options = transactionOptions({ customers, seed, clean: true });
  const customerIndex = new Map<string, number>();
  const orderIndex = new Map<string, number>();
  const customer: number[] = [];
  const time: number[] = [];
  const amount: number[] = [];
  const channel: number[] = [];
  const lineCount: number[] = [];
  for (const row of generateTransactions(options)) {
    let o = orderIndex.get(row.orderId);
    if (o === undefined) {
      let c = customerIndex.get(row.customerId);
      if (c === undefined) customerIndex.set(row.customerId, (c = customerIndex.size));
      o = customer.length;
      orderIndex.set(row.orderId, o);
      customer.push(c);
      time.push(Date.parse(row.date));
      amount.push(0);
      channel.push((CHANNELS as readonly string[]).indexOf(row.channel));
      lineCount.push(0);
    }
    amount[o] += Number(row.amount);
    lineCount[o]++;
  }
  return {
    orders: {
      customer: Int32Array.from(customer),
      time: Float64Array.from(time),
      amount: Float64Array.from(amount),
      channel: Int32Array.from(channel),
      lineCount: Int32Array.from(lineCount),
    },
    customers: customerIndex.size,
    channels: [...CHANNELS],
    observationEnd: options.end,
    endDay: Math.floor(Date.parse(options.end) / MS_PER_DAY),
  };
}
