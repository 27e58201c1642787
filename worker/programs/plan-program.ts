/**
 * Before launch: how many customers a program would enrol from a run's scores and the smallest retention
 * lift it could detect. The baseline retention rate is the mean of (1 − churnProbability) over the eligible
 * customers (the churn model's "no order within its window" is the complement of our retention), else of
 * pAlive, else 50% (the rate where a proportion's variance, so the MDE, is largest: the cautious guess).
 */
import type { Score } from '../../domain/score';
import {
  assignmentDraw,
  eligibilityTest,
  minimumDetectableEffect,
  type MinimumDetectableEffect,
} from '../analytics/programs';
import type { RetentionProgram } from './program-config';

export type ProgramPlan = MinimumDetectableEffect & { eligible: number };

export function planProgram(
  tenant: string,
  program: RetentionProgram,
  scores: readonly Score[],
): ProgramPlan {
  const eligible = scores.filter(eligibilityTest(program.eligibility, scores));
  let treated = 0;
  for (const s of eligible)
    if (assignmentDraw(tenant, program.id, s.customerId) < program.treatmentShare) treated++;
  return {
    eligible: eligible.length,
    ...minimumDetectableEffect(treated, eligible.length - treated, baselineRetention(eligible)),
  };
}

export function baselineRetention(scores: readonly Score[]): number {
  const fromChurn = scores.filter((s) => s.churnProbability !== undefined);
  if (fromChurn.length > 0) return mean(fromChurn.map((s) => 1 - s.churnProbability!));
  const fromAlive = scores.filter((s) => s.pAlive !== undefined);
  if (fromAlive.length > 0) return mean(fromAlive.map((s) => s.pAlive!));
  return 0.5;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
