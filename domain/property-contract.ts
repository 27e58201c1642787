/**
 * Scores as the values of DESIGN's property contract, keyed by the contract's field names (`clv_segment`, …);
 * each CRM adapter maps these names to its own fields. Pure: no I/O.
 * Enumeration values are option values, never labels (lists and workflows compare option values):
 * clv_segment takes the segment's stable id, clv_rfm_segment the snake value of its name.
 * clv_next_best_action and clv_retention_group are left alone (undefined) while a Score has none: writing ""
 * would clear a value someone else set.
 */
import { CrmClvError } from './errors';
import { optionValue } from './rfm-segments';
import type { Score, ScoreRun } from './score';

/** A value to write: null clears the field; undefined leaves it alone. */
export type ContractValue = string | number | Date | null | undefined;
export type ContractValues = Readonly<Record<string, ContractValue>>;

/** The contract's *_12m fields hold a 12-month horizon. */
export const CONTRACT_HORIZON_MONTHS = 12;

export class ScoreHorizonError extends CrmClvError<'INVALID_OPTION'> {
  constructor(months: number) {
    super(
      'INVALID_OPTION',
      `the scores cover ${months} months, but clv_predicted_12m and clv_expected_orders_12m hold 12: rescore with --clv-months 12`,
    );
  }
}

export function contractValues(score: Score): ContractValues {
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
    clv_next_best_action: text255(score.nextBestActions?.[0]?.title),
    clv_recommended_products: text255(
      score.recommendations
        ?.slice(0, 3)
        .map((r) => r.productName)
        .join(', '),
    ),
    clv_interest: score.interest === undefined ? undefined : optionValue(score.interest),
    clv_top_churn_driver: text255(score.churnDrivers?.[0]?.text),
    clv_retention_group: score.retentionGroup,
    clv_scored_at: score.scoredAt,
    clv_model_version: score.modelVersion.slice(0, 40),
  };
}

/** Text fields are Text(255) in Salesforce (DESIGN): cut at a word with an ellipsis rather than refused. */
function text255(text: string | undefined): string | undefined {
  if (text === undefined || text.length <= 255) return text;
  const cut = text.slice(0, 254);
  const space = cut.lastIndexOf(' ');
  return `${space > 200 ? cut.slice(0, space) : cut}…`;
}

export type RunContractValues = {
  values: Map<string, ContractValues>;
  /** clv_segment options the run needs: stable id → name. */
  segments: { id: string; name: string }[];
  /** clv_interest options the run needs (names; the option value is their snake form). */
  interests: string[];
};

/** Every scored customer's wanted values, and the segments to ensure as options first. */
export function runContractValues(run: ScoreRun, scores: readonly Score[]): RunContractValues {
  if (run.clvMonths !== CONTRACT_HORIZON_MONTHS) throw new ScoreHorizonError(run.clvMonths);
  const values = new Map<string, ContractValues>();
  const segments = new Map<string, string>();
  const interests = new Set<string>();
  for (const score of scores) {
    values.set(score.customerId, contractValues(score));
    if (score.segmentId !== undefined) segments.set(score.segmentId, score.segmentName ?? score.segmentId);
    if (score.interest !== undefined) interests.add(score.interest);
  }
  return { values, segments: [...segments].map(([id, name]) => ({ id, name })), interests: [...interests] };
}
