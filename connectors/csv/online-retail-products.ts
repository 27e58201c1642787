/**
 * Which UCI Online Retail stock codes are goods. The file mixes in service and bookkeeping codes (data
 * README, "StockCode"): POST / DOT / C2 (postage and carriage), D (discount), M / m (manual), S (samples),
 * B (bad-debt adjustment), BANK CHARGES, AMAZONFEE, CRUK (charity commission), gift_0001_* (gift vouchers).
 * Recommending them, or letting them drive co-purchase similarity (POST is on most foreign orders), is noise.
 */
const NON_PRODUCT_CODES = new Set([
  'POST',
  'DOT',
  'C2',
  'D',
  'M',
  'S',
  'B',
  'BANK CHARGES',
  'AMAZONFEE',
  'CRUK',
]);

/** true for a stock code that is a product one can recommend. */
export function isOnlineRetailProduct(stockCode: string): boolean {
  const code = stockCode.trim();
  if (code === '') return false;
  if (NON_PRODUCT_CODES.has(code.toUpperCase())) return false;
  return !code.toLowerCase().startsWith('gift_');
}
