/** Number, money and date formatting shared by the report's renderings (en-US digits, the tenant's currency). */

export function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

export function pct(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(digits)}%` : '–';
}

export function count(v: number): string {
  return Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';
}

/** Two decimals, grouped, no currency sign (the analyst tables; the currency is named in their heading). */
export function money(v: number): string {
  return Number.isFinite(v)
    ? v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })
    : '–';
}

/** A whole amount in the currency, e.g. £8,301,222 or CHF 12,000 (the code itself is stated next to it). */
export function currencyAmount(v: number, currency: string): string {
  if (!Number.isFinite(v)) return '–';
  try {
    return v.toLocaleString('en-US', {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
    });
  } catch {
    return `${currency} ${Math.round(v).toLocaleString('en-US')}`;
  }
}

/** £8.3M, $950: for chart labels. */
export function compactAmount(v: number, currency: string): string {
  if (!Number.isFinite(v)) return '–';
  try {
    return v.toLocaleString('en-US', {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      notation: 'compact',
      minimumFractionDigits: 0,
      maximumFractionDigits: 1,
    });
  } catch {
    return `${currency} ${v.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 1 })}`;
  }
}

/** +1,234 / −56 / ±0. */
export function signedCount(v: number): string {
  if (v === 0) return '±0';
  return `${v > 0 ? '+' : '−'}${Math.abs(Math.round(v)).toLocaleString('en-US')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2011-12-09' or an ISO date-time → '9 Dec 2011' (UTC, whatever the machine's locale). */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** The dataset's name for a title: a file's base name without extensions, or a synced tenant's id. */
export function datasetName(transactions: string): string {
  // A synced tenant's label, e.g. "hubspot-1000 (synced store in data)".
  const tenant = / \(.*\)$/.exec(transactions);
  if (tenant) return transactions.slice(0, tenant.index) || 'transactions';
  const base = transactions.split(/[\\/]/).pop() ?? transactions;
  const stem = base
    .replace(/(\.(csv|tsv|txt|dat|gz|zip))+$/i, '')
    .replace(/[_\s]+/g, ' ')
    .trim();
  return stem ? stem[0].toUpperCase() + stem.slice(1) : base || 'transactions';
}
