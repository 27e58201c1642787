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
import type { RunSalesFigures } from '../report/render-sales';
import { renderHtml, renderMarkdown } from '../report/render-report';
import type { ScoreRun } from '../../domain/score';
import { SEGMENT_MODEL_FILE } from './previous-run';
import { SCORE_COLUMNS } from './score-export-slices';
import type { ScoreResult } from './score-transactions';
import { writeScoreTables, type ScoreTableOptions } from './write-score-tables';

export { SCORE_COLUMNS };

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
  /**
   * programs: the tenant's retention programs measured at the run, for the report's section. validate: check
   * every Score as its rows are written (a run whose Scores were not built and checked before); nothing is put
   * in place when one fails. threads: how many render the rows (default by size). sales: the tenant's reps,
   * channels and campaigns for the report's sections (null: the input has none; absent: no sections).
   */
  options: ScoreTableOptions & { programs?: ProgramResult[]; sales?: RunSalesFigures } = {},
): Promise<WrittenOutputs> {
  const { programs, sales, ...tables } = options;
  await mkdir(dir, { recursive: true });
  const staged = await stageFileSet(dir, STAGING_PREFIX);
  try {
    const paths = await writeStaged(staged.path, dir, result, run, previousDir, { programs, sales }, tables);
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
  context: { programs?: ProgramResult[]; sales?: RunSalesFigures },
  tables: ScoreTableOptions,
): Promise<WrittenOutputs> {
  const { report, clean, insights } = result;
  const paths: WrittenOutputs = {
    scores: join(dir, 'scores.csv'),
    quality: join(dir, 'quality.json'),
    report: join(dir, 'report.json'),
    markdown: join(dir, 'report.md'),
    html: join(dir, 'report.html'),
  };
  // With --no-insights the P2 columns (segments, churn, recommendations) are left out, not left empty, and
  // there is no recommendations.csv.
  await writeScoreTables(
    staging('scores.csv'),
    insights ? staging('recommendations.csv') : null,
    result,
    run,
    tables,
  );
  if (insights) {
    paths.recommendations = join(dir, 'recommendations.csv');
    if (insights.segments) {
      paths.segmentModel = join(dir, SEGMENT_MODEL_FILE);
      await writeFile(staging(SEGMENT_MODEL_FILE), JSON.stringify(insights.segments.model) + '\n');
    }
  }
  const modelVersion = run.modelVersion;
  await writeFile(staging('quality.json'), JSON.stringify(clean.quality, jsonNumbers, 2) + '\n');
  await writeFile(
    staging('report.json'),
    // `run` says whose scores these are: write-back refuses a run of another tenant or source.
    JSON.stringify({ ...report, modelVersion, scoredAt: run.scoredAt, run }, jsonNumbers, 2) + '\n',
  );
  const previousTotals = previousDir === undefined ? null : await readPreviousTotals(previousDir);
  const reportContext = { run, quality: clean.quality, pAlive: result.pAlive, previousTotals, ...context };
  await writeFile(staging('report.md'), renderMarkdown(report, reportContext));
  await writeFile(staging('report.html'), renderHtml(report, reportContext));
  return paths;
}

/** JSON has no NaN or Infinity: write null so the file stays valid. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
