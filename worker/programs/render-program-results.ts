/** Program results as text for the CLI and the run report: arms, lift with its interval, ROI, interim label. */
import type { Interval } from '../analytics/programs';
import type { ProgramResult } from './measure-programs';

const points = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} pts`;
const money = (v: number, currency: string) =>
  `${v < 0 ? '−' : ''}${currency} ${Math.abs(v).toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`;
const pctOf = (v: number) => `${(v * 100).toFixed(1)}%`;

function interval(i: Interval, show: (v: number) => string): string {
  return `${show(i.estimate)} (95% CI ${show(i.low)} to ${show(i.high)})`;
}

export function renderProgramResults(results: readonly ProgramResult[]): string {
  if (results.length === 0) return "No retention programs: add one with 'crm-clv program add'.\n";
  return results.map(renderOne).join('\n');
}

function renderOne(r: ProgramResult): string {
  const p = r.program;
  const l = r.lift;
  const lines = [
    `${p.name} (${p.id}) — ${r.status === 'interim' ? 'INTERIM: the window has not closed, do not act on these numbers' : 'final'}`,
    `  ${p.status}, ${pctOf(p.treatmentShare)} treated, window ${p.windowDays} days` +
      (r.windowClosesAt ? `, closes ${r.windowClosesAt.slice(0, 10)}` : '') +
      `, cost ${money(p.costPerTreated, p.currency)} per treated customer`,
    `  enrolled ${r.enrolled}: treatment ${l.treatment.customers}, control ${l.control.customers}`,
    `  ${r.detectable.words}`,
    `  retention (an order within the window): treatment ${pctOf(l.treatment.retentionRate)}, control ${pctOf(l.control.retentionRate)}`,
    `  revenue per customer: treatment ${money(l.treatment.revenuePerCustomer, p.currency)}, control ${money(l.control.revenuePerCustomer, p.currency)}`,
  ];
  if (l.retentionLift) lines.push(`  retention lift ${interval(l.retentionLift, points)}`);
  if (l.revenueLift)
    lines.push(`  revenue lift per customer ${interval(l.revenueLift, (v) => money(v, p.currency))}`);
  if (l.incrementalRevenue !== undefined)
    lines.push(
      `  incremental revenue ${money(l.incrementalRevenue, p.currency)}, cost ${money(l.cost, p.currency)}` +
        (l.roi !== undefined ? `, ROI ${pctOf(l.roi)}` : ''),
    );
  if (r.otherCurrencyOrders > 0)
    lines.push(`  ${r.otherCurrencyOrders} orders in another currency than ${p.currency} left out`);
  return lines.join('\n') + '\n';
}
