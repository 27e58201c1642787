/** Money, percent, number and date texts for playbooks and actions (en-US digits, the tenant's currency). */

const moneyFormats = new Map<string, Intl.NumberFormat | null>();

function moneyFormat(currency: string, cents: boolean): Intl.NumberFormat | null {
  const key = `${currency}${cents ? '.' : ''}`;
  let format = moneyFormats.get(key);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        currencyDisplay: 'narrowSymbol',
        minimumFractionDigits: cents ? 2 : 0,
        maximumFractionDigits: cents ? 2 : 0,
      });
    } catch {
      format = null; // not an ISO code Intl knows: "XYZ 1,200"
    }
    if (moneyFormats.size < 1000) moneyFormats.set(key, format);
  }
  return format;
}

/** $1,200 for amounts of 100 and more, $42.50 below (a small order value reads better with cents). */
export function formatMoney(amount: number, currency: string): string {
  if (!Number.isFinite(amount)) return '–';
  const cents = Math.abs(amount) < 100;
  const format = moneyFormat(currency, cents);
  if (format) return format.format(amount);
  return `${currency} ${formatNumber(amount, cents ? 2 : 0)}`;
}

/** 0.125 → "13%" (digits 0), "12.5%" (digits 1). */
export function formatPercent(fraction: number, digits = 0): string {
  return Number.isFinite(fraction) ? `${(100 * fraction).toFixed(digits)}%` : '–';
}

// Number#toLocaleString builds a formatter on every call (tens of µs); a card formats dozens of numbers.
const numberFormats = new Map<number, Intl.NumberFormat>();

export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  const d = Math.min(6, Math.max(0, Math.round(digits)));
  let format = numberFormats.get(d);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d });
    numberFormats.set(d, format);
  }
  return format.format(value);
}

/** A ratio as "3×" or "2.5×" (one decimal at most). */
export function formatTimes(ratio: number): string {
  return Number.isFinite(ratio) ? `${formatNumber(ratio, 1)}×` : '–';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-03-09" (or an ISO date-time) → "9 Mar 2026", read as a calendar day (no time zone shift). */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return '–';
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** plural(1, 'day', 'days') → "1 day"; plural(3, …) → "3 days". */
export function formatPlural(n: number, singular: string, plural: string): string {
  return `${formatNumber(n)} ${n === 1 ? singular : plural}`;
}
