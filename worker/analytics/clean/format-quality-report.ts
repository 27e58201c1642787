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
  const p = report.implausible;
  const spread =
    p.medianAmount === null ? 'too few orders to measure spread' : `median ${money(p.medianAmount)}`;
  out.push(
    `Implausible amounts (not finite, or above both ${money(p.ceiling)} and ${p.k} robust SDs over the log ` +
      `order amounts, ${spread}: limit ${money(p.limit)}): ` +
      (p.rows === 0
        ? 'none.'
        : `${fmt(p.rows)} rows excluded (orders: ${fmt(p.orders)}, cancellation/refund rows: ` +
          `${fmt(p.cancellationRows)}, rows whose own value is not finite: ${fmt(p.rowsNotFinite)}).`),
  );
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
  if (report.encoding) out.push(`Encoding: ${report.encoding.note}.`);
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
  if (!Number.isFinite(v) || Math.abs(v) >= 1e15) return v.toPrecision(4);
  return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
