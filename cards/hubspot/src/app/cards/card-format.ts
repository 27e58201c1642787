/** How the card words numbers, dates and risk (pure; the view and its tests share them). */
import type { ChurnBand } from './card-response';

/** Tag variants of @hubspot/ui-extensions. */
export type TagVariant = 'default' | 'warning' | 'success' | 'error' | 'info';

/** Risk reads as a traffic light: low green, medium amber, high red. */
export function churnBandVariant(band: ChurnBand): TagVariant {
  switch (band) {
    case 'low':
      return 'success';
    case 'medium':
      return 'warning';
    case 'high':
      return 'error';
  }
}

export function churnBandLabel(band: ChurnBand): string {
  return `${band[0].toUpperCase()}${band.slice(1)} churn risk`;
}

/** Example: formatMoney(1234.5, 'USD', 'en-US') → '$1,235'. An unknown currency code falls back to "1,235 XYZ". */
export function formatMoney(amount: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
      amount,
    );
  } catch {
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(amount)} ${currency}`;
  }
}

/** Example: formatPercent(0.234, 'en-US') → '23%'. */
export function formatPercent(probability: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(probability);
}

/** A calendar date (`YYYY-MM-DD`), shown as that day wherever the rep is. Example: '2027-03-05' → 'Mar 5, 2027'. */
export function formatDay(day: string, locale: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A moment, in the portal's time zone. */
export function formatMoment(iso: string, locale: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
      date,
    );
  } catch {
    return new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(date);
  }
}
