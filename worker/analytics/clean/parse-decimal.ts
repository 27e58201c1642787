/**
 * Decimal text → number, NaN for anything that is not a finite number. Number('') and Number('  ') are 0 in
 * JavaScript, which would turn a blank amount into a zero purchase, so blanks are rejected.
 *
 * Plain decimals ("-12.50", "3") take a fast path: with digits D (< 2⁵³) and k ≤ 15 decimals, D / 10^k is one
 * correctly rounded IEEE division of two exact values, so the result is bit-identical to Number(text).
 * Everything else (exponents, spaces, '+', long numbers) goes to Number().
 *
 * A number (a row built from stored records) is taken as the value of its decimal text: parseDecimal(String(x))
 * is x for a finite x (String gives the shortest text that reads back as x), except -0, whose text is "0", and
 * NaN or ±Infinity, whose texts do not parse. So a row may carry the number and skip the text round trip.
 */
export function parseDecimal(text: string | number | undefined): number {
  if (text === undefined) return NaN;
  if (typeof text === 'number') return decimalValue(text);
  const n = text.length;
  if (n === 0 || n > 16) return slowParse(text);
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let digits = 0;
  let value = 0;
  let decimals = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) decimals = 0;
    else return slowParse(text);
  }
  if (digits === 0) return NaN;
  if (digits > 15) return slowParse(text);
  if (decimals > 0) value /= POW10[decimals];
  return negative ? -value : value;
}

/** What parseDecimal(String(value)) is, without the string: -0 → 0, non-finite → NaN. */
function decimalValue(value: number): number {
  return value - value === 0 ? value + 0 : NaN;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

function slowParse(text: string): number {
  const v = Number(text);
  if (v === 0) return hasDigit(text) ? 0 : NaN;
  return Number.isFinite(v) ? v : NaN;
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
