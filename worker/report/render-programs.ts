/**
 * The run report's retention-programs section: per program, each arm's size, retention rate and revenue per
 * customer, the lift with its 95% interval, incremental revenue and ROI. An interim result says so in its
 * heading, so nobody reads an open window as a finding.
 */
import type { Interval } from '../analytics/programs';
import type { ProgramResult } from '../programs/measure-programs';
import { count, currencyAmount, pct } from './format';
import { htmlBlock, mdBlock, mdTable, type Block } from './report-blocks';

const points = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} pts`;

function withInterval(i: Interval, show: (v: number) => string): string {
  return `${show(i.estimate)} (95% CI ${show(i.low)} to ${show(i.high)})`;
}

export function programBlocks(results: readonly ProgramResult[] | undefined): Block[] {
  if (results === undefined || results.length === 0) return [];
  const blocks: Block[] = [
    htmlBlock('<section id="retention-programs">'),
    mdBlock('## Retention programs', ''),
  ];
  for (const r of results) {
    const p = r.program;
    const l = r.lift;
    const money = (v: number) => currencyAmount(v, p.currency);
    blocks.push(
      mdBlock(
        `### ${p.name}: ${r.status === 'interim' ? 'interim — the window has not closed, do not act on it yet' : 'final'}`,
        '',
        `${pct(p.treatmentShare, 0)} treated, outcome window ${p.windowDays} days` +
          (r.windowClosesAt ? ` (closes ${r.windowClosesAt.slice(0, 10)})` : '') +
          `; retained = at least one won order within the window. ${r.detectable.words}`,
        '',
        ...mdTable(
          ['Arm', 'Customers', 'Retained', 'Retention rate', 'Revenue per customer'],
          [
            [
              'Treatment',
              count(l.treatment.customers),
              count(l.treatment.retained),
              pct(l.treatment.retentionRate),
              money(l.treatment.revenuePerCustomer),
            ],
            [
              'Control',
              count(l.control.customers),
              count(l.control.retained),
              pct(l.control.retentionRate),
              money(l.control.revenuePerCustomer),
            ],
          ],
        ),
        ...(l.retentionLift && l.revenueLift
          ? [
              `- Retention lift: **${withInterval(l.retentionLift, points)}** (Newcombe hybrid score interval)`,
              `- Revenue lift per customer: ${withInterval(l.revenueLift, money)} (seeded bootstrap)`,
              `- Incremental revenue ${money(l.incrementalRevenue!)}, cost ${money(l.cost)}` +
                (l.roi !== undefined ? `, ROI ${pct(l.roi)}` : ''),
              '',
            ]
          : ['- No lift yet: an arm is empty.', '']),
      ),
    );
  }
  blocks.push(htmlBlock('</section>'));
  return blocks;
}
