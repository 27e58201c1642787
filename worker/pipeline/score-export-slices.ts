/**
 * scores.csv and recommendations.csv cut into slices of customers that can be rendered anywhere: in this
 * process or in a pipeline thread (./parallel). A slice is a score slice (./score-slice: numbers and short
 * strings, so it survives structured cloning) plus the columns only the export shows. Rendering a slice gives
 * its lines of both files and, for a run whose Scores are not built otherwise (a file-only run), checks its
 * Scores exactly as buildScores then assertValidScores would: the first non-finite value, else the first
 * Score the schema refuses.
 */
import { CrmClvError } from '../../domain/errors';
import type { ScoreRun } from '../../domain/score';
import type { PlaybooksOptions } from '../../playbooks';
import { describeDrivers } from '../analytics/churn';
import { recommendationsOf, type Recommendation } from '../analytics/recommend';
import { assertValidScores } from './build-scores';
import { resetProcessPlaybooks, processPlaybookOptions } from './process-playbooks';
import {
  nextOrderDay,
  scoreBasis,
  scoreSlice,
  scoresOfSlice,
  type ScoreBasis,
  type ScoreSlice,
} from './score-slice';
import type { ScoreResult } from './score-transactions';
import { formatCell, type Cell } from './write-csv';

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

/** The columns a run without insights (CLV engine only) leaves out rather than leaving empty. */
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

export const RECOMMENDATION_COLUMNS = [
  'customer_id',
  'rank',
  'product_id',
  'product_name',
  'score',
  'reason',
];

/** recommendations.csv has at most this many lines per customer. */
const RECOMMENDATIONS_PER_CUSTOMER = 5;

export function scoreColumns(insights: boolean): readonly string[] {
  return insights ? SCORE_COLUMNS : SCORE_COLUMNS.filter((c) => !INSIGHT_COLUMNS.has(c));
}

/** What every slice of an export shares. */
export type ExportBasis = {
  score: ScoreBasis;
  /** The run has segments, churn and recommendations (their columns and recommendations.csv). */
  insights: boolean;
  /** Build every Score with its next best actions and check it (a run whose Scores are not built otherwise). */
  validate: boolean;
  /** The playbooks the next best actions come from: this process's, so a thread uses the same files. */
  playbooks: PlaybooksOptions;
};

/** Summary rows [from, from + rows) for the export. */
export type ExportSlice = {
  score: ScoreSlice;
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetaryValue: Float64Array;
  /** The behavioural segment's coarse group per row; null without segments. */
  segmentGroup: string[] | null;
  country: string[] | null;
};

/** A Score check that failed, as plain data (it crosses threads): the error is rebuilt by scoreCheckError. */
export type ScoreProblem = { name: string; code: string; message: string };

export type RenderedSlice = {
  /** The slice's scores.csv lines, each ending in a line feed. */
  scores: string;
  /** Its recommendations.csv lines ('' without insights). */
  recommendations: string;
  /** With basis.validate: the first failed Score check of the slice, non-finite values first. */
  problem: ScoreProblem | null;
};

/** Several slices rendered together (one message to a thread), as bytes. */
export type RenderedBatch = {
  scores: Uint8Array<ArrayBuffer>;
  recommendations: Uint8Array<ArrayBuffer>;
  problem: ScoreProblem | null;
};

/** Of two problems in row order, the one the whole run reports: a non-finite value first, else the earlier. */
export function firstProblem(earlier: ScoreProblem | null, later: ScoreProblem | null): ScoreProblem | null {
  if (earlier === null) return later;
  if (later !== null && earlier.code !== NON_FINITE && later.code === NON_FINITE) return later;
  return earlier;
}

const NON_FINITE = 'NON_FINITE_SCORE';

export function exportBasis(result: ScoreResult, run: ScoreRun, validate: boolean): ExportBasis {
  return {
    score: scoreBasis(result, run),
    insights: result.insights !== null,
    validate,
    playbooks: processPlaybookOptions(),
  };
}

export function exportSlice(result: ScoreResult, from: number, to: number): ExportSlice {
  const { summary, insights } = result;
  return {
    score: scoreSlice(result, from, to),
    frequency: summary.frequency.slice(from, to),
    recency: summary.recency.slice(from, to),
    T: summary.T.slice(from, to),
    monetaryValue: summary.monetaryValue.slice(from, to),
    segmentGroup: insights?.segments ? insights.segments.groupId.slice(from, to) : null,
    country: insights ? insights.country.slice(from, to) : null,
  };
}

/** A thread renders with the playbooks of the process that sent the basis. */
export function adoptPlaybooks(basis: ExportBasis): void {
  if (JSON.stringify(processPlaybookOptions()) !== JSON.stringify(basis.playbooks))
    resetProcessPlaybooks(basis.playbooks);
}

export function renderSlice(basis: ExportBasis, slice: ExportSlice): RenderedSlice {
  return {
    problem: basis.validate ? checkScores(basis.score, slice.score) : null,
    scores: scoreLines(basis, slice),
    recommendations: basis.insights ? recommendationLines(basis.score, slice.score) : '',
  };
}

function checkScores(basis: ScoreBasis, slice: ScoreSlice): ScoreProblem | null {
  try {
    assertValidScores(scoresOfSlice(basis, slice));
    return null;
  } catch (error) {
    if (!(error instanceof CrmClvError)) throw error;
    return { name: error.name, code: error.code, message: error.message };
  }
}

/**
 * The error a slice's problem stands for, with its class's code and message (a NonFiniteScoreError is a
 * CrmClvError 'NON_FINITE_SCORE', an invalid Score a CrmClvError 'INVALID_SCORE').
 */
export function scoreCheckError(problem: ScoreProblem): CrmClvError {
  const error = new CrmClvError(problem.code, problem.message);
  error.name = problem.name;
  return error;
}

function scoreLines(basis: ExportBasis, slice: ExportSlice): string {
  const s = slice.score;
  const { margin } = basis.score;
  const modelVersion = basis.score.run.modelVersion;
  const ins = basis.insights ? s.insights : null;
  const recommend = recommendationSource(basis.score, s);
  const cells: Cell[] = [];
  let out = '';
  for (let r = 0; r < s.ids.length; r++) {
    cells.length = 0;
    cells.push(s.ids[r]);
    if (ins) {
      cells.push(
        ins.segmentId?.[r],
        ins.segmentName?.[r],
        slice.segmentGroup?.[r],
        ins.rfmScore[r],
        ins.rfmSegment[r],
        ins.interest[r],
        slice.country?.[r],
      );
    }
    cells.push(
      slice.frequency[r],
      slice.recency[r],
      slice.T[r],
      slice.monetaryValue[r],
      s.revenue[r] * margin,
      s.expectedPurchases[r],
      s.expectedAverageValue[r],
      s.pAlive === null ? undefined : s.pAlive[r],
      s.clv[r],
      s.clvNet ? s.clvNet[r] : s.clv[r],
      nextOrderDay(basis.score, s.nextPurchase[r]) ?? '',
    );
    if (ins) {
      cells.push(
        ins.churnProbability[r],
        ins.churnRisk[r],
        driverTexts(basis.score, s, r),
        recommend ? productIds(recommendationsOf(recommend, r)) : '',
      );
    }
    cells.push(modelVersion);
    out += formatCell(cells[0]);
    for (let j = 1; j < cells.length; j++) out += ',' + formatCell(cells[j]);
    out += '\n';
  }
  return out;
}

/** One line per recommended product: rank, product, score and the reason shown to the sales rep. */
function recommendationLines(basis: ScoreBasis, slice: ScoreSlice): string {
  const recommend = recommendationSource(basis, slice);
  if (recommend === null) return '';
  let out = '';
  for (let r = 0; r < slice.ids.length; r++) {
    const picks = recommendationsOf(recommend, r);
    const id = formatCell(slice.ids[r]);
    for (let k = 0; k < Math.min(picks.length, RECOMMENDATIONS_PER_CUSTOMER); k++) {
      const pick = picks[k];
      out += `${id},${k + 1},${formatCell(pick.productId)},${formatCell(pick.productName.trim())},`;
      out += `${formatCell(pick.score)},${formatCell(pick.reason)}\n`;
    }
  }
  return out;
}

function recommendationSource(basis: ScoreBasis, slice: ScoreSlice) {
  const recommendations = slice.insights?.recommendations;
  if (!recommendations || !basis.products) return null;
  return {
    recommendations,
    products: basis.products.ids,
    productNames: basis.products.names,
    segmentNames: basis.products.segmentNames,
  };
}

function driverTexts(basis: ScoreBasis, slice: ScoreSlice, r: number): string {
  const d = slice.insights?.drivers;
  if (!d || !basis.drivers) return '';
  const drivers = describeDrivers(
    basis.drivers,
    d.raw.subarray(r * d.q, (r + 1) * d.q),
    d.feature.subarray(r * d.k, (r + 1) * d.k),
    d.contribution.subarray(r * d.k, (r + 1) * d.k),
  );
  let out = '';
  for (let k = 0; k < drivers.length; k++) out += k === 0 ? drivers[k].text : '; ' + drivers[k].text;
  return out;
}

function productIds(picks: readonly Recommendation[]): string {
  let out = '';
  for (let k = 0; k < picks.length; k++) out += k === 0 ? picks[k].productId : '|' + picks[k].productId;
  return out;
}
