/**
 * A score run of synthetic customers for the retention-program benches: what enrolment reads of a run (the
 * risk band, the CLV) comes from the bench; the rest is a fixed minimum every Score needs.
 */
import type { Score, ScoreRun } from '../domain/score';

export type SyntheticCustomer = Pick<Score, 'customerId' | 'clvPredicted' | 'churnRisk'>;

export function syntheticScoreRun(
  tenant: string,
  customers: number,
  scoredAt: string,
  customer: (i: number) => SyntheticCustomer,
): { run: ScoreRun; scores: Score[] } {
  const scores: Score[] = Array.from({ length: customers }, (_, i) => ({
    ...customer(i),
    clvHistoric: 1,
    expectedOrders: 1,
    churnProbability: 0.6,
    modelVersion: 'm',
    scoredAt,
  }));
  const run: ScoreRun = {
    runId: 'r',
    tenant,
    source: 'hubspot',
    scoredAt,
    modelVersion: 'm',
    clvMonths: 12,
    currency: 'EUR',
    customers,
  };
  return { run, scores };
}
