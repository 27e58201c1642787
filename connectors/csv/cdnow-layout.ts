/**
 * CDNOW (Fader, Hardie & Lee's dataset as shipped with lifetimes), whitespace-separated:
 * - CDNOW_master.txt: header ` customer_id  date number_of_cds  dollar_value`, 4 columns;
 * - CDNOW_sample.txt: no header, 5 columns master id, sample id, yyyymmdd, cds, dollars.
 * The sample's customer is its sample id, so ids match cdnow_customers_summary*.csv; ids lose their leading
 * zeros ("0001" → "1") for the same reason. CDNOW has no order id: each line is its own order,
 * `<customer>-<yyyymmdd>-<line>`.
 */
import { InputFormatError, clip } from './errors';
import type { RowLayout } from './row-layout';

export function cdnowLayout(path: string, firstFields: string[], firstText: string): RowLayout {
  const looksLikeDay = (s: string | undefined) => s !== undefined && s.length === 8 && isDigits(s);
  if (firstFields[0]?.toLowerCase() === 'customer_id' && firstFields.length === 4) return masterLayout(true);
  if (firstFields.length === 4 && looksLikeDay(firstFields[1])) return masterLayout(false);
  if (firstFields.length === 5 && looksLikeDay(firstFields[2])) {
    return {
      fieldCount: 5,
      firstRecordIsHeader: false,
      toRow: (f, line) => cdnowRow(line, stripLeadingZeros(f[1]), f[2], f[3], f[4]),
    };
  }
  throw new InputFormatError(
    path,
    'expected a CDNOW file: CDNOW_master.txt (header "customer_id date number_of_cds dollar_value", ' +
      '4 whitespace-separated columns) or CDNOW_sample.txt (no header, 5 columns: master id, sample id, ' +
      `yyyymmdd, cds, dollars); found first line "${clip(firstText)}" (${firstFields.length} ` +
      'whitespace-separated columns). Pass the matching --format (generic, online-retail).',
  );
}

function masterLayout(firstRecordIsHeader: boolean): RowLayout {
  return {
    fieldCount: 4,
    firstRecordIsHeader,
    toRow: (f, line) => cdnowRow(line, stripLeadingZeros(f[0]), f[1], f[2], f[3]),
  };
}

function cdnowRow(line: number, customerId: string, date: string, cds: string, dollars: string) {
  return {
    line,
    customerId,
    orderId: `${customerId}-${date}-${line}`,
    date,
    amount: dollars,
    productId: undefined,
    quantity: cds,
    unitPrice: undefined,
    channel: undefined,
    currency: undefined,
    country: undefined,
    description: undefined,
    malformed: undefined,
  };
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

function stripLeadingZeros(id: string): string {
  let i = 0;
  while (i < id.length - 1 && id.charCodeAt(i) === 48) i++;
  return i === 0 ? id : id.slice(i);
}
