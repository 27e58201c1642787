/**
 * The sales figures of a score run's report: sales performance (reps, channels) and campaign KPIs from the
 * tenant's stored deals, owners, customers and campaigns, against this run's Scores. The report is written
 * before the run is stored, so the store's own latest run would be the previous one: these builders are given
 * a view of the store whose latest run is this one.
 */
import type { Score, ScoreRun } from '../../domain/score';
import { DEFAULT_CONVERSION_DAYS } from '../analytics/campaigns';
import type { AcquisitionSpend } from '../analytics/performance';
import { buildCampaignReport } from '../pipeline/campaign-report';
import { buildSalesPerformance } from '../pipeline/sales-performance';
import type { RunSalesFigures } from '../report/render-sales';
import type { RecordStore } from '../state/record-store';

export type RunSalesOptions = {
  /** The run's currency rates (units of the run's currency per unit), for deals in other currencies. */
  rates?: Readonly<Record<string, number>>;
  /** The tenant's acquisition spend (its registry entry), for CAC; none: channels have CLV only. */
  spend?: readonly AcquisitionSpend[];
};

export async function runSalesFigures(
  store: Pick<RecordStore, 'readRecords'>,
  run: ScoreRun,
  scores: Score[],
  options: RunSalesOptions = {},
): Promise<NonNullable<RunSalesFigures>> {
  const view = {
    readRecords: store.readRecords.bind(store) as RecordStore['readRecords'],
    readScoreRun: async (tenant: string) => (tenant === run.tenant ? { run, scores } : undefined),
  };
  const performance = await buildSalesPerformance(view, run.tenant, {
    spend: options.spend,
    rates: options.rates,
    // As the worker's stored report (store-sales-performance.ts): seeded, so a rerun writes the same report.
    bootstrap: { samples: 500, seed: 1 },
  });
  const campaigns = await buildCampaignReport(view, run.tenant, DEFAULT_CONVERSION_DAYS);
  return { performance, campaigns };
}
