/**
 * The run report's sales sections on hand-made reports: values formatted as the rest of the report
 * (format.ts), CRM text escaped in the HTML and kept from breaking the tables, and one line per section when
 * the run has no such records.
 */
import { blocksToHtml, blocksToMarkdown } from '../../worker/report/report-blocks';
import { salesBlocks, type RunSalesFigures } from '../../worker/report/render-sales';
import {
  buildCampaign,
  buildCampaignReport,
  buildChannel,
  buildRep,
  buildSalesPerformance,
} from './sales-report-builders';

const md = (figures: RunSalesFigures) => blocksToMarkdown(salesBlocks(figures));
const html = (figures: RunSalesFigures) => blocksToHtml(salesBlocks(figures));

/** The lines of a Markdown section, from its heading to the next. */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l.trim() !== '');
}

/** The cells of a Markdown table row. */
const cells = (row: string) =>
  row
    .slice(1, -1)
    .split('|')
    .map((c) => c.trim());

const figures = (over: Partial<NonNullable<RunSalesFigures>> = {}): RunSalesFigures => ({
  performance: buildSalesPerformance(),
  campaigns: buildCampaignReport(),
  ...over,
});

describe('report sales sections', () => {
  it('lists the top reps by shrunk win rate with the Wilson interval, formatted, and marks small samples', () => {
    const reps = [
      buildRep({
        repId: 'b',
        repName: 'Grace Hopper',
        rank: 2,
        won: 2,
        lost: 1,
        winRate: 2 / 3,
        winRateLow: 0.2077,
        winRateHigh: 0.939,
        shrunkWinRate: 0.52,
        wonRevenue: 900,
        openPipeline: 0,
        newCustomers: 1,
      }),
      buildRep(),
      // Another segment's row is not the overall table's.
      buildRep({ segment: 'Champions', repName: 'Not overall', rank: 1 }),
    ];
    const text = md(figures({ performance: buildSalesPerformance({ reps }) }));
    const lines = section(text, '## Sales reps');
    expect(lines[0]).toMatch(/^Top 2 of 2 reps by win rate shrunk toward the team’s/);
    const rows = lines
      .filter((l) => l.startsWith('|'))
      .slice(2)
      .map(cells);
    expect(rows).toEqual([
      ['1', 'Ada Lovelace', '6 / 10', '60.0% (31.3%–83.2%)', '55.0%', '$12,346', '$4,000', '5'],
      ['2', 'Grace Hopper †', '2 / 3', '66.7% (20.8%–93.9%)', '52.0%', '$900', '$0', '1'],
    ]);
    expect(lines[lines.length - 1]).toMatch(/^† Fewer than 10 closed deals: a small sample/);
  });

  it('shows at most ten reps and no small-sample note when every rep has ten closed deals', () => {
    const reps = Array.from({ length: 12 }, (_, i) =>
      buildRep({ repId: `r${i}`, repName: `Rep ${i + 1}`, rank: i + 1 }),
    );
    const lines = section(md(figures({ performance: buildSalesPerformance({ reps }) })), '## Sales reps');
    expect(lines[0]).toMatch(/^Top 10 of 12 reps/);
    expect(lines.filter((l) => l.startsWith('| ') && /Rep \d+/.test(l))).toHaveLength(10);
    expect(lines.join('\n')).not.toContain('†');
  });

  it("shows channels' CAC, CLV:CAC and payback when the tenant has spend, and says how to add it when not", () => {
    const paid = buildChannel({
      channel: 'PAID_SEARCH',
      customersAcquired: 1234,
      meanClv: 480,
      spend: 6000,
      customersInSpendMonths: 30,
      cac: 200,
      clvToCac: 2.4,
      paybackMonths: 5,
    });
    const free = buildChannel();
    const withSpend = section(
      md(figures({ performance: buildSalesPerformance({ channels: [paid, free] }) })),
      '## Acquisition channels',
    );
    expect(withSpend.filter((l) => l.startsWith('|')).map(cells)).toEqual([
      ['Channel', 'Customers', 'Mean CLV (12 months)', 'CAC', 'CLV:CAC', 'Payback (months)'],
      ['---', '---:', '---:', '---:', '---:', '---:'],
      ['PAID_SEARCH', '1,234', '$480', '$200', '2.40', '5.0'],
      ['ORGANIC_SEARCH', '120', '$500', '–', '–', '–'],
    ]);
    const without = section(
      md(figures({ performance: buildSalesPerformance({ channels: [free] }) })),
      '## Acquisition channels',
    );
    expect(cells(without.find((l) => l.startsWith('| Channel'))!)).toEqual([
      'Channel',
      'Customers',
      'Mean CLV (12 months)',
    ]);
    expect(without[without.length - 1]).toBe(
      'No acquisition spend for this tenant, so no CAC: set it with crm-clv tenant spend --tenant T --file spend.csv.',
    );
  });

  it('shows campaign KPIs in the run currency with the conversion interval and the observational note', () => {
    const report = buildCampaignReport({
      currency: 'EUR',
      campaigns: [
        buildCampaign(),
        buildCampaign({ name: 'No cost', cost: undefined, roi: undefined, responseRate: undefined }),
      ],
      otherCurrencyOrders: 3,
    });
    const lines = section(md(figures({ campaigns: report })), '## Campaigns');
    expect(lines[0]).toBe('Conversion = a won order within 30 days of joining.');
    expect(
      lines
        .filter((l) => l.startsWith('|'))
        .slice(2)
        .map(cells),
    ).toEqual([
      ['Spring sale', '200', '25.0%', '20', '10.0% (6.6%–14.9%)', '€4,000', '€1,000', '300%'],
      ['No cost', '200', '–', '20', '10.0% (6.6%–14.9%)', '€4,000', '–', '–'],
    ]);
    expect(lines).toContain('3 won orders in other currencies than EUR are left out of revenue.');
    expect(lines[lines.length - 1]).toBe('Observational.');
  });

  it('escapes CRM text in the HTML and keeps a | in a name from splitting the row', () => {
    const hostile = '<img src=x onerror=alert(1)> | Jr & Co';
    const page = html(
      figures({
        performance: buildSalesPerformance({
          reps: [buildRep({ repName: hostile })],
          channels: [buildChannel({ channel: hostile })],
        }),
        campaigns: buildCampaignReport({ campaigns: [buildCampaign({ name: hostile })] }),
      }),
    );
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; Jr &amp; Co');
    const repRow = /<section id="sales-reps">[\s\S]*?<tbody><tr>(.*?)<\/tr>/.exec(page)![1];
    expect(repRow.match(/<td/g)).toHaveLength(8);
    expect(page).toContain('<section id="acquisition-channels">');
    expect(page).toContain('<section id="campaigns">');
  });

  it('says in one line per section that a transactions file has no deals, channels or campaigns', () => {
    const text = md(null);
    expect(section(text, '## Sales reps')).toEqual([
      'No deals or owners in this run’s input (a transactions file has none).',
    ]);
    expect(section(text, '## Acquisition channels')).toEqual([
      'No acquisition channels in this run’s input (a transactions file has none).',
    ]);
    expect(section(text, '## Campaigns')).toEqual([
      'No campaigns in this run’s input (a transactions file has none).',
    ]);
    expect(salesBlocks(undefined)).toEqual([]);
  });

  it('says in one line when a synced tenant has no owned deals, no channels or no campaigns', () => {
    const text = md(
      figures({
        performance: buildSalesPerformance({ reps: [], channels: [] }),
        campaigns: buildCampaignReport({ campaigns: [] }),
      }),
    );
    expect(section(text, '## Sales reps')).toEqual(['No deals with an owner in the tenant’s store.']);
    expect(section(text, '## Acquisition channels')).toEqual([
      'No customer with a first won deal or order in the tenant’s store.',
    ]);
    expect(section(text, '## Campaigns')).toEqual(['No campaigns in the tenant’s store.']);
  });
});
