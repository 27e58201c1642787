/**
 * Who a retention program may enrol: every condition given must hold (an empty rule admits everyone scored).
 * `clvTopShare` is relative to the run: 0.4 admits the customers whose predicted CLV is at or above the value
 * of the customer ranked at 40% from the top (ties at the cut are all in).
 */
import type { ChurnRisk, Score } from '../../../domain/score';

export type EligibilityRule = {
  churnRisk?: readonly ChurnRisk[];
  clvTopShare?: number;
  minClvPredicted?: number;
  minChurnProbability?: number;
  segmentIds?: readonly string[];
  rfmSegments?: readonly string[];
};

/** The predicate of `rule` over the customers of one run (the run fixes the CLV cut of `clvTopShare`). */
export function eligibilityTest(rule: EligibilityRule, scores: readonly Score[]): (score: Score) => boolean {
  const clvCut = rule.clvTopShare === undefined ? undefined : topShareCut(scores, rule.clvTopShare);
  return (s) =>
    (rule.churnRisk === undefined || (s.churnRisk !== undefined && rule.churnRisk.includes(s.churnRisk))) &&
    (clvCut === undefined || s.clvPredicted >= clvCut) &&
    (rule.minClvPredicted === undefined || s.clvPredicted >= rule.minClvPredicted) &&
    (rule.minChurnProbability === undefined ||
      (s.churnProbability !== undefined && s.churnProbability >= rule.minChurnProbability)) &&
    (rule.segmentIds === undefined || (s.segmentId !== undefined && rule.segmentIds.includes(s.segmentId))) &&
    (rule.rfmSegments === undefined ||
      (s.rfmSegment !== undefined && rule.rfmSegments.includes(s.rfmSegment)));
}

function topShareCut(scores: readonly Score[], share: number): number {
  if (!(share > 0 && share <= 1)) throw new RangeError(`clvTopShare must be in (0, 1], got ${share}`);
  if (scores.length === 0) return Infinity;
  const values = Float64Array.from(scores, (s) => s.clvPredicted).sort();
  const rank = Math.ceil(share * values.length); // 1-based from the top
  return values[values.length - rank];
}
