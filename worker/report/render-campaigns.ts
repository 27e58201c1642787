/** The campaign report as terminal text: one block per campaign, the observational note once. */
import type { CampaignReport } from '../pipeline/campaign-report';
import { count, currencyAmount, pct } from './format';

const orDash = (v: number | undefined, f: (v: number) => string) => (v === undefined ? '–' : f(v));

export function renderCampaignReport(report: CampaignReport): string {
  const money = (v: number) => currencyAmount(v, report.currency);
  const lines = [
    `Campaigns of ${report.tenant} (score run ${report.runId}; conversion = a won order within ${report.withinDays} days of joining)`,
  ];
  if (report.campaigns.length === 0) lines.push('  No campaigns in the store: sync the CRM first.');
  for (const k of report.campaigns) {
    const ci = k.conversionInterval;
    lines.push(
      `- ${k.name}${k.channel ? ` (${k.channel})` : ''}: ${count(k.members)} members, ` +
        `${orDash(k.responseRate, pct)} responded, ${count(k.converted)} converted (${orDash(k.conversionRate, pct)}` +
        `${ci ? `, 95% ${pct(ci.low)}–${pct(ci.high)}` : ''}), revenue ${money(k.revenue)}, ` +
        `CLV of the converted ${money(k.convertedClv)}, cost ${orDash(k.cost, money)}, ROI ${orDash(k.roi, (v) => pct(v, 0))}`,
    );
    const c = k.comparison;
    if (c !== undefined)
      lines.push(
        `    vs matched non-members (observational, ${count(c.matchedMembers)} matched, ${count(c.unmatchedMembers)} not): ` +
          `${pct(c.memberConversionRate)} vs ${pct(c.baselineConversionRate)} converted ` +
          `(${c.conversionLift >= 0 ? '+' : ''}${(100 * c.conversionLift).toFixed(1)} points), ` +
          `incremental revenue ${money(c.incrementalRevenue)}` +
          (c.incrementalRoi === undefined ? '' : `, incremental ROI ${pct(c.incrementalRoi, 0)}`),
      );
  }
  if (report.otherCurrencyOrders > 0)
    lines.push(
      `  ${count(report.otherCurrencyOrders)} won orders in other currencies than ${report.currency} are left out of revenue.`,
    );
  lines.push(`  ${report.note}`);
  return lines.join('\n') + '\n';
}
