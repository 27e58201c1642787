/** Readable text summary of a QualityReport (for the CLI's report and logs). */
import { EXCLUSION_REASONS, type QualityReport } from './types';

export function formatQualityReport(report: QualityReport): string {
  const pct = (n: number) => (report.rowsRead > 0 ? `${((100 * n) / report.rowsRead).toFixed(2)}%` : '–');
  const rows: [string, number][] = [
    ['rows read', report.rowsRead],
    ['rows used (purchases)', report.rowsUsed],
    ...EXCLUSION_REASONS.map((r): [string, number] => [r, report.rowsExcluded[r]]),
  ];
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const countWidth = Math.max(...rows.map(([, n]) => fmt(n).length));
  const line = (name: string, n: number) =>
    `  ${name.padEnd(nameWidth)}  ${fmt(n).padStart(countWidth)}  ${pct(n).padStart(7)}`;

  const out: string[] = ['Data quality', line(rows[0][0], rows[0][1]), line(rows[1][0], rows[1][1])];
  out.push('  excluded rows, by first rule that applies:');
  for (const [name, n] of rows.slice(2)) out.push(line(name, n));
  out.push(line('total excluded', report.rowsExcludedTotal));

  const c = report.customers;
  out.push(
    '',
    `Orders: ${fmt(report.orders)}; customers: ${fmt(c.inResult)} in the result, ${fmt(c.withPurchases)} with a purchase, ` +
      `${fmt(c.onlyCancellations)} with only cancellations, ${fmt(c.seen)} seen.`,
  );
  if (report.dateRange.first && report.dateRange.last) {
    out.push(
      `Orders dated ${report.dateRange.first} … ${report.dateRange.last}; observation end ${report.observationEnd}.`,
    );
  }
  const x = report.cancellations;
  if (x.rows > 0) {
    out.push(
      `Cancellations: ${fmt(x.rows)} rows worth ${money(x.value)}; netted ${money(x.nettedValue)} against ` +
        `${fmt(x.ordersReduced)} orders (${fmt(x.ordersFullyCancelled)} fully cancelled, removed); ` +
        `unmatched ${money(x.unmatchedValue)} in ${fmt(x.unmatchedRows)} rows.`,
    );
  }
  if (report.conflictingOrders.orders > 0) {
    out.push(
      `Conflicting order ids: ${fmt(report.conflictingOrders.orders)} orders (${fmt(report.conflictingOrders.rows)} rows) ` +
        'reuse an order id of another customer; kept as separate orders and flagged.',
    );
  }
  const a = report.anomalies;
  if (a.lowerAmount !== null && a.upperAmount !== null) {
    out.push(
      `Anomalous order values (|robust z| > ${a.k} on log amount, median ${money(a.medianAmount ?? 0)}): ` +
        `${fmt(a.flagged)} orders outside ${money(a.lowerAmount)} – ${money(a.upperAmount)}, ${a.action}.`,
    );
  } else {
    out.push(
      `Anomalous order values: not assessed (${fmt(a.ordersConsidered)} orders, no spread in amounts).`,
    );
  }
  const conversions = Object.entries(report.currency.conversions);
  if (conversions.length > 0) {
    out.push(
      `Currency: converted to ${report.currency.base}: ` +
        conversions.map(([code, v]) => `${code} ${fmt(v.rows)} rows at ${v.rate}`).join(', ') +
        '.',
    );
  }
  const withExamples = EXCLUSION_REASONS.filter((r) => report.examples[r].length > 0);
  if (withExamples.length > 0) out.push('', 'Examples:');
  for (const r of withExamples) {
    for (const e of report.examples[r]) out.push(`  ${r} line ${e.line}: ${e.text}`);
  }
  return out.join('\n');
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function money(v: number): string {
  return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
