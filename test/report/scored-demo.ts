/**
 * A small scored run for the report tests, made in-process: the demo generator's retailer with 1,000
 * customers, scored by the whole engine and exported (scores, quality, report.json/.md/.html) to a temp dir.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCatalogueCategories, PRODUCT_CATALOGUE } from '../../demo-data/product-catalogue';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { runScore, type ScoreRunResult } from '../../worker/jobs/score-run';
import type { ScoreSettings } from '../../worker/pipeline/score-settings';

export const SCORED_AT = '2025-01-15T09:30:00.000Z';

export async function scoredDemo(
  name: string,
  overrides: Partial<ScoreSettings> = {},
): Promise<ScoreRunResult & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), `crm-clv-report-${name}-`));
  const transactions = join(dir, 'transactions.csv');
  const generated = await writeTransactionsCsv(transactions, { customers: 1000, seed: 11 });
  const settings: ScoreSettings = {
    transactions,
    format: 'generic',
    observationEnd: generated.options.end,
    period: 'week',
    model: 'auto',
    clvMonths: 12,
    monthlyDiscountRate: 0.01,
    margin: 1,
    acquisitionCost: 0,
    penalizer: 0,
    baseCurrency: generated.options.currency,
    currencyRates: {},
    excludeAnomalies: false,
    churnWindowDays: 90,
    insights: true,
    productCategories: demoCatalogueCategories(),
    productNames: new Map(PRODUCT_CATALOGUE.map((p) => [p.id, p.name])),
    ...overrides,
  };
  const result = await runScore({
    settings,
    tenant: 'csv-demo',
    source: 'csv',
    engineVersion: 'test',
    outDir: join(dir, 'out'),
    now: () => new Date(SCORED_AT),
  });
  return { ...result, dir: join(dir, 'out') };
}
