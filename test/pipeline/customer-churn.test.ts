/**
 * The churn stage run in a pipeline thread gives the run exactly what it gives run in the run's own thread:
 * the same model, evaluation, probabilities, bands and driver texts (the result crosses as data and is
 * rebuilt). Threads need the build (`npm test` builds first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { runScore } from '../../worker/jobs/score-run';
import type { CleanResult } from '../../worker/analytics/clean';
import {
  churnStageInput,
  runChurnStage,
  startChurnStage,
  type ChurnStageResult,
} from '../../worker/pipeline/customer-churn';
import { PipelineThreads } from '../../worker/pipeline/parallel/pipeline-threads';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';

let clean: CleanResult;
let observationEnd: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-clv-churn-stage-'));
  const transactions = join(dir, 'transactions.csv');
  const generated = await writeTransactionsCsv(transactions, { customers: 800, seed: 41 });
  observationEnd = generated.options.end;
  const scored = await runScore({
    settings: {
      ...STANDARD_SCORE_SETTINGS,
      transactions,
      observationEnd,
      baseCurrency: generated.options.currency,
      insights: false,
    },
    tenant: 'csv-churn-stage',
    source: 'csv',
    engineVersion: 'test',
  });
  clean = scored.result.clean;
});

function everyCustomer(stage: ChurnStageResult) {
  const p = stage.churn!.perCustomer;
  return Array.from({ length: clean.customers.length }, (_, c) => ({
    probability: p.probability[c],
    risk: p.risk[c],
    drivers: p.drivers(c),
    row: p.featureRow(c) === null ? null : Array.from(p.featureRow(c)!),
  }));
}

describe('the churn stage in a pipeline thread', () => {
  it('gives the model, evaluation and every customer’s probability, band and drivers of the stage run here', async () => {
    const input = churnStageInput(clean, { observationEnd, churnWindowDays: 90 });
    const here = runChurnStage(input);
    // The data must train a model with an evaluation and drivers, or the comparison proves little.
    expect(here.churn).not.toBeNull();
    expect(here.churn!.evaluation).not.toBeNull();
    expect(everyCustomer(here).filter((c) => c.drivers.length > 0).length).toBeGreaterThan(400);

    const threads = PipelineThreads.start(1);
    try {
      const there = await startChurnStage(input, threads);
      expect(there.warnings).toEqual(here.warnings);
      expect(there.reusedFrom).toBe(here.reusedFrom);
      expect(there.churn!.model).toEqual(here.churn!.model);
      expect(there.churn!.evaluation).toEqual(here.churn!.evaluation);
      expect(there.churn!.riskCounts).toEqual(here.churn!.riskCounts);
      expect(there.churn!.riskRule).toBe(here.churn!.riskRule);
      expect(everyCustomer(there)).toEqual(everyCustomer(here));
    } finally {
      await threads.close();
    }
  });

  it('says why no model was trained, as the stage run here does', async () => {
    // A two-year window leaves no history before the training cutoff.
    const input = churnStageInput(clean, { observationEnd, churnWindowDays: 730 });
    const here = runChurnStage(input);
    expect(here.churn).toBeNull();
    expect(here.warnings.join(' ')).toMatch(/^churn model not trained: /);
    const threads = PipelineThreads.start(1);
    try {
      expect(await startChurnStage(input, threads)).toEqual(here);
    } finally {
      await threads.close();
    }
  });
});
