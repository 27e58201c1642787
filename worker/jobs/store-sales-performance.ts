/**
 * After a score run is made current: the tenant's sales performance (worker/pipeline/sales-performance.ts)
 * from the new Scores, stored whole under SALES_PERFORMANCE_REPORT for the dashboard. Without an
 * acquisition-spend table a tenant's channels have CLV but no CAC (the CLI's --acquisition-spend adds it).
 * Replacing the report whole makes a retried commit rewrite the same report, never add a second.
 */
import { buildSalesPerformance, type SalesPerformance } from '../pipeline/sales-performance';
import type { RecordStore } from '../state/record-store';

export const SALES_PERFORMANCE_REPORT = 'sales-performance';

export async function storeSalesPerformance(
  store: Pick<RecordStore, 'readRecords' | 'readScoreRun' | 'putTenantReport'>,
  tenant: string,
  rates: Readonly<Record<string, number>> | undefined,
): Promise<SalesPerformance> {
  const report = await buildSalesPerformance(store, tenant, { rates, bootstrap: { samples: 500, seed: 1 } });
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
