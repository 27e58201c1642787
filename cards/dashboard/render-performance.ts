/**
 * The dashboard's sales-performance section, from the report the worker stores after each score run
 * (worker/jobs/store-sales-performance.ts): reps ranked by shrunk win rate, acquisition channels, and each
 * segment's top products by revenue. Rendered from the stored figures; nothing is recomputed per page.
 */
import type { SalesPerformance } from '../../worker/pipeline/sales-performance';
import { escapeHtml, money, percent } from '../preview/render-card-html';

const PRODUCTS_PER_SEGMENT = 3;

export function renderPerformanceSection(report: SalesPerformance | undefined): string {
  if (report === undefined)
    return '<div class="card" data-testid="performance"><h2>Sales performance</h2><p class="muted">Not computed yet: the worker stores it after the next score run.</p></div>';
  const c = report.currency;
  const pct = (v: number | undefined | null) => (v === undefined || v === null ? '—' : percent(v));
  const reps = report.reps
    .filter((r) => r.segment === 'all')
    .sort((a, b) => a.rank - b.rank)
    .map(
      (r) =>
        `<tr data-testid="rep-row"><td>${r.rank}</td><td>${escapeHtml(r.repName)}</td><td>${r.won} / ${r.won + r.lost}</td><td>${pct(r.winRate)} <span class="muted">(${pct(r.winRateLow)}–${pct(r.winRateHigh)})</span></td><td>${pct(r.shrunkWinRate)}</td><td>${escapeHtml(money(r.wonRevenue, c))}</td><td>${escapeHtml(money(r.openPipeline, c))}</td><td>${r.newCustomers}</td><td>${pct(r.bookChurnRate)}</td></tr>`,
    )
    .join('');
  const channels = report.channels
    .map(
      (ch) =>
        `<tr data-testid="channel-row"><td>${escapeHtml(ch.channel)}</td><td>${ch.customersAcquired}</td><td>${escapeHtml(money(ch.meanClv, c))}</td><td>${
          ch.cac === undefined || ch.cac === null ? '—' : escapeHtml(money(ch.cac, c))
        }</td><td>${ch.clvToCac === undefined || ch.clvToCac === null ? '—' : ch.clvToCac.toFixed(2)}</td><td>${
          ch.paybackMonths === undefined || ch.paybackMonths === null
            ? '—'
            : `${ch.paybackMonths.toFixed(1)} months`
        }</td></tr>`,
    )
    .join('');
  const segments = [...new Set(report.segmentProducts.map((p) => p.segment))];
  const products = segments
    .map((segment) => {
      const top = report.segmentProducts.filter((p) => p.segment === segment).slice(0, PRODUCTS_PER_SEGMENT);
      return `<tr data-testid="segment-product-row"><td>${escapeHtml(segment)}</td><td>${top
        .map(
          (p) =>
            `${escapeHtml(p.productName)} <span class="muted">${percent(p.revenueShare)} of revenue, attach ${percent(p.attachRate)}, lift ${p.lift.toFixed(2)}</span>`,
        )
        .join('<br>')}</td></tr>`;
    })
    .join('');
  return `<div class="card" data-testid="performance"><h2>Sales performance</h2>
<p class="muted">Run ${escapeHtml(report.runId)}. Reps ranked by win rate shrunk toward the team's (empirical Bayes), so a rep with a few lucky deals does not top the table; the raw rate's Wilson 95% interval in brackets.</p>
<table><thead><tr><th>#</th><th>Rep</th><th>Won / closed</th><th>Win rate</th><th>Shrunk</th><th>Won revenue</th><th>Open pipeline</th><th>New customers</th><th>Book churn</th></tr></thead><tbody>${reps}</tbody></table>
<h3>Acquisition channels</h3>${
    report.channels.some((ch) => ch.cac !== undefined && ch.cac !== null)
      ? ''
      : '<p class="muted">No CAC: the tenant has no acquisition spend (<code>crm-clv tenant spend --tenant T --file spend.csv</code>).</p>'
  }<table><thead><tr><th>Channel</th><th>Customers</th><th>Mean CLV</th><th>CAC</th><th>CLV:CAC</th><th>Payback</th></tr></thead><tbody>${channels}</tbody></table>
<h3>Top products per segment</h3><table><thead><tr><th>Segment</th><th>Products by revenue</th></tr></thead><tbody>${products}</tbody></table></div>`;
}
