/**
 * A score run as the values of DESIGN's property contract, per HubSpot contact. Pure: no I/O.
 * Enumeration values are option values, never labels (NOTES §7: lists and workflows compare option values):
 * clv_segment takes the segment's stable id, clv_rfm_segment the snake value of its name.
 * clv_next_best_action and clv_retention_group are left alone (undefined) until playbooks and retention
 * campaigns produce them; writing "" would clear a value someone else set.
 */
import type { RunScore, ScoreRun } from '../../../worker/pipeline/read-score-run';
import type { WantedValues } from '../changed-values';
import { optionValue } from '../../../domain/rfm-segments';

/** The contract's *_12m properties hold a 12-month horizon. */
export const CONTRACT_HORIZON_MONTHS = 12;

export class ScoreHorizonError extends Error {
  readonly code = 'INVALID_OPTION';
  constructor(months: number, dir: string) {
    super(
      `${dir} was scored over ${months} months, but clv_predicted_12m and clv_expected_orders_12m hold 12: rescore with --clv-months 12`,
    );
    this.name = 'ScoreHorizonError';
  }
}

export function scorePropertyValues(score: RunScore, scoredAt: string): WantedValues {
  return {
    clv_segment: score.segmentId,
    clv_rfm_segment: score.rfmSegment === undefined ? undefined : optionValue(score.rfmSegment),
    clv_rfm_score: score.rfmScore,
    clv_predicted_12m: score.clvPredicted,
    clv_historic: score.clvHistoric,
    clv_expected_orders_12m: score.expectedOrders,
    clv_p_alive: score.pAlive,
    clv_churn_probability: score.churnProbability,
    clv_churn_risk: score.churnRisk,
    // A customer with no expected next order gets the old date cleared, not kept as if still expected.
    clv_next_order_date: score.nextOrderDate ?? null,
    clv_scored_at: scoredAt,
    clv_model_version: score.modelVersion.slice(0, 40),
  };
}

export type RunPropertyValues = {
  updates: Map<string, WantedValues>;
  /** clv_segment options the run needs: stable id → name. */
  segments: { id: string; name: string }[];
};

/** Every scored contact's wanted values, and the segments to ensure as options first. */
export function runPropertyValues(run: ScoreRun): RunPropertyValues {
  if (run.clvMonths !== CONTRACT_HORIZON_MONTHS) throw new ScoreHorizonError(run.clvMonths, run.dir);
  const updates = new Map<string, WantedValues>();
  const segments = new Map<string, string>();
  for (const score of run.scores) {
    updates.set(score.customerId, scorePropertyValues(score, run.scoredAt));
    if (score.segmentId !== undefined) segments.set(score.segmentId, score.segmentName ?? score.segmentId);
  }
  return { updates, segments: [...segments].map(([id, name]) => ({ id, name })) };
}
