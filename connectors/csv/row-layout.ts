import type { RawTransaction } from '../../domain/raw-transaction';

/** Maps the split fields of one data record to a RawTransaction. */
export type RowLayout = {
  /** Fields every data record must have; anything else is a malformed line. */
  fieldCount: number;
  /** Whether the first record was a header (false: it is data and must be mapped too). */
  firstRecordIsHeader: boolean;
  toRow(fields: string[], line: number): RawTransaction;
};

/** Lower-cased, trimmed column names, for header matching. */
export function normalizeHeader(fields: string[]): string[] {
  return fields.map((f) => f.trim().toLowerCase());
}

/** Index of the first of `names` present in the normalised header, or -1. */
export function columnIndex(header: string[], ...names: string[]): number {
  for (const name of names) {
    const i = header.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}

export function malformedRow(line: number, reason: string): RawTransaction {
  return {
    line,
    customerId: '',
    orderId: '',
    date: '',
    amount: undefined,
    productId: undefined,
    quantity: undefined,
    unitPrice: undefined,
    channel: undefined,
    currency: undefined,
    country: undefined,
    description: undefined,
    malformed: reason,
  };
}

/** Shows a header in an error message. */
export function describeHeader(fields: string[]): string {
  const shown = fields.slice(0, 12).map((f) => f.trim());
  return `"${shown.join(', ')}${fields.length > 12 ? ', …' : ''}"`;
}
