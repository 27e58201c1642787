/**
 * After a score run is made current: the tenant's sales performance (worker/pipeline/sales-performance.ts)
 * from the new Scores, stored whole under SALES_PERFORMANCE_REPORT for the dashboard. The tenant's registered
 * acquisition spend (`crm-clv tenant spend`) is read here, at each run, so a table set between runs counts
 * from the next one; without one, channels have CLV but no CAC.
 * Replacing the report whole makes a retried commit rewrite the same report, never add a second.
 */
import type { AcquisitionSpend } from '../analytics/performance';
import { buildSalesPerformance, type SalesPerformance } from '../pipeline/sales-performance';
import type { RecordStore } from '../state/record-store';

export const SALES_PERFORMANCE_REPORT = 'sales-performance';

/** Where the report comes from: a stage's context (worker/queue/stage-context.ts) is one. */
export type SalesPerformanceSources = {
  store: Pick<RecordStore, 'readRecords' | 'readScoreRun' | 'putTenantReport'>;
  /** The tenant's registered acquisition spend (its registry entry); absent or undefined: none. */
  acquisitionSpend?(tenant: string): Promise<readonly AcquisitionSpend[] | undefined>;
};

export async function storeSalesPerformance(
  sources: SalesPerformanceSources,
  tenant: string,
  rates: Readonly<Record<string, number>> | undefined,
): Promise<SalesPerformance> {
  const { store } = sources;
  const spend = await sources.acquisitionSpend?.(tenant);
  const report = await buildSalesPerformance(store, tenant, {
    spend,
    rates,
    bootstrap: { samples: 500, seed: 1 },
  });
  await store.putTenantReport(
    tenant,
    SALES_PERFORMANCE_REPORT,
    JSON.stringify(report, (_k, v: unknown) => (v === Infinity ? null : v)),
  );
  return report;
}

/** The stored report; undefined when the tenant has none yet. */
export async function readSalesPerformance(
  store: { getTenantReport?(tenant: string, name: string): Promise<string | undefined> },
  tenant: string,
): Promise<SalesPerformance | undefined> {
  const text = await store.getTenantReport?.(tenant, SALES_PERFORMANCE_REPORT);
  return text === undefined ? undefined : (JSON.parse(text) as SalesPerformance);
}
