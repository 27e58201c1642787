/**
 * Writes what `crm-clv score` promises: scores.csv, quality.json, report.json, report.md and report.html (and
 * recommendations.csv, segment-model.json with insights).
 *
 * All or nothing: the files are written in full into a staging directory inside the output directory, then
 * swapped in (connectors/files/staged-file-set): the previous run's result files are removed, including one
 * this run does not write (recommendations.csv after a --no-insights run), and the new ones renamed into
 * place. A run that fails while writing leaves the previous files as they were and no half-written file;
 * runScore then removes the previous results (removeScoreResults), so after a failed run the directory holds
 * no result that could pass for this run's. segment-model.json is not a result but the input of the next
 * --previous-run: it is replaced when a run writes a new one and otherwise left in place, so a failed run
 * does not cost the next one its stable segment ids.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { removeFiles, stageFileSet } from '../../connectors/files/staged-file-set';
import { readPreviousTotals } from '../report/previous-report';
import type { ProgramResult } from '../programs/measure-programs';
import { renderHtml, renderMarkdown } from '../report/render-report';
import type { RfmSummary } from '../analytics/rfm';
import type { CustomerInsights } from './customer-insights';
import type { ScoreRun } from '../../domain/score';
import { nextOrderDate } from './build-scores';
import type { ScoreResult } from './score-transactions';
import { writeCsv, writeCsvRows, type Cell } from './write-csv';
import { SEGMENT_MODEL_FILE } from './previous-run';

export const SCORE_COLUMNS = [
  'customer_id',
  'segment_id',
  'segment_name',
  'segment_group',
  'rfm_score',
  'rfm_segment',
  'interest',
  'country',
  'frequency',
  'recency',
  'T',
  'monetary_value',
  'clv_historic',
  'expected_orders',
  'expected_order_value',
  'p_alive',
  'clv_predicted',
  'clv_net',
  'next_order_date',
  'churn_probability',
  'churn_risk',
  'churn_drivers',
  'recommendations',
  'model_version',
] as const;

const INSIGHT_COLUMNS = new Set<string>([
  'segment_id',
  'segment_name',
  'segment_group',
  'rfm_score',
  'rfm_segment',
  'interest',
  'country',
  'churn_probability',
  'churn_risk',
  'churn_drivers',
  'recommendations',
]);

/** The files of a run's results, as named in the output directory (the segment model is not one of them). */
export const SCORE_RESULT_FILES = [
  'scores.csv',
  'recommendations.csv',
  'quality.json',
  'report.json',
  'report.md',
  'report.html',
] as const;

const STAGING_PREFIX = '.crm-clv-staging-';

/** After a failed run: removes the previous run's result files from `dir`; returns the names removed. */
export function removeScoreResults(dir: string): Promise<string[]> {
  return removeFiles(dir, SCORE_RESULT_FILES);
}

export type WrittenOutputs = {
  scores: string;
  quality: string;
  report: string;
  markdown: string;
  html: string;
  /** Written only when the run made segments and recommendations. */
  segmentModel?: string;
  recommendations?: string;
};

/** Exports a scored run: the Scores themselves live in the store; these files are for people and tools. */
export async function writeScoreOutputs(
  dir: string,
  result: ScoreResult,
  run: ScoreRun,
  /** The `--previous-run` directory: its report.json gives the totals the summary compares with. */
  previousDir?: string,
  /** The tenant's retention programs measured at the run, for the report's section. */
  programs?: ProgramResult[],
): Promise<WrittenOutputs> {
  await mkdir(dir, { recursive: true });
  const staged = await stageFileSet(dir, STAGING_PREFIX);
  try {
    const paths = await writeStaged(staged.path, dir, result, run, previousDir, programs);
    await staged.commit(SCORE_RESULT_FILES);
    return paths;
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

/** Writes every file at staging(name); returns where each will be once committed. */
async function writeStaged(
  staging: (name: string) => string,
  dir: string,
  result: ScoreResult,
  run: ScoreRun,
  previousDir: string | undefined,
  programs?: ProgramResult[],
): Promise<WrittenOutputs> {
  const { summary, predictions: p, report, clean, insights } = result;
  const modelVersion = run.modelVersion;
  const paths: WrittenOutputs = {
    scores: join(dir, 'scores.csv'),
    quality: join(dir, 'quality.json'),
    report: join(dir, 'report.json'),
    markdown: join(dir, 'report.md'),
    html: join(dir, 'report.html'),
  };
  // With --no-insights the P2 columns (segments, churn, recommendations) are left out, not left empty.
  const columns = insights ? SCORE_COLUMNS : SCORE_COLUMNS.filter((c) => !INSIGHT_COLUMNS.has(c));
  const pAliveValues = result.pAlive.values;
  const margin = report.clv.margin;
  // Cells go straight into writeCsvRows' reused array: no arrays per row at millions of customers.
  const clvCells = (i: number, cells: Cell[], at: number): number => {
    cells[at++] = summary.frequency[i];
    cells[at++] = summary.recency[i];
    cells[at++] = summary.T[i];
    cells[at++] = summary.monetaryValue[i];
    cells[at++] = summary.totalRevenue[i] * margin;
    cells[at++] = p.expectedPurchases[i];
    cells[at++] = p.expectedAverageValue[i];
    cells[at++] = pAliveValues === null ? undefined : pAliveValues[i];
    cells[at++] = p.clv[i];
    cells[at++] = p.clvNet ? p.clvNet[i] : p.clv[i];
    cells[at++] = nextOrderDate(result, i) ?? '';
    return at;
  };
  await writeCsvRows(staging('scores.csv'), columns, summary.ids.length, (i, cells) => {
    cells[0] = summary.ids[i];
    if (!insights) {
      cells[clvCells(i, cells, 1)] = modelVersion;
      return true;
    }
    const segments = insights.segments;
    cells[1] = segments?.segmentId[i];
    cells[2] = segments?.segmentName[i];
    cells[3] = segments?.groupId[i];
    cells[4] = insights.rfm.rfmScore[i];
    cells[5] = insights.rfm.segmentName[i];
    cells[6] = insights.interest[i];
    cells[7] = insights.country[i];
    let at = clvCells(i, cells, 8);
    cells[at++] = insights.churnProbability[i];
    cells[at++] = insights.churnRisk[i];
    cells[at++] = joinTexts(insights.churnDrivers(i), '; ');
    cells[at++] = joinProductIds(insights.recommendations(i), '|');
    cells[at] = modelVersion;
    return true;
  });
  if (insights) {
    paths.recommendations = join(dir, 'recommendations.csv');
    await writeRecommendations(staging('recommendations.csv'), summary, insights);
    if (insights.segments) {
      paths.segmentModel = join(dir, SEGMENT_MODEL_FILE);
      await writeFile(staging(SEGMENT_MODEL_FILE), JSON.stringify(insights.segments.model) + '\n');
    }
  }
  await writeFile(staging('quality.json'), JSON.stringify(clean.quality, jsonNumbers, 2) + '\n');
  await writeFile(
    staging('report.json'),
    // `run` says whose scores these are: write-back refuses a run of another tenant or source.
    JSON.stringify({ ...report, modelVersion, scoredAt: run.scoredAt, run }, jsonNumbers, 2) + '\n',
  );
  const previousTotals = previousDir === undefined ? null : await readPreviousTotals(previousDir);
  const reportContext = { run, quality: clean.quality, pAlive: result.pAlive, previousTotals, programs };
  await writeFile(staging('report.md'), renderMarkdown(report, reportContext));
  await writeFile(staging('report.html'), renderHtml(report, reportContext));
  return paths;
}

/** One row per recommended product: rank, product, score and the reason shown to the sales rep. */
async function writeRecommendations(
  path: string,
  summary: RfmSummary,
  insights: CustomerInsights,
): Promise<void> {
  const perRow = 5;
  let current = -1;
  let picks: ReturnType<typeof insights.recommendations> = [];
  await writeCsv(
    path,
    ['customer_id', 'rank', 'product_id', 'product_name', 'score', 'reason'],
    summary.ids.length * perRow,
    (k) => {
      const row = Math.floor(k / perRow);
      if (row !== current) {
        current = row;
        picks = insights.recommendations(row);
      }
      const pick = picks[k % perRow];
      return pick
        ? [
            summary.ids[row],
            (k % perRow) + 1,
            pick.productId,
            pick.productName.trim(),
            pick.score,
            pick.reason,
          ]
        : null;
    },
  );
}

function joinTexts(drivers: readonly { text: string }[], separator: string): string {
  let out = '';
  for (let k = 0; k < drivers.length; k++) out += k === 0 ? drivers[k].text : separator + drivers[k].text;
  return out;
}

function joinProductIds(picks: readonly { productId: string }[], separator: string): string {
  let out = '';
  for (let k = 0; k < picks.length; k++) out += k === 0 ? picks[k].productId : separator + picks[k].productId;
  return out;
}

/** JSON has no NaN or Infinity: write null so the file stays valid. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
