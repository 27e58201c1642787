import type { Score, ScoreRun } from '../../domain/score';
import type { RetentionProgram } from '../../worker/programs';

export function programScore(customerId: string, overrides: Partial<Score> = {}): Score {
  return {
    customerId,
    clvHistoric: 100,
    clvPredicted: 100,
    expectedOrders: 1,
    churnRisk: 'high',
    churnProbability: 0.6,
    modelVersion: 'm1',
    scoredAt: '2026-03-01T00:00:00.000Z',
    ...overrides,
  };
}

export function programRun(scoredAt: string, customers: number): ScoreRun {
  return {
    runId: `run-${scoredAt}`,
    tenant: 'hubspot-42',
    source: 'hubspot',
    scoredAt,
    modelVersion: 'm1',
    clvMonths: 12,
    currency: 'EUR',
    customers,
  };
}

export function buildProgram(overrides: Partial<RetentionProgram> = {}): RetentionProgram {
  return {
    id: 'winback',
    name: 'Win-back call',
    eligibility: { churnRisk: ['high'] },
    treatmentShare: 0.8,
    windowDays: 60,
    enrolmentDays: 0,
    costPerTreated: 5,
    currency: 'EUR',
    offer: 'none',
    status: 'active',
    createdAt: '2026-03-01T00:00:00.000Z',
    ...overrides,
  };
}
