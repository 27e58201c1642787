/**
 * scores.csv and recommendations.csv rendered in slices: in pipeline threads or in the writing thread, the
 * same bytes, the rows of the run's Scores, and a file-only run's Score checks as buildScores then
 * assertValidScores make them (a non-finite value first, else the first invalid Score, customer and field
 * named). Threads need the build (`npm test` builds first).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCatalogueCategories, PRODUCT_CATALOGUE } from '../../demo-data/product-catalogue';
import type { Score } from '../../domain/score';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { runScore, type ScoreRunResult } from '../../worker/jobs/score-run';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';
import type { ScoreResult } from '../../worker/pipeline/score-transactions';
import { writeScoreOutputs } from '../../worker/pipeline/write-score-outputs';
import { writeScoreTables, type ScoreTableOptions } from '../../worker/pipeline/write-score-tables';
import { formatNumber } from '../../worker/pipeline/write-csv';

const SCORED_AT = '2025-01-15T09:30:00.000Z';

let dir: string;
let scored: ScoreRunResult;
let scores: Score[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-clv-tables-'));
  const transactions = join(dir, 'transactions.csv');
  const generated = await writeTransactionsCsv(transactions, { customers: 500, seed: 31 });
  scored = await runScore({
    settings: {
      ...STANDARD_SCORE_SETTINGS,
      transactions,
      observationEnd: generated.options.end,
      baseCurrency: generated.options.currency,
      productCategories: demoCatalogueCategories(),
      productNames: new Map(PRODUCT_CATALOGUE.map((p) => [p.id, p.name])),
    },
    tenant: 'csv-tables',
    source: 'csv',
    engineVersion: 'test',
    now: () => new Date(SCORED_AT),
  });
  scores = scored.scores;
});

let written = 0;
async function tables(result: ScoreResult, options: ScoreTableOptions) {
  const at = join(dir, `out-${++written}`);
  await writeScoreTables(`${at}-scores.csv`, `${at}-recommendations.csv`, result, scored.run, options);
  return {
    scores: readFileSync(`${at}-scores.csv`, 'utf8'),
    recommendations: readFileSync(`${at}-recommendations.csv`, 'utf8'),
  };
}

/** The result with one per-row number replaced at summary row `row`. */
function withClv(result: ScoreResult, row: number, value: number): ScoreResult {
  const clv = result.predictions.clv.slice();
  clv[row] = value;
  return { ...result, predictions: { ...result.predictions, clv } };
}

function withRfmScore(result: ScoreResult, row: number, value: string): ScoreResult {
  const insights = result.insights!;
  const rfmScore = insights.rfm.rfmScore.slice();
  rfmScore[row] = value;
  return { ...result, insights: { ...insights, rfm: { ...insights.rfm, rfmScore } } };
}

describe('the score tables', () => {
  it('hold one row per Score, in the Scores order, with the Scores values', async () => {
    const { scores: csv, recommendations } = await tables(scored.result, { threads: 0 });
    const lines = csv.trimEnd().split('\n');
    const header = lines[0].split(',');
    expect(lines).toHaveLength(scores.length + 1);
    // The data must exercise the columns a slice carries, or the comparisons below prove little.
    expect(scores.filter((s) => s.churnDrivers).length).toBeGreaterThan(scores.length / 2);
    expect(scores.filter((s) => s.recommendations).length).toBeGreaterThan(scores.length / 2);
    const col = (name: string) => header.indexOf(name);
    for (const [i, score] of scores.entries()) {
      // Driver texts hold commas, so the row is split only up to them (they come after these columns).
      const cells = lines[i + 1].split(',');
      expect(cells[col('customer_id')]).toBe(score.customerId);
      expect(cells[col('segment_id')]).toBe(score.segmentId);
      expect(cells[col('rfm_score')]).toBe(score.rfmScore);
      expect(cells[col('clv_predicted')]).toBe(formatNumber(score.clvPredicted));
      expect(cells[col('next_order_date')]).toBe(score.nextOrderDate ?? '');
      expect(lines[i + 1]).toContain((score.recommendations ?? []).map((r) => r.productId).join('|'));
      for (const d of score.churnDrivers ?? []) expect(lines[i + 1]).toContain(d.text);
    }
    const picks = scores.reduce((n, s) => n + Math.min(5, s.recommendations?.length ?? 0), 0);
    expect(recommendations.trimEnd().split('\n')).toHaveLength(picks + 1);
  });

  it('are the same bytes rendered in threads, in slices of any size, as rendered here', async () => {
    const here = await tables(scored.result, { threads: 0 });
    expect(await tables(scored.result, { threads: 2, sliceRows: 7 })).toEqual(here);
    expect(await tables(scored.result, { threads: 1, sliceRows: 1000 })).toEqual(here);
  });
});

describe.each([
  ['here', 0],
  ['in threads', 2],
])("a file-only run's Score checks, rendered %s", (_, threads) => {
  const options = { validate: true, threads, sliceRows: 16 };

  it('stop at a non-finite value, naming the customer and the field', async () => {
    const bad = withClv(scored.result, 100, NaN);
    await expect(tables(bad, options)).rejects.toMatchObject({
      code: 'NON_FINITE_SCORE',
      message: expect.stringContaining(`customer ${scores[100].customerId}: clvPredicted came out NaN`),
    });
  });

  it('name the first invalid Score, unless a later one holds a non-finite value', async () => {
    const invalid = withRfmScore(withRfmScore(scored.result, 3, '906'), 200, '0');
    await expect(tables(invalid, options)).rejects.toMatchObject({
      code: 'INVALID_SCORE',
      message: expect.stringContaining(`customer ${scores[3].customerId}: rfmScore`),
    });
    // A non-finite value in a later batch of slices, and in the same batch (16-row slices, 8 to a batch).
    for (const row of [400, 20]) {
      await expect(tables(withClv(invalid, row, Infinity), options)).rejects.toMatchObject({
        code: 'NON_FINITE_SCORE',
        message: expect.stringContaining(
          `customer ${scores[row].customerId}: clvPredicted came out Infinity`,
        ),
      });
    }
  });

  it('leave the earlier outputs in place when one fails', async () => {
    const out = mkdtempSync(join(tmpdir(), 'crm-clv-tables-out-'));
    writeFileSync(join(out, 'scores.csv'), 'earlier run\n');
    await expect(
      writeScoreOutputs(out, withClv(scored.result, 250, NaN), scored.run, undefined, options),
    ).rejects.toMatchObject({ code: 'NON_FINITE_SCORE' });
    expect(readFileSync(join(out, 'scores.csv'), 'utf8')).toBe('earlier run\n');
  });
});
