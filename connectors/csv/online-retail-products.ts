/**
 * Which UCI Online Retail stock codes are goods. The file mixes in service and bookkeeping codes (data
 * README, "StockCode"): POST / DOT / C2 (postage and carriage), D (discount), M / m (manual), S (samples),
 * B (bad-debt adjustment), BANK CHARGES, AMAZONFEE, CRUK (charity commission), gift_0001_* (gift vouchers).
 * Recommending them, letting them drive co-purchase similarity (POST is on most foreign orders) or counting
 * them towards a customer's interests is noise. One list serves the recommender and the categories.
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

/** true for a stock code that is a charge, an adjustment or a gift voucher rather than merchandise. */
export function isOnlineRetailNonProductCode(stockCode: string): boolean {
  const code = stockCode.trim().toUpperCase();
  // gift_0001_10 … are gift vouchers: money, not merchandise.
  return NON_PRODUCT_CODES.has(code) || code.startsWith('GIFT_');
}

/** true for a stock code that is a product one can recommend (an empty code is none). */
export function isOnlineRetailProduct(stockCode: string): boolean {
  return stockCode.trim() !== '' && !isOnlineRetailNonProductCode(stockCode);
}
