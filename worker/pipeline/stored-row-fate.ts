/**
 * What the cleaner (worker/analytics/clean/cleaner.ts, `add`) makes of an engine row, told without cleaning it:
 * a purchase, a cancellation/refund, or excluded. Its rules in its order, for the rows a synced tenant's orders
 * become (jobs/tenant-transactions): those never repeat a row, so the duplicate rule, which needs the rows
 * before, is the one rule not told here. A prepare shard (jobs/cleaned-part) uses it to place what the cleaner
 * interned (products, channels, cancellation events) on its rows, and checks it against the cleaner's result,
 * so a rule that drifted from the cleaner's is caught, not silently merged.
 */
import type { RawTransaction } from '../../domain/raw-transaction';
import type { CleanerConfig } from '../analytics/clean';
import { endOfDayMs } from '../analytics/clean/config';
import { parseDecimal } from '../analytics/clean/parse-decimal';
import { parseTimestamp } from '../analytics/clean/parse-timestamp';

export const EXCLUDED = 0;
export const PURCHASE = 1;
export const CANCELLATION = 2;
export type RowFate = typeof EXCLUDED | typeof PURCHASE | typeof CANCELLATION;

export type RowRules = {
  config: CleanerConfig;
  endMs: number;
  /** Currency code (trimmed, upper case) → rate, the base currency 1, as the cleaner builds it. */
  rates: ReadonlyMap<string, number>;
};

export function rowRules(config: CleanerConfig): RowRules {
  const rates = new Map<string, number>();
  for (const [code, rate] of Object.entries(config.currencyRates)) rates.set(code.trim().toUpperCase(), rate);
  rates.set(config.baseCurrency, 1);
  return { config, endMs: endOfDayMs(config.observationEnd), rates };
}

/** The row's fate and its value in base currency (NaN when excluded before it is known). */
export function storedRowFate(row: RawTransaction, rules: RowRules): { fate: RowFate; value: number } {
  const excluded = { fate: EXCLUDED, value: NaN } as const;
  if (row.malformed !== undefined || row.customerId.trim().length === 0) return excluded;
  const time = parseTimestamp(row.date);
  if (time !== time) return excluded;
  const quantity = parseDecimal(row.quantity);
  const amount = row.amount !== undefined ? parseDecimal(row.amount) : quantity * parseDecimal(row.unitPrice);
  if (amount !== amount || time > rules.endMs) return excluded;
  let rate = 1;
  if (row.currency !== undefined && row.currency.length > 0) {
    rate = rules.rates.get(row.currency.trim().toUpperCase()) ?? NaN;
    if (rate !== rate) return excluded;
  }
  const { adjustmentOrderPrefix, cancelledOrderPrefix, negativeAmountsAreRefunds, keepZeroAmounts } =
    rules.config;
  if (adjustmentOrderPrefix !== undefined && row.orderId.startsWith(adjustmentOrderPrefix)) return excluded;
  const value = amount * rate;
  if (value - value !== 0) return excluded;
  if (cancelledOrderPrefix !== undefined && row.orderId.startsWith(cancelledOrderPrefix))
    return { fate: CANCELLATION, value };
  if (quantity < 0 || (value < 0 && negativeAmountsAreRefunds)) return { fate: CANCELLATION, value };
  if (value < 0 || (value === 0 && !keepZeroAmounts)) return { fate: EXCLUDED, value };
  return { fate: PURCHASE, value };
}
