/**
 * The data-quality section: the cleaner's quality report (quality.json) as a table of rows read, used and
 * excluded by reason, with what happened to cancellations, outliers and currencies (as
 * analytics/clean/format-quality-report says it in text).
 */
import type { QualityReport } from '../analytics/clean/types';
import { count, money, pct } from './format';
import { mdBlock, mdTable, type Block } from './report-blocks';

/** What each exclusion rule means, for a reader who has not seen the cleaner. */
const REASONS: Record<string, string> = {
  malformed_line: 'line could not be read',
  missing_customer_id: 'no customer id (cannot be tied to a customer)',
  unparseable_date: 'date could not be read',
  unparseable_amount: 'amount could not be read',
  duplicate_row: 'exact repeat of an earlier row',
  future_date: 'dated after the observation end',
  unknown_currency: 'currency without a conversion rate',
  adjustment: 'adjustment, not a purchase',
  implausible_amount: 'amount no real order has',
  cancellation: 'cancellation or refund, netted against the customer’s orders',
  zero_or_negative_amount: 'zero or negative amount',
  anomalous_order: 'outlier order value, excluded on request',
};

export function qualityBlocks(q: QualityReport | undefined, currency: string): Block[] {
  if (!q) return [];
  const share = (n: number) => (q.rowsRead > 0 ? pct(n / q.rowsRead, 2) : '–');
  const reasons = q.precedence?.length ? q.precedence : Object.keys(q.rowsExcluded);
  const excluded = reasons
    .map((reason) => [reason, (q.rowsExcluded as Record<string, number>)[reason] ?? 0] as const)
    .filter(([, n]) => n > 0);
  const rows: string[][] = [
    ['rows read', count(q.rowsRead), share(q.rowsRead), ''],
    ['rows used (purchases)', count(q.rowsUsed), share(q.rowsUsed), ''],
    ...excluded.map(([reason, n]) => [`excluded: ${reason}`, count(n), share(n), REASONS[reason] ?? '']),
    [
      'excluded in total',
      count(q.rowsExcludedTotal),
      share(q.rowsExcludedTotal),
      'each row under the first rule that applies',
    ],
  ];
  const lines = [
    '## Data quality',
    '',
    `What the cleaner did with the input before any model saw it. Rules with no excluded row are left out.`,
    '',
    ...mdTable(['rows', 'count', 'share of rows read', 'meaning'], rows, ['l', 'r', 'r', 'l']),
  ];
  const c = q.customers;
  const notes: string[] = [
    `Orders: ${count(q.orders)}; customers: ${count(c.inResult)} scored, ${count(c.withPurchases)} with a purchase, ${count(c.onlyCancellations)} with only cancellations, ${count(c.seen)} seen.`,
  ];
  if (q.dateRange.first && q.dateRange.last)
    notes.push(
      `Orders dated ${q.dateRange.first.slice(0, 10)} … ${q.dateRange.last.slice(0, 10)}; observation end ${q.observationEnd}.`,
    );
  const x = q.cancellations;
  if (x.rows > 0)
    notes.push(
      `Cancellations: ${count(x.rows)} rows worth ${money(x.value)} ${currency}; ${money(x.nettedValue)} netted against ${count(x.ordersReduced)} orders ` +
        `(${count(x.ordersFullyCancelled)} fully cancelled, removed); ${money(x.unmatchedValue)} in ${count(x.unmatchedRows)} rows found no earlier order.`,
    );
  if (q.conflictingOrders.orders > 0)
    notes.push(
      `Conflicting order ids: ${count(q.conflictingOrders.orders)} orders reuse another customer’s order id; kept as separate orders and flagged.`,
    );
  const a = q.anomalies;
  if (a.lowerAmount !== null && a.upperAmount !== null)
    notes.push(
      `Outlier order values (robust z > ${a.k} on the log amount): ${count(a.flagged)} orders outside ${money(a.lowerAmount)} – ${money(a.upperAmount)} ${currency}, ${a.action}.`,
    );
  const conversions = Object.entries(q.currency.conversions);
  if (conversions.length)
    notes.push(
      `Currency: converted to ${q.currency.base}: ${conversions.map(([code, v]) => `${code} ${count(v.rows)} rows at ${v.rate}`).join(', ')}.`,
    );
  if (q.encoding?.note) notes.push(`Encoding: ${q.encoding.note}`);
  return [mdBlock(...lines, ...notes.map((n) => `- ${n}`), '')];
}
