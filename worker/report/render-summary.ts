/**
 * The report's opening for a manager: title, dates and currency, the headline numbers, what to check before
 * using them, value by segment, the churn-risk distribution and the change since the previous run.
 */
import { compactAmount, count, currencyAmount, longDate, pct, signedCount } from './format';
import type { ModelReport, ValueGroup } from './model-report';
import type { PreviousTotals } from './previous-report';
import { htmlBlock, markdownToHtml, mdBlock, mdTable, type Block } from './report-blocks';
import type { ReportContext } from './report-context';
import { escapeXml, horizontalBarChart } from './svg-chart';

export function reportTitle(r: ModelReport): string {
  return `${r.summary.dataset}: customer value report, data to ${longDate(r.summary.observationEnd)}`;
}

/** The dates, whose run and the currency, in one line. */
function metaLine(r: ModelReport, ctx: ReportContext): string {
  const s = r.summary;
  const parts = [`Data to ${longDate(s.observationEnd)} (observation end)`];
  if (ctx.run) parts.push(`run on ${longDate(ctx.run.scoredAt)}`);
  if (ctx.run) parts.push(`tenant ${ctx.run.tenant}`);
  parts.push(`all amounts in ${s.currency}`);
  return parts.join(' · ') + '.';
}

type Kpi = { label: string; value: string; note: string; key: string };

function kpis(r: ModelReport): Kpi[] {
  const s = r.summary;
  const money = (v: number) => currencyAmount(v, s.currency);
  const out: Kpi[] = [
    {
      key: 'customers',
      label: 'Customers',
      value: count(s.customers),
      note: `${count(r.customers.repeatBuyers)} bought more than once`,
    },
    {
      key: 'revenue',
      label: 'Revenue to date',
      value: money(s.revenue),
      note: s.firstOrder
        ? `${longDate(s.firstOrder)} – ${longDate(s.observationEnd)}`
        : `to ${longDate(s.observationEnd)}`,
    },
    {
      key: 'predicted-value',
      label: `Predicted value, next ${s.months} months`,
      value: money(s.predictedValue),
      note:
        `discounted ${pct(r.clv.monthlyDiscountRate, 1)}/month` +
        (s.margin < 1 ? `, ${pct(s.margin, 0)} margin (profit, not revenue)` : ''),
    },
  ];
  if (s.revenueAtRisk !== null && s.highRiskCustomers !== null) {
    out.push({
      key: 'revenue-at-risk',
      label: 'Revenue at risk',
      value: money(s.revenueAtRisk),
      note: `predicted value of the ${count(s.highRiskCustomers)} customers at high churn risk, ${pct(share(s.revenueAtRisk, s.predictedValue), 0)} of the total`,
    });
  }
  out.push({
    key: 'orders-next-month',
    label: 'Expected orders next month',
    value: count(s.expectedOrdersNextMonth),
    note: "by today's customers; orders on the same day count once",
  });
  return out;
}

/** The summary's charts sit two abreast: drawn at the width they get on a 1,280 px screen, not scaled down. */
const COLUMN_CHART_WIDTH = 520;

const share = (part: number, whole: number) => (whole > 0 ? part / whole : NaN);

export function summaryBlocks(r: ModelReport, ctx: ReportContext): Block[] {
  const s = r.summary;
  const title = reportTitle(r);
  const items = kpis(r);
  const headlines = r.checks.map((c) => c.headline).filter((h): h is string => h !== null);
  const blocks: Block[] = [
    {
      md: [
        `# ${title}`,
        '',
        metaLine(r, ctx),
        '',
        '## Summary',
        '',
        ...items.map((k) => `- **${k.label}:** ${k.value} — ${k.note}`),
        '',
      ],
      html:
        `<header><h1>${escapeXml(title)}</h1><p class="meta">${escapeXml(metaLine(r, ctx))}</p></header>` +
        `<section id="summary" aria-labelledby="summary-heading"><h2 id="summary-heading">Summary</h2><div class="kpis">${items
          .map(
            (k) =>
              `<div class="kpi" data-kpi="${k.key}"><div class="label">${escapeXml(k.label)}</div><div class="value">${escapeXml(k.value)}</div><div class="note">${escapeXml(k.note)}</div></div>`,
          )
          .join('')}</div>`,
    },
  ];
  if (headlines.length) {
    const md = ['**Before using these numbers:**', '', ...headlines.map((h) => `- ${h}`), ''];
    blocks.push(htmlBlock(`<div class="notice" role="note">${markdownToHtml(md.join('\n'))}</div>`, md));
  }
  const columns: Block[] = [];
  if (s.segments?.length)
    columns.push(segmentBlock(s.segments, s.segmentKind ?? 'segment', s.currency, s.months));
  if (s.risk?.length) columns.push(riskBlock(s.risk, s.currency));
  if (columns.length) {
    blocks.push(
      htmlBlock(
        `<div class="columns">${columns.map((c) => `<div>${c.html}</div>`).join('')}</div>`,
        columns.flatMap((c) => c.md),
      ),
    );
  }
  blocks.push(...previousBlocks(r, ctx.previousTotals ?? null));
  blocks.push(htmlBlock('</section>'));
  return blocks;
}

function segmentBlock(groups: ValueGroup[], kind: string, currency: string, months: number): Block {
  const title = `Value by ${kind} segment`;
  const total = groups.reduce((t, g) => t + g.predictedValue, 0);
  const head = [
    'segment',
    'customers',
    `revenue to date (${currency})`,
    `predicted ${months}-month value (${currency})`,
    'share of predicted value',
  ];
  const withRisk = groups.some((g) => g.highRisk !== null);
  if (withRisk) head.push('at high churn risk');
  const rows = groups.map((g) => {
    const row = [
      g.name,
      count(g.customers),
      currencyAmount(g.revenue, currency),
      currencyAmount(g.predictedValue, currency),
      pct(share(g.predictedValue, total)),
    ];
    if (withRisk) row.push(g.highRisk === null ? '–' : count(g.highRisk));
    return row;
  });
  const table = mdTable(head, rows);
  const chart = horizontalBarChart(
    title,
    groups.map((g) => g.name),
    [
      { name: 'revenue to date', values: groups.map((g) => g.revenue) },
      { name: `predicted value, next ${months} months`, values: groups.map((g) => g.predictedValue) },
    ],
    `amount (${currency})`,
    `${kind} segment`,
    (v) => compactAmount(v, currency),
    COLUMN_CHART_WIDTH,
  );
  return { md: [`### ${title}`, '', ...table], html: chart + dataTable(table) };
}

function riskBlock(groups: ValueGroup[], currency: string): Block {
  const title = 'Churn-risk distribution';
  const customers = groups.reduce((t, g) => t + g.customers, 0);
  const value = groups.reduce((t, g) => t + g.predictedValue, 0);
  const table = mdTable(
    [
      'churn risk',
      'customers',
      'share of customers',
      `predicted value (${currency})`,
      'share of predicted value',
    ],
    groups.map((g) => [
      g.name,
      count(g.customers),
      pct(share(g.customers, customers)),
      currencyAmount(g.predictedValue, currency),
      pct(share(g.predictedValue, value)),
    ]),
  );
  const chart = horizontalBarChart(
    title,
    groups.map((g) => g.name),
    [
      { name: 'share of customers', values: groups.map((g) => 100 * share(g.customers, customers)) },
      { name: 'share of predicted value', values: groups.map((g) => 100 * share(g.predictedValue, value)) },
    ],
    'share of all customers / of all predicted value (%)',
    'churn risk',
    (v) => `${v.toFixed(0)}%`,
    COLUMN_CHART_WIDTH,
  );
  return { md: [`### ${title}`, '', ...table], html: chart + dataTable(table) };
}

/** A chart's numbers as a table, folded under it. */
function dataTable(table: string[]): string {
  return `<details><summary>Numbers</summary>${markdownToHtml(table.join('\n'))}</details>`;
}

function previousBlocks(r: ModelReport, totals: PreviousTotals | null): Block[] {
  const p = r.summary.previous;
  if (!p && !totals) return [];
  const s = r.summary;
  const lines: string[] = ['### Change since the previous run', ''];
  const since = totals?.observationEnd ? ` (data to ${longDate(totals.observationEnd)})` : '';
  if (totals && totals.currency && totals.currency !== s.currency) {
    lines.push(
      `The previous run${since} was in ${totals.currency}, this one in ${s.currency}: amounts are not compared.`,
      '',
    );
  } else if (totals) {
    const money = (v: number) => currencyAmount(v, s.currency);
    const delta = (now: number, then: number) =>
      `${money(now)} vs ${money(then)} (${now >= then ? '+' : '−'}${money(Math.abs(now - then))}, ${pct(share(now - then, then))})`;
    lines.push(`Previous run${since}:`, '');
    lines.push(`- Revenue to date: ${delta(s.revenue, totals.revenue)}`);
    lines.push(`- Predicted value: ${delta(s.predictedValue, totals.predictedValue)}`);
    if (s.revenueAtRisk !== null && totals.revenueAtRisk !== null)
      lines.push(`- Revenue at risk: ${delta(s.revenueAtRisk, totals.revenueAtRisk)}`);
    lines.push('');
  }
  const previousCustomers = p?.customers ?? totals?.customers ?? null;
  if (previousCustomers !== null) {
    let line = `Customers: ${count(s.customers)} now, ${count(previousCustomers)} in the previous run (${signedCount(s.customers - previousCustomers)})`;
    if (p?.newCustomers != null && p.inBoth != null)
      line += `; ${count(p.inBoth)} in both runs, ${count(p.newCustomers)} new`;
    if (p?.keptSegment != null)
      line += `; ${pct(p.keptSegment, 0)} of the customers in both kept their segment`;
    lines.push(line + '.', '');
  }
  if (p?.segments.length) {
    lines.push(
      ...mdTable(
        ['segment', 'customers then', 'customers now', 'change'],
        p.segments.map((g) => [
          g.name,
          g.previous === null ? 'new segment' : count(g.previous),
          count(g.current),
          g.previous === null ? '–' : signedCount(g.current - g.previous),
        ]),
      ),
    );
  }
  return [mdBlock(...lines)];
}
