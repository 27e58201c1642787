/**
 * scores.csv and recommendations.csv cut into slices of customers that can be rendered anywhere: in this
 * process or in a pipeline thread (./parallel). A slice is a score slice (./score-slice: numbers and short
 * strings, so it survives structured cloning) plus the columns only the export shows. Rendering a slice gives
 * its lines of both files and, for a run whose Scores are not built otherwise (a file-only run), checks its
 * Scores exactly as buildScores then assertValidScores would: the first non-finite value, else the first
 * Score the schema refuses.
 */
import { CrmClvError } from '../../domain/errors';
import type { Score, ScoreRun } from '../../domain/score';
import type { PlaybooksOptions } from '../../playbooks';
import { describeDrivers } from '../analytics/churn';
import { recommendationsOf } from '../analytics/recommend';
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
import { CsvBytes } from './csv-bytes';

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

/** Where a slice's lines go: scores.csv's and recommendations.csv's bytes. */
export type ExportLines = { scores: CsvBytes; recommendations: CsvBytes };

/** Several slices for a thread to render, and buffers it may write their bytes in (written out, sent back). */
export type ExportBatch = { slices: ExportSlice[]; spare: ArrayBuffer[] };

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

/**
 * Renders slices in row order into `out` (reused from batch to batch, so its buffers have grown to size):
 * their lines of both tables as bytes of their own, and the problem the run reports of them.
 */
export function renderBatch(
  basis: ExportBasis,
  slices: readonly ExportSlice[],
  out: ExportLines,
  /** Buffers written out earlier, reused for the bytes (taken out of the list). */
  spare: ArrayBuffer[] = [],
): RenderedBatch {
  let problem: ScoreProblem | null = null;
  for (const slice of slices) problem = firstProblem(problem, renderSlice(basis, slice, out));
  return { scores: out.scores.take(spare), recommendations: out.recommendations.take(spare), problem };
}

export function exportLines(): ExportLines {
  return { scores: new CsvBytes(), recommendations: new CsvBytes() };
}

/**
 * Writes the slice's lines of both tables to `out`; with basis.validate, returns the first failed Score
 * check of the slice (non-finite values first), else null.
 */
export function renderSlice(basis: ExportBasis, slice: ExportSlice, out: ExportLines): ScoreProblem | null {
  let problem: ScoreProblem | null = null;
  let scores: Score[] | null = null;
  if (basis.validate) {
    try {
      scores = scoresOfSlice(basis.score, slice.score);
      assertValidScores(scores);
    } catch (error) {
      if (!(error instanceof CrmClvError)) throw error;
      problem = { name: error.name, code: error.code, message: error.message };
    }
  }
  // The Scores, when built, already hold the driver texts and recommendations the lines show.
  const texts = scores ? scoreTexts(scores) : sliceTexts(basis.score, slice.score);
  scoreLines(basis, slice, texts, out.scores);
  if (basis.insights) recommendationLines(slice.score, texts, out.recommendations);
  return problem;
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

/** Row r's churn drivers and recommended products, as the Score tells them. */
type RowTexts = {
  drivers(r: number): readonly { text: string }[];
  picks(r: number): readonly { productId: string; productName: string; score: number; reason: string }[];
};

function scoreTexts(scores: readonly Score[]): RowTexts {
  return {
    drivers: (r) => scores[r].churnDrivers ?? [],
    // A Score names a product by its id when it has no name; so does recommendationsOf.
    picks: (r) => scores[r].recommendations ?? [],
  };
}

function sliceTexts(basis: ScoreBasis, slice: ScoreSlice): RowTexts {
  const recommend = recommendationSource(basis, slice);
  const d = slice.insights?.drivers;
  return {
    drivers: (r) =>
      d && basis.drivers
        ? describeDrivers(
            basis.drivers,
            d.raw.subarray(r * d.q, (r + 1) * d.q),
            d.feature.subarray(r * d.k, (r + 1) * d.k),
            d.contribution.subarray(r * d.k, (r + 1) * d.k),
          )
        : [],
    picks: (r) => (recommend ? recommendationsOf(recommend, r) : []),
  };
}

function scoreLines(basis: ExportBasis, slice: ExportSlice, texts: RowTexts, out: CsvBytes): void {
  const s = slice.score;
  const { margin } = basis.score;
  const modelVersion = basis.score.run.modelVersion;
  const ins = basis.insights ? s.insights : null;
  for (let r = 0; r < s.ids.length; r++) {
    out.text(s.ids[r]);
    if (ins) {
      out.comma();
      out.cell(ins.segmentId?.[r]);
      out.comma();
      out.cell(ins.segmentName?.[r]);
      out.comma();
      out.cell(slice.segmentGroup?.[r]);
      out.comma();
      out.cell(ins.rfmScore[r]);
      out.comma();
      out.cell(ins.rfmSegment[r]);
      out.comma();
      out.cell(ins.interest[r]);
      out.comma();
      out.cell(slice.country?.[r]);
    }
    out.comma();
    out.number(slice.frequency[r]);
    out.comma();
    out.number(slice.recency[r]);
    out.comma();
    out.number(slice.T[r]);
    out.comma();
    out.number(slice.monetaryValue[r]);
    out.comma();
    out.number(s.revenue[r] * margin);
    out.comma();
    out.number(s.expectedPurchases[r]);
    out.comma();
    out.number(s.expectedAverageValue[r]);
    out.comma();
    if (s.pAlive !== null) out.number(s.pAlive[r]);
    out.comma();
    out.number(s.clv[r]);
    out.comma();
    out.number(s.clvNet ? s.clvNet[r] : s.clv[r]);
    out.comma();
    out.cell(nextOrderDay(basis.score, s.nextPurchase[r]));
    if (ins) {
      out.comma();
      out.number(ins.churnProbability[r]);
      out.comma();
      out.cell(ins.churnRisk[r]);
      out.comma();
      out.cell(joined(texts.drivers(r), '; ', (d) => d.text));
      out.comma();
      out.cell(joined(texts.picks(r), '|', (p) => p.productId));
    }
    out.comma();
    out.text(modelVersion);
    out.endLine();
  }
}

/** One line per recommended product: rank, product, score and the reason shown to the sales rep. */
function recommendationLines(slice: ScoreSlice, texts: RowTexts, out: CsvBytes): void {
  for (let r = 0; r < slice.ids.length; r++) {
    const picks = texts.picks(r);
    for (let k = 0; k < Math.min(picks.length, RECOMMENDATIONS_PER_CUSTOMER); k++) {
      const pick = picks[k];
      out.text(slice.ids[r]);
      out.comma();
      out.number(k + 1);
      out.comma();
      out.text(pick.productId);
      out.comma();
      out.text(pick.productName.trim());
      out.comma();
      out.number(pick.score);
      out.comma();
      out.text(pick.reason);
      out.endLine();
    }
  }
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

function joined<T>(items: readonly T[], separator: string, text: (item: T) => string): string {
  let out = '';
  for (let k = 0; k < items.length; k++) out += k === 0 ? text(items[k]) : separator + text(items[k]);
  return out;
}
