/**
 * A score result as canonical Scores (DESIGN, "Scores"): what the store keeps and write-back and the card
 * read. Values a run did not compute stay absent. Non-finite numbers are refused here, so no NaN or Infinity
 * ever reaches a CRM field.
 */
import {
  CHURN_RISKS,
  plainlyValidScore,
  scoreSchema,
  type ChurnRisk,
  type Score,
  type ScoreRun,
} from '../../domain/score';
import { CrmClvError } from '../../domain/errors';
import type { ScoreResult } from './score-transactions';

const MS_PER_DAY = 86_400_000;

export class NonFiniteScoreError extends CrmClvError<'NON_FINITE_SCORE'> {
  constructor(customerId: string, field: string, value: number) {
    super(
      'NON_FINITE_SCORE',
      `customer ${customerId}: ${field} came out ${value}; check the input amounts for implausible values`,
    );
  }
}

/** The next expected order as YYYY-MM-DD, or undefined when none is expected within the model's reach. */
export function nextOrderDate(result: ScoreResult, row: number): string | undefined {
  const { summary, predictions } = result;
  const inPeriods = predictions.nextPurchase[row];
  if (!Number.isFinite(inPeriods)) return undefined;
  const daysPerPeriod = summary.period === 'week' ? 7 : 1;
  const endMs = (summary.observationEndDay + 1) * MS_PER_DAY;
  return new Date(endMs + Math.round(inPeriods * daysPerPeriod) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The Scores of summary rows [from, to) (all rows by default). */
export function buildScores(
  result: ScoreResult,
  run: ScoreRun,
  from = 0,
  to = result.summary.ids.length,
): Score[] {
  const { summary, predictions: p, insights, report } = result;
  const scores: Score[] = [];
  for (let i = from; i < to; i++) {
    const customerId = summary.ids[i];
    const number = (field: string, value: number): number => {
      if (!Number.isFinite(value)) throw new NonFiniteScoreError(customerId, field, value);
      return value;
    };
    const risk = insights?.churnRisk[i];
    const churnProbability = insights?.churnProbability[i];
    const score: Score = {
      customerId,
      clvHistoric: number('clvHistoric', summary.totalRevenue[i] * report.clv.margin),
      clvPredicted: number('clvPredicted', p.clv[i]),
      clvNet: number('clvNet', p.clvNet ? p.clvNet[i] : p.clv[i]),
      expectedOrders: number('expectedOrders', p.expectedPurchases[i]),
      expectedOrderValue: number('expectedOrderValue', p.expectedAverageValue[i]),
      nextOrderDate: nextOrderDate(result, i),
      modelVersion: run.modelVersion,
      scoredAt: run.scoredAt,
    };
    if (result.pAlive.values !== null) score.pAlive = number('pAlive', result.pAlive.values[i]);
    if (insights) {
      score.segmentId = insights.segments?.segmentId[i];
      score.segmentName = insights.segments?.segmentName[i];
      score.rfmScore = insights.rfm.rfmScore[i];
      score.rfmSegment = insights.rfm.segmentName[i];
      score.interest = insights.interest[i] || undefined;
      if (churnProbability !== undefined && Number.isFinite(churnProbability))
        score.churnProbability = churnProbability;
      if (risk && (CHURN_RISKS as readonly string[]).includes(risk)) score.churnRisk = risk as ChurnRisk;
      const drivers = insights.churnDrivers(i);
      if (drivers.length > 0) score.churnDrivers = drivers;
      const picks = insights.recommendations(i);
      if (picks.length > 0)
        score.recommendations = picks.map(({ productId, productName, score: s, reason }) => ({
          productId,
          productName: productName || productId,
          score: s,
          reason,
        }));
    }
    scores.push(score);
  }
  return scores;
}

/**
 * Builds and validates every Score of a run without holding them all: at millions of customers the Score
 * objects take gigabytes, and a run that only exports files never needs them at once. Throws exactly what
 * buildScores then assertValidScores would: a non-finite value anywhere before the first schema failure.
 */
export function assertValidRun(result: ScoreResult, run: ScoreRun, rowsPerChunk = 20_000): void {
  const rows = result.summary.ids.length;
  let invalid: unknown = null;
  for (let from = 0; from < rows; from += rowsPerChunk) {
    const chunk = buildScores(result, run, from, Math.min(rows, from + rowsPerChunk));
    if (invalid !== null) continue;
    try {
      assertValidScores(chunk);
    } catch (error) {
      invalid = error;
    }
  }
  if (invalid !== null) throw invalid;
}

/** Validates Scores against the canonical schema: the first bad one is named with its field. */
export function assertValidScores(scores: readonly Score[]): void {
  for (const score of scores) {
    if (plainlyValidScore(score)) continue;
    const parsed = scoreSchema.safeParse(score);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CrmClvError(
        'INVALID_SCORE',
        `customer ${score.customerId}: ${issue.path.join('.')}: ${issue.message}`,
      );
    }
  }
}
