/**
 * The rendered report of a real (small) run: the manager's summary first, then data quality, then the analyst's
 * sections; its numbers agree with scores.csv; the change since a previous run is shown when there was one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPreviousRun } from '../../worker/pipeline/previous-run';
import { readPreviousTotals } from '../../worker/report/previous-report';
import { renderHtml, renderMarkdown } from '../../worker/report/render-report';
import { readCsvRows } from '../helpers/read-csv';
import { scoredDemo, SCORED_AT } from './scored-demo';

type Run = Awaited<ReturnType<typeof scoredDemo>>;
let first: Run;
let second: Run;

beforeAll(async () => {
  first = await scoredDemo('first');
  // The same data again, with the first run as the previous one (what --previous-run DIR passes).
  second = await scoredDemo('second', { previous: await readPreviousRun(first.dir) });
}, 120_000);

describe('the report of a score run', () => {
  it('opens with a dated summary titled by the dataset, then data quality, then the analyst’s sections', () => {
    const md = readFileSync(join(first.dir, 'report.md'), 'utf8');
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Transactions: customer value report, data to 31 Dec 2024');
    expect(lines[2]).toBe(
      'Data to 31 Dec 2024 (observation end) · run on 15 Jan 2025 · tenant csv-demo · all amounts in USD.',
    );
    expect(SCORED_AT.startsWith('2025-01-15')).toBe(true);
    const at = (heading: string) => {
      const k = lines.indexOf(heading);
      expect(k).toBeGreaterThan(0);
      return k;
    };
    const order = [
      '## Summary',
      '## Data quality',
      '## Models',
      '## Predicted value (12 months, 1.00% monthly discount, margin 1)',
      '## Segments',
      '## Churn',
      '## Sales reps',
      '## Acquisition channels',
      '## Campaigns',
    ].map(at);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // A transactions file has no deals, owners, channels or campaigns: one line under each heading says so.
    for (const [heading, line] of [
      ['## Sales reps', 'No deals or owners in this run’s input (a transactions file has none).'],
      [
        '## Acquisition channels',
        'No acquisition channels in this run’s input (a transactions file has none).',
      ],
      ['## Campaigns', 'No campaigns in this run’s input (a transactions file has none).'],
    ])
      expect(lines.slice(at(heading) + 1, at(heading) + 4)).toEqual(['', line, '']);
  });

  it('gives the summary’s numbers in the tenant’s currency, as scores.csv adds them up', () => {
    const s = first.result.report.summary;
    const scores = readCsvRows(join(first.dir, 'scores.csv'));
    const sum = (rows: typeof scores, col: string) => rows.reduce((t, r) => t + Number(r[col]), 0);
    expect(s.currency).toBe('USD');
    expect(s.customers).toBe(scores.length);
    expect(s.predictedValue).toBeCloseTo(sum(scores, 'clv_predicted'), 4);
    const high = scores.filter((r) => r.churn_risk === 'high');
    expect(s.highRiskCustomers).toBe(high.length);
    expect(s.revenueAtRisk).toBeCloseTo(sum(high, 'clv_predicted'), 4);
    expect(s.risk!.reduce((t, g) => t + g.customers, 0)).toBe(scores.length);
    expect(s.segments!.reduce((t, g) => t + g.customers, 0)).toBe(scores.length);
    // Next month's expected orders are a twelfth-ish of the 12-month horizon's (fewer: some customers leave).
    const horizon = sum(scores, 'expected_orders');
    expect(s.expectedOrdersNextMonth).toBeGreaterThan(horizon / 24);
    expect(s.expectedOrdersNextMonth).toBeLessThan(horizon / 6);

    const md = readFileSync(join(first.dir, 'report.md'), 'utf8');
    const money = (v: number) => `$${Math.round(v).toLocaleString('en-US')}`;
    expect(md).toContain(`- **Customers:** ${s.customers.toLocaleString('en-US')} — `);
    expect(md).toContain(`- **Revenue to date:** ${money(s.revenue)} — 1 Jan 2023 – 31 Dec 2024`);
    expect(md).toContain(`- **Predicted value, next 12 months:** ${money(s.predictedValue)} — `);
    expect(md).toContain(
      `- **Revenue at risk:** ${money(s.revenueAtRisk!)} — predicted value of the ${s.highRiskCustomers} customers at high churn risk`,
    );
    expect(md).toContain('- **Expected orders next month:** ');
  });

  it('has the cleaner’s table: rows read, used and excluded by reason', () => {
    const q = first.result.clean.quality;
    const md = readFileSync(join(first.dir, 'report.md'), 'utf8');
    expect(md).toContain(`| rows read | ${q.rowsRead.toLocaleString('en-US')} | 100.00% |  |`);
    expect(md).toContain(`| rows used (purchases) | ${q.rowsUsed.toLocaleString('en-US')} |`);
    expect(md).toContain(
      `| excluded: duplicate_row | ${q.rowsExcluded.duplicate_row.toLocaleString('en-US')} |`,
    );
    expect(md).toContain(`| excluded in total | ${q.rowsExcludedTotal.toLocaleString('en-US')} |`);
  });

  it('draws the distributions without a calibration split, every chart with a title and axis labels', () => {
    expect(first.result.report.calibration).toBeNull();
    const html = readFileSync(join(first.dir, 'report.html'), 'utf8');
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // Value by segment, churn risk, repeat purchases actual vs. expected, predicted value, P(alive), churn deciles.
    expect(svgs.length).toBeGreaterThanOrEqual(6);
    for (const svg of svgs) {
      expect(svg).toMatch(/<title>[^<]+<\/title>/);
      expect((svg.match(/class="axis-label"[^>]*>[^<]+</g) ?? []).length).toBe(2);
    }
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('shows the change since the previous run', async () => {
    const md = readFileSync(join(second.dir, 'report.md'), 'utf8');
    const n = second.result.report.summary.customers.toLocaleString('en-US');
    expect(md).toContain('### Change since the previous run');
    expect(md).toContain(`Customers: ${n} now, ${n} in the previous run (±0); ${n} in both runs, 0 new`);
    expect(md).toMatch(/\| segment \| customers then \| customers now \| change \|/);
    // With the previous run's report.json, money totals too.
    const totals = await readPreviousTotals(first.dir);
    const withTotals = renderMarkdown(second.result.report, { previousTotals: totals });
    expect(withTotals).toContain('- Predicted value: $');
    expect(withTotals).toMatch(/- Revenue to date: \$[\d,]+ vs \$[\d,]+ \(\+\$0, 0\.0%\)/);
    expect(renderHtml(second.result.report, { previousTotals: totals })).toContain(
      'Change since the previous run',
    );
  });
});
