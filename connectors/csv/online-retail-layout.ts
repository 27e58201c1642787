/**
 * UCI Online Retail (Chen 2015): InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice,
 * CustomerID, Country; one row per invoice line. The amount is left undefined: the cleaner computes
 * Quantity × UnitPrice. The column names of "Online Retail II" (Invoice, Price, Customer ID) are accepted too.
 */
import { InputFormatError } from './errors';
import { columnIndex, describeHeader, normalizeHeader, type RowLayout } from './row-layout';

const COLUMNS: readonly (readonly string[])[] = [
  ['invoiceno', 'invoice'],
  ['stockcode'],
  ['description'],
  ['quantity'],
  ['invoicedate'],
  ['unitprice', 'price'],
  ['customerid', 'customer id'],
  ['country'],
];

export function onlineRetailLayout(path: string, headerFields: string[]): RowLayout {
  const header = normalizeHeader(headerFields);
  const idx = COLUMNS.map((names) => columnIndex(header, ...names));
  const missing = COLUMNS.filter((_, k) => idx[k] < 0).map((names) => names[0]);
  if (missing.length > 0) {
    throw new InputFormatError(
      path,
      'expected the UCI Online Retail layout, a header row InvoiceNo,StockCode,Description,Quantity,' +
        `InvoiceDate,UnitPrice,CustomerID,Country; found header ${describeHeader(headerFields)} ` +
        `(missing ${missing.join(', ')}). Pass the matching --format (generic, cdnow).`,
    );
  }
  const [inv, stock, desc, qty, date, price, cust, country] = idx;
  return {
    fieldCount: headerFields.length,
    firstRecordIsHeader: true,
    toRow: (f, line) => ({
      line,
      customerId: f[cust],
      orderId: f[inv],
      date: f[date],
      amount: undefined,
      productId: f[stock],
      quantity: f[qty],
      unitPrice: f[price],
      channel: undefined,
      currency: undefined,
      country: f[country],
      description: f[desc],
      malformed: undefined,
    }),
  };
}
