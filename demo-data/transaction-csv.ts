/**
 * The generic transactions CSV layout (connectors/csv/generic-layout.ts): header and line formatting of the
 * generator's rows. Generated fields never contain a comma, quote or newline, so nothing needs quoting.
 */

import type { TransactionRow } from './transactions';

const ORDER_COLUMNS = ['customer_id', 'order_id', 'date', 'amount'] as const;
const PRODUCT_COLUMNS = ['product_id', 'quantity', 'unit_price'] as const;
const TAIL_COLUMNS = ['channel', 'currency'] as const;

/** Header line (no newline); without product columns when the rows have no product lines. */
export function transactionCsvHeader(productLines: boolean): string {
  return [...ORDER_COLUMNS, ...(productLines ? PRODUCT_COLUMNS : []), ...TAIL_COLUMNS].join(',');
}

/** One CSV line (no newline) matching transactionCsvHeader(productLines). */
export function transactionCsvLine(row: TransactionRow, productLines: boolean): string {
  if (row.raw !== undefined) return row.raw;
  const head = row.customerId + ',' + row.orderId + ',' + row.date + ',' + row.amount + ',';
  const products = productLines ? row.productId + ',' + row.quantity + ',' + row.unitPrice + ',' : '';
  return head + products + row.channel + ',' + row.currency;
}
