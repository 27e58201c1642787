/**
 * The score stage cut into shards gives exactly the Scores of the same run made in one piece, whatever the
 * shard size and however often a step is retried; a commit with a shard missing changes nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCatalogueCategories, PRODUCT_CATALOGUE } from '../../demo-data/product-catalogue';
import type { Score } from '../../domain/score';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';
import { runScore, type ScoreRunRequest } from '../../worker/jobs/score-run';
import {
  commitShardedRun,
  fitShardedRun,
  scoreShard,
  scoreShardedInline,
} from '../../worker/jobs/score-shards';
import type { ScoreRunSettings } from '../../worker/pipeline/score-transactions';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';
import { FileRecordStore } from '../../worker/state';

const SCORED_AT = '2025-01-15T09:30:00.000Z';
const CUSTOMERS = 600;

let settings: ScoreRunSettings;
let store: FileRecordStore;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-clv-shards-'));
  const transactions = join(dir, 'transactions.csv');
  const generated = await writeTransactionsCsv(transactions, { customers: CUSTOMERS, seed: 23 });
  settings = {
    ...STANDARD_SCORE_SETTINGS,
    transactions,
    observationEnd: generated.options.end,
    baseCurrency: generated.options.currency,
    productCategories: demoCatalogueCategories(),
    productNames: new Map(PRODUCT_CATALOGUE.map((p) => [p.id, p.name])),
  };
  store = new FileRecordStore(join(dir, 'store'));
});

const request = (tenant: string, at = SCORED_AT): ScoreRunRequest & { store: FileRecordStore } => ({
  settings,
  tenant,
  source: 'csv',
  engineVersion: 'test',
  store,
  now: () => new Date(at),
});

async function storedScores(tenant: string): Promise<Score[]> {
  const stored = await store.readScoreRun(tenant);
  if (stored === undefined) throw new Error(`${tenant} has no score run`);
  return stored.scores;
}

describe('a score run in shards', () => {
  let whole: Score[];

  beforeAll(async () => {
    await runScore(request('csv-whole'));
    whole = await storedScores('csv-whole');
  });

  it('stores exactly the Scores of the one-piece run, drivers and recommendations included', async () => {
    // The data must exercise every part a slice carries, or the comparison proves little.
    expect(whole.length).toBeGreaterThan(CUSTOMERS * 0.8);
    expect(whole.filter((s) => s.churnDrivers !== undefined).length).toBeGreaterThan(whole.length / 2);
    expect(whole.filter((s) => s.recommendations !== undefined).length).toBeGreaterThan(whole.length / 2);
    expect(whole.filter((s) => s.segmentId !== undefined).length).toBe(whole.length);
    expect(whole.some((s) => s.nextOrderDate !== undefined)).toBe(true);

    const { run } = await scoreShardedInline(request('csv-sharded'), 'flow-1', 37);
    expect(run.customers).toBe(whole.length);
    expect(await storedScores('csv-sharded')).toEqual(whole);
    // The run's model part is stored as the one-piece run stores it.
    const [a, b] = await Promise.all([store.getModel('csv-whole'), store.getModel('csv-sharded')]);
    expect(b?.version).toBe(a?.version);
    expect(b?.segmentModel).toEqual(a?.segmentModel);
    expect(b?.current?.transaction).toEqual(a?.current?.transaction);
  });

  it('gives the same Scores when shards and the commit are retried, and a fit retried reuses its staging', async () => {
    const tenant = 'csv-retried';
    const first = await fitShardedRun(request(tenant), 'flow-2', 100);
    expect(first.shards).toBe(Math.ceil(whole.length / 100));
    // A fit that finished is not redone: a later clock changes nothing staged.
    const again = await fitShardedRun(request(tenant, '2025-02-01T00:00:00.000Z'), 'flow-2', 100);
    expect(again.run).toEqual(first.run);
    for (let s = first.shards - 1; s >= 0; s--) await scoreShard(store, tenant, 'flow-2', s);
    await scoreShard(store, tenant, 'flow-2', 2);
    await scoreShard(store, tenant, 'flow-2', 0);
    await commitShardedRun(store, tenant, 'flow-2', first.run.runId);
    await commitShardedRun(store, tenant, 'flow-2', first.run.runId);
    expect(await storedScores(tenant)).toEqual(whole);
    // Once committed, the scratch is gone: a commit that cannot tell the run is done says what to do.
    await expect(commitShardedRun(store, tenant, 'flow-2')).rejects.toThrow(/run the score stage again/);
  });

  it('refuses to commit with a shard missing, naming it, and leaves the current run as it was', async () => {
    const tenant = 'csv-missing';
    await scoreShardedInline(request(tenant), 'flow-3', 5_000);
    const before = await storedScores(tenant);
    const { shards } = await fitShardedRun(request(tenant, '2025-01-16T00:00:00.000Z'), 'flow-4', 150);
    for (let s = 0; s < shards; s++) if (s !== 1) await scoreShard(store, tenant, 'flow-4', s);
    await expect(commitShardedRun(store, tenant, 'flow-4')).rejects.toThrow(/\b1\b/);
    expect(await storedScores(tenant)).toEqual(before);
  });
});

describe('a rescore of a stored tenant', () => {
  it("scores churn with the promoted version's classifier, trained on its first run, and trains none", async () => {
    const tenant = 'csv-rescored';
    const first = await runScore(request(tenant));
    const v1 = (await store.getModel(tenant))?.current;
    expect(v1?.churn?.spec.features.length).toBeGreaterThan(0);
    expect(first.result.report.churn?.reusedFrom).toBeNull();
    expect(first.result.report.churn?.evaluation).not.toBeNull();

    const again = await runScore(request(tenant, '2025-01-16T09:30:00.000Z'));
    const churn = again.result.report.churn!;
    expect(churn.reusedFrom).toBe('v1');
    // No training in this run: no out-of-time check, and the model's own training cutoff and sizes are v1's.
    expect(churn.evaluation).toBeNull();
    expect(churn.trainedAtDay).toBe(first.result.report.churn!.trainedAtDay);
    expect(churn.training).toEqual(first.result.report.churn!.training);
    // Same data, same day, same classifier: the same probabilities as the first run.
    const byId = new Map(first.scores.map((s) => [s.customerId, s.churnProbability]));
    for (const s of again.scores) expect(s.churnProbability).toBe(byId.get(s.customerId));
    expect(again.result.report.warnings.join('\n')).not.toMatch(/cannot score these data/);
  });
});
