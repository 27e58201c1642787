/**
 * The run report's sales sections, from the tenant's stored deals, owners, campaigns and this run's Scores
 * (worker/jobs/run-sales-figures.ts): the top reps by shrunk win rate with the raw rate's Wilson interval,
 * acquisition channels with CLV (and CAC, CLV:CAC, payback when the tenant has spend), and campaign KPIs.
 * A run without such records (a transactions file) gets one line per section saying so.
 */
import type { SalesPerformance } from '../pipeline/sales-performance';
import type { CampaignReport } from '../pipeline/campaign-report';
import { count, currencyAmount, fmt, pct } from './format';
import { htmlBlock, mdBlock, mdTable, type Block } from './report-blocks';

/** What the sales sections show; null when the run's input holds no CRM records (a transactions file). */
export type RunSalesFigures = { performance: SalesPerformance; campaigns: CampaignReport } | null;

export const TOP_REPS = 10;
/** Below this many closed deals a rep's win rate is mostly the team's (the shrinkage), and it is marked. */
export const FEW_CLOSED_DEALS = 10;

/** A value for a Markdown table cell: no column break or line break from the CRM's text. */
const cell = (text: string) => text.replace(/\s*[|\r\n]+\s*/g, ' ').trim() || '–';
const orDash = (v: number | undefined | null, show: (v: number) => string) =>
  v === undefined || v === null ? '–' : show(v);

export function salesBlocks(figures: RunSalesFigures | undefined): Block[] {
  if (figures === undefined) return [];
  return [
    htmlBlock('<section id="sales-reps">'),
    ...repBlocks(figures?.performance),
    htmlBlock('</section><section id="acquisition-channels">'),
    ...channelBlocks(figures?.performance),
    htmlBlock('</section><section id="campaigns">'),
    ...campaignBlocks(figures?.campaigns),
    htmlBlock('</section>'),
  ];
}

function repBlocks(p: SalesPerformance | undefined): Block[] {
  const title = '## Sales reps';
  if (p === undefined)
    return [mdBlock(title, '', 'No deals or owners in this run’s input (a transactions file has none).', '')];
  const reps = p.reps.filter((r) => r.segment === 'all').sort((a, b) => a.rank - b.rank);
  if (reps.length === 0) return [mdBlock(title, '', 'No deals with an owner in the tenant’s store.', '')];
  const money = (v: number) => currencyAmount(v, p.currency);
  const top = reps.slice(0, TOP_REPS);
  const few = top.filter((r) => r.won + r.lost < FEW_CLOSED_DEALS).length;
  return [
    mdBlock(
      title,
      '',
      `Top ${count(top.length)} of ${count(reps.length)} reps by win rate shrunk toward the team’s (empirical Bayes), ` +
        `so a rep with a few lucky deals does not top the table; the raw win rate with its Wilson 95% interval beside it.`,
      '',
      ...mdTable(
        [
          '#',
          'Rep',
          'Won / closed',
          'Win rate (95% CI)',
          'Shrunk win rate',
          'Won revenue',
          'Open pipeline',
          'New customers',
        ],
        top.map((r) => [
          r.rank,
          `${cell(r.repName)}${r.won + r.lost < FEW_CLOSED_DEALS ? ' †' : ''}`,
          `${count(r.won)} / ${count(r.won + r.lost)}`,
          `${orDash(r.winRate, (v) => pct(v))} (${pct(r.winRateLow)}–${pct(r.winRateHigh)})`,
          pct(r.shrunkWinRate),
          money(r.wonRevenue),
          money(r.openPipeline),
          count(r.newCustomers),
        ]),
        ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      ...(few > 0
        ? [
            `† Fewer than ${FEW_CLOSED_DEALS} closed deals: a small sample, so the interval is wide and the shrunk rate ` +
              'is mostly the team’s; do not read the rank as skill yet.',
            '',
          ]
        : []),
    ),
  ];
}

function channelBlocks(p: SalesPerformance | undefined): Block[] {
  const title = '## Acquisition channels';
  if (p === undefined)
    return [
      mdBlock(title, '', 'No acquisition channels in this run’s input (a transactions file has none).', ''),
    ];
  if (p.channels.length === 0)
    return [mdBlock(title, '', 'No customer with a first won deal or order in the tenant’s store.', '')];
  const money = (v: number) => currencyAmount(v, p.currency);
  const withSpend = p.channels.some((c) => c.cac !== undefined && c.cac !== null);
  const head = ['Channel', 'Customers', `Mean CLV (${p.clvMonths} months)`];
  const rows = p.channels.map((c) => [
    cell(c.channel),
    count(c.customersAcquired),
    money(c.meanClv),
    ...(withSpend
      ? [
          orDash(c.cac, money),
          orDash(c.clvToCac, (v) => fmt(v, 2)),
          orDash(c.paybackMonths, (v) => fmt(v, 1)),
        ]
      : []),
  ]);
  return [
    mdBlock(
      title,
      '',
      'Customers by first-touch channel (acquired = first won deal or order) and their mean predicted CLV.',
      '',
      ...mdTable(withSpend ? [...head, 'CAC', 'CLV:CAC', 'Payback (months)'] : head, rows),
      withSpend
        ? 'CAC = spend / customers acquired in the months the channel’s spend covers; payback = CAC / (mean CLV per month).'
        : 'No acquisition spend for this tenant, so no CAC: set it with crm-clv tenant spend --tenant T --file spend.csv.',
      '',
    ),
  ];
}

function campaignBlocks(r: CampaignReport | undefined): Block[] {
  const title = '## Campaigns';
  if (r === undefined)
    return [mdBlock(title, '', 'No campaigns in this run’s input (a transactions file has none).', '')];
  if (r.campaigns.length === 0) return [mdBlock(title, '', 'No campaigns in the tenant’s store.', '')];
  const money = (v: number) => currencyAmount(v, r.currency);
  return [
    mdBlock(
      title,
      '',
      `Conversion = a won order within ${count(r.withinDays)} days of joining.`,
      '',
      ...mdTable(
        ['Campaign', 'Members', 'Responded', 'Converted', 'Conversion (95% CI)', 'Revenue', 'Cost', 'ROI'],
        r.campaigns.map((k) => [
          cell(k.name),
          count(k.members),
          orDash(k.responseRate, (v) => pct(v)),
          count(k.converted),
          `${orDash(k.conversionRate, (v) => pct(v))}` +
            (k.conversionInterval
              ? ` (${pct(k.conversionInterval.low)}–${pct(k.conversionInterval.high)})`
              : ''),
          money(k.revenue),
          orDash(k.cost, money),
          orDash(k.roi, (v) => pct(v, 0)),
        ]),
      ),
      ...(r.otherCurrencyOrders > 0
        ? [
            `${count(r.otherCurrencyOrders)} won orders in other currencies than ${r.currency} are left out of revenue.`,
            '',
          ]
        : []),
      r.note,
      '',
    ),
  ];
}
