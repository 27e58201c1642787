/**
 * The retrain stage on a synced sandbox portal: a candidate version fitted with a 90-day holdout, compared
 * with the promoted version on that same window, drift measured, promoted or refused with its reasons, and
 * the next rescore predicting with whatever is promoted.
 */
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import { promotionDecision } from '../../worker/pipeline/model-versions';
import { runInline } from '../../worker/queue/inline-runner';
import { processRetrain, processScore, type StageContext } from '../../worker/queue/stage-processors';
import { FileRecordStore } from '../../worker/state';
import type { ModelVersion } from '../../worker/state/record-store';
import { tempDir } from '../helpers/run-cli';
import { sandboxStageContext } from '../helpers/sandbox-stage-context';

const TENANT = 'hubspot-3300';
const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10);
const DATA = {
  tenant: TENANT,
  runId: 'r1',
  observationEnd: OBSERVATION_END,
  currency: 'USD',
  rates: { EUR: 1.08, GBP: 1.27 },
};

let running: RunningSandbox;
let store: FileRecordStore;
let ctx: StageContext;

beforeAll(async () => {
  running = await createHubSpotSandbox({ token: 't', portalId: '3300', seed: 7, contacts: 600 }).listen(0);
  store = new FileRecordStore(tempDir('retrain'));
  ctx = sandboxStageContext(store, running.url, { portalId: '3300' })();
  await runInline(['sync', 'score'], { ...DATA, mode: 'full' }, () => ctx);
});
afterAll(() => running.close());

describe('retrain', () => {
  it('records the first score as v1, then promotes a candidate that is not clearly worse, keeping v1 as previous', async () => {
    const before = (await store.getModel(TENANT))!;
    expect(before.current?.version).toBe('v1');
    expect(Object.keys(before.current!.reference)).toEqual([
      'orders',
      'days since last order',
      'average order value',
    ]);

    const outcome = await processRetrain({ ...DATA, holdoutDays: 90 }, ctx);
    const after = (await store.getModel(TENANT))!;
    const record = after.lastRetrain!;
    console.log(
      `retrain: ${outcome.promoted ? 'promoted' : 'refused'} ${outcome.version}: ${outcome.reasons.join('; ')}`,
    );
    expect(record.candidate.metrics.holdoutDays).toBe(90);
    expect(record.candidate.metrics.holdoutRmse).toBeGreaterThan(0);
    expect(record.currentRmseOnSameHoldout).toBeGreaterThan(0);
    // Same portal, same history: no feature can have moved.
    for (const psi of Object.values(record.drift)) expect(psi).toBeLessThan(0.1);
    expect(Object.keys(record.drift)).toHaveLength(3);
    // Seeded portal: the candidate's 0.656 is within 10% of v1's 0.648 on the same window.
    expect(record.candidate.metrics.holdoutRmse!).toBeLessThanOrEqual(record.currentRmseOnSameHoldout! * 1.1);
    expect(outcome).toMatchObject({ promoted: true, version: 'v2' });
    expect(after.current?.version).toBe('v2');
    expect(after.previous?.version).toBe('v1');
    expect(outcome.reasons[0]).toMatch(
      /holdout RMSE \d\.\d{3} purchases per customer against \d\.\d{3} for v1 on the same 90 days/,
    );
  });

  it('refuses a clearly worse candidate, says why, and rescoring keeps the promoted version', async () => {
    const stored = (await store.getModel(TENANT))!;
    const promoted = stored.current!;
    // The promoted version claims a churn AUC no candidate on this portal reaches.
    await store.putModel(TENANT, {
      ...stored,
      current: { ...promoted, metrics: { ...promoted.metrics, churnAuc: 0.999 } },
    });
    const outcome = await processRetrain({ ...DATA, holdoutDays: 90 }, ctx);
    expect(outcome.promoted).toBe(false);
    expect(outcome.version).toBe(promoted.version);
    expect(outcome.reasons[0]).toMatch(
      new RegExp(`churn AUC 0\\.\\d{3} against 0\\.999 for ${promoted.version}: a drop of more than 0\\.05`),
    );
    const after = (await store.getModel(TENANT))!;
    expect(after.current?.version).toBe(promoted.version);
    expect(after.current?.transaction).toEqual(promoted.transaction);

    const scored = await processScore(DATA, ctx);
    expect(scored.modelVersion.startsWith(`${promoted.version}-${promoted.transaction.model}/`)).toBe(true);
    const run = (await store.readScoreRun(TENANT))!;
    expect(run.run.modelVersion).toBe(scored.modelVersion);
  });
});

describe('promotion decision', () => {
  const version = (v: string, rmse: number | null, auc: number | null): ModelVersion => ({
    version: v,
    trainedAt: '2026-01-01T00:00:00Z',
    observationEnd: '2025-12-31',
    transaction: { model: 'bgnbd', params: { r: 1, alpha: 1, a: 1, b: 1 } },
    metrics: { customers: 100, holdoutRmse: rmse, holdoutTotalError: 0, holdoutDays: 90, churnAuc: auc },
    reference: {},
  });

  it('promotes the first version, and one within 10% of the current holdout RMSE', () => {
    expect(promotionDecision(version('v1', 1, 0.8), undefined, null, {}).promote).toBe(true);
    expect(promotionDecision(version('v2', 1.09, 0.8), version('v1', 1, 0.8), 1, {}).promote).toBe(true);
  });

  it('refuses a candidate more than 10% worse on the same holdout, or 0.05 of AUC below, and names drift', () => {
    const worse = promotionDecision(version('v2', 1.11, 0.8), version('v1', 0.5, 0.8), 1, { orders: 0.3 });
    expect(worse.promote).toBe(false);
    expect(worse.reasons[0]).toMatch(/1\.110 .* against 1\.000 for v1 .* more than 10% worse/);
    expect(worse.reasons).toContain('orders: major shift since v1 (PSI 0.30)');
    expect(promotionDecision(version('v2', 1, 0.74), version('v1', 1, 0.8), 1, {}).promote).toBe(false);
    expect(promotionDecision(version('v2', 1, 0.76), version('v1', 1, 0.8), 1, {}).promote).toBe(true);
  });
});
