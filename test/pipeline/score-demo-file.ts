/**
 * Test fixture: a generated demo transactions file scored by runScore (no store), for tests that need a
 * real run's cleaned data, summary or fits. Categories and names are the demo catalogue's.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCatalogueCategories, PRODUCT_CATALOGUE } from '../../demo-data/product-catalogue';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { runScore, type ScoreRunResult } from '../../worker/jobs/score-run';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';

export type DemoScore = ScoreRunResult & { observationEnd: string; dir: string };

export async function scoreDemoFile(options: {
  customers: number;
  seed: number;
  /** Segments, churn and recommendations (default true); the CLV engine alone without. */
  insights?: boolean;
  scoredAt?: string;
}): Promise<DemoScore> {
  const dir = mkdtempSync(join(tmpdir(), `crm-clv-demo-${options.seed}-`));
  const transactions = join(dir, 'transactions.csv');
  const generated = await writeTransactionsCsv(transactions, {
    customers: options.customers,
    seed: options.seed,
  });
  const scored = await runScore({
    settings: {
      ...STANDARD_SCORE_SETTINGS,
      transactions,
      observationEnd: generated.options.end,
      baseCurrency: generated.options.currency,
      productCategories: demoCatalogueCategories(),
      productNames: new Map(PRODUCT_CATALOGUE.map((p) => [p.id, p.name])),
      insights: options.insights ?? true,
    },
    tenant: `csv-demo-${options.seed}`,
    source: 'csv',
    engineVersion: 'test',
    ...(options.scoredAt ? { now: () => new Date(options.scoredAt!) } : {}),
  });
  return Object.assign(scored, { observationEnd: generated.options.end, dir });
}
