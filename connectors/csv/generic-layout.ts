/**
 * The generic transactions CSV: a header with customer_id, order_id, date, amount (required) and
 * product_id, quantity, unit_price, channel, currency (optional), in any order; other columns are ignored.
 */
import { InputFormatError } from './errors';
import { columnIndex, describeHeader, normalizeHeader, type RowLayout } from './row-layout';

export const GENERIC_REQUIRED_COLUMNS = ['customer_id', 'order_id', 'date', 'amount'] as const;
export const GENERIC_OPTIONAL_COLUMNS = [
  'product_id',
  'quantity',
  'unit_price',
  'channel',
  'currency',
] as const;

export function genericLayout(path: string, headerFields: string[]): RowLayout {
  const header = normalizeHeader(headerFields);
  const missing = GENERIC_REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new InputFormatError(
      path,
      `expected the generic transactions layout, a header row with columns ${GENERIC_REQUIRED_COLUMNS.join(', ')} ` +
        `(optional ${GENERIC_OPTIONAL_COLUMNS.join(', ')}); found header ${describeHeader(headerFields)}, ` +
        `missing ${missing.join(', ')}. Rename the columns, or pass the matching --format ` +
        `(online-retail, cdnow).`,
    );
  }
  const c = columnIndex(header, 'customer_id');
  const o = columnIndex(header, 'order_id');
  const d = columnIndex(header, 'date');
  const a = columnIndex(header, 'amount');
  const p = columnIndex(header, 'product_id');
  const q = columnIndex(header, 'quantity');
  const u = columnIndex(header, 'unit_price');
  const ch = columnIndex(header, 'channel');
  const cur = columnIndex(header, 'currency');
  return {
    fieldCount: headerFields.length,
    firstRecordIsHeader: true,
    toRow: (f, line) => ({
      line,
      customerId: f[c],
      orderId: f[o],
      date: f[d],
      amount: f[a],
      productId: p < 0 ? undefined : f[p],
      quantity: q < 0 ? undefined : f[q],
      unitPrice: u < 0 ? undefined : f[u],
      channel: ch < 0 ? undefined : f[ch],
      currency: cur < 0 ? undefined : f[cur],
      country: undefined,
      description: undefined,
      malformed: undefined,
    }),
  };
}
