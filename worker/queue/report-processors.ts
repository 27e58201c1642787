/**
 * The report queue's processor: after a score run is committed, the tenant's sales-performance report from
 * its now current Scores (jobs/store-sales-performance). It takes no stage lock: it reads what the commit
 * made current and replaces one stored report whole, so a retried or doubled job writes the same report again.
 */
import { storeSalesPerformance } from '../jobs/store-sales-performance';
import type { StageContext } from './stage-context';
import { reportJobData } from './stage-data';

export type ReportOutcome = { report: 'sales-performance'; reps: number; channels: number };

export async function processReport(raw: unknown, ctx: StageContext): Promise<ReportOutcome> {
  const data = reportJobData.parse(raw);
  void ctx.progress({ stage: 'Sales performance' });
  const report = await storeSalesPerformance(ctx, data.tenant, data.rates);
  return { report: 'sales-performance', reps: report.reps.length, channels: report.channels.length };
}
