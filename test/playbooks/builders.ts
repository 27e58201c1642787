import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Score } from '../../domain/score';
import type { CardFacts } from '../../playbooks';

export const PLAYBOOKS_DIR = resolve(__dirname, '../../playbooks');

/** A valuable customer at high churn risk; override what a test is about. */
export function buildScore(overrides: Partial<Score> = {}): Score {
  return {
    customerId: 'c-1',
    segmentId: 'seg-3',
    segmentName: 'Lapsing big spenders',
    rfmScore: '155',
    rfmSegment: "Can't Lose Them",
    clvHistoric: 3400,
    clvPredicted: 1200,
    expectedOrders: 2.1,
    expectedOrderValue: 180,
    pAlive: 0.55,
    churnProbability: 0.62,
    churnRisk: 'high',
    churnDrivers: [
      { feature: 'recency', contribution: 1.2, text: 'no order for 120 days, longer than 80% of customers' },
    ],
    nextOrderDate: '2026-03-09',
    recommendations: [
      { productId: 'p-1', productName: 'Desk lamp', score: 0.9, reason: 'often bought with Shade' },
      { productId: 'p-2', productName: 'Vase', score: 0.5, reason: 'best seller in the segment' },
    ],
    modelVersion: 'v3',
    scoredAt: '2026-01-05T10:00:00Z',
    ...overrides,
  };
}

export function buildFacts(overrides: Partial<CardFacts> = {}): CardFacts {
  return {
    firstName: 'Ada',
    daysSinceLastOrder: 120,
    usualGapDays: 40,
    openTickets: 0,
    orders: 9,
    currency: 'GBP',
    clvQuintile: 5,
    clvMonths: 12,
    ...overrides,
  };
}

/** A private copy of the playbooks folder for tests that break it; removed by the returned function. */
export function copyPlaybooksDir(): { dir: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'playbooks-'));
  const dir = join(root, 'playbooks');
  cpSync(join(PLAYBOOKS_DIR, 'templates'), join(dir, 'templates'), { recursive: true });
  cpSync(join(PLAYBOOKS_DIR, 'rules'), join(dir, 'rules'), { recursive: true });
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes a rule file (object → JSON, string as is) into a fresh folder; returns its path and a clean-up. */
export function writeRuleFile(content: unknown): { path: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'nba-rules-'));
  const path = join(root, 'next-best-actions.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return { path, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A rule with every required field; override what the test is about. */
export function rule(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    when: {},
    action: { kind: 'call' },
    title: `Title ${id}`,
    reason: `Reason ${id}`,
    priority: 50,
    ...overrides,
  };
}
