/** One-line explanations for quality-report examples (built only for the first few rows per reason). */
import type { RawTransaction } from '../../../domain/raw-transaction';
import type { CleanerConfig } from './config';
import { MS_PER_DAY } from './parse-timestamp';
import type { ExclusionReason } from './types';

export function describeExclusion(
  reason: ExclusionReason,
  row: RawTransaction,
  detail: string,
  context: { config: CleanerConfig },
): string {
  const { config } = context;
  switch (reason) {
    case 'malformed_line':
      return row.malformed ?? 'malformed line';
    case 'missing_customer_id':
      return `order ${quote(row.orderId)} has no customer id`;
    case 'unparseable_date':
      return `date ${quote(row.date)} is not yyyy-mm-dd[THH:MM[:SS]][Z]`;
    case 'unparseable_amount':
      return row.amount !== undefined
        ? `amount ${quote(row.amount)} is not a number`
        : `quantity ${quote(row.quantity)} × unit price ${quote(row.unitPrice)} is not a number`;
    case 'duplicate_row':
      return `repeats an earlier row (customer ${row.customerId}, order ${row.orderId}, ${row.date})`;
    case 'future_date':
      return `date ${row.date} is after the observation end ${isoDay(config.observationEnd)}`;
    case 'unknown_currency':
      return `no rate from ${quote(row.currency)} to ${config.baseCurrency} in the currency table`;
    case 'adjustment':
      return `order ${row.orderId} is an adjustment (id starts with "${config.adjustmentOrderPrefix}")`;
    case 'cancellation':
      return `order ${row.orderId}: cancellation (${detail}) netted against customer ${row.customerId}`;
    case 'zero_or_negative_amount':
      return `order ${row.orderId}: amount ${amountText(row)} is not positive`;
    case 'implausible_amount':
    case 'anomalous_order':
      return detail;
  }
}

export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The amount as written: the amount column, or quantity × unit price. */
export function amountText(row: RawTransaction): string {
  return row.amount !== undefined ? String(row.amount) : `${row.quantity} × ${row.unitPrice}`;
}

/** A number (a row built from stored records) is quoted as its text. */
function quote(value: string | number | undefined): string {
  if (value === undefined) return '(none)';
  const s = String(value);
  return `"${s.length > 40 ? `${s.slice(0, 39)}…` : s}"`;
}
