/**
 * A score result as canonical Scores (DESIGN, "Scores"): what the store keeps and write-back and the card
 * read. Values a run did not compute stay absent. Non-finite numbers are refused here, so no NaN or Infinity
 * ever reaches a CRM field.
 */
import { plainlyValidScore, scoreSchema, type Score, type ScoreRun } from '../../domain/score';
import { CrmClvError } from '../../domain/errors';
import { NonFiniteScoreError, nextOrderDay, scoreBasis, scoreSlice, scoresOfSlice } from './score-slice';
import type { ScoreResult } from './score-transactions';

export { NonFiniteScoreError };

/** The next expected order as YYYY-MM-DD, or undefined when none is expected within the model's reach. */
export function nextOrderDate(result: ScoreResult, row: number): string | undefined {
  const { summary, predictions } = result;
  return nextOrderDay(
    {
      observationEndDay: summary.observationEndDay,
      daysPerPeriod: summary.period === 'week' ? 7 : 1,
    },
    predictions.nextPurchase[row],
  );
}

/** The Scores of summary rows [from, to) (all rows by default). */
export function buildScores(
  result: ScoreResult,
  run: ScoreRun,
  from = 0,
  to = result.summary.ids.length,
): Score[] {
  return scoresOfSlice(scoreBasis(result, run), scoreSlice(result, from, to));
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
