/**
 * A stored tenant's score stage with prepare shards (its customers read and cleaned in parts, merged by the fit)
 * stores exactly the Scores and model of the same run made in one piece from the whole store, on the first run
 * and on a rescore, whatever the number of parts, when steps are retried, and when the fit has to clean the
 * tenant whole after all.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Score } from '../../domain/score';
import { inProcessStageLocks } from '../../worker/locks';
import { runScore } from '../../worker/jobs/score-run';
import { prepareShard, readParts } from '../../worker/jobs/score-prepare';
import { scoreShard } from '../../worker/jobs/score-shards';
import { tenantScoreInput } from '../../worker/jobs/tenant-score-input';
import { STANDARD_SCORE_SETTINGS } from '../../worker/pipeline/score-settings';
import {
  processScore,
  processScoreCommit,
  processScoreFit,
  processScorePlan,
  type StageContext,
} from '../../worker/queue/stage-processors';
import { FileRecordStore } from '../../worker/state';
import { storeSyncedTenant, syncedTenant, SYNCED_OBSERVATION_END } from '../helpers/synced-tenant';

const NOW = new Date('2025-01-15T09:30:00.000Z');
const RATES = { EUR: 1.1 };
const records = syncedTenant(600, 11);
const store = new FileRecordStore(mkdtempSync(join(tmpdir(), 'crm-clv-prepare-')));
const locks = inProcessStageLocks();
const progress: unknown[] = [];
const ctx: StageContext = {
  store,
  engineVersion: 'test',
  now: () => NOW,
  progress: async (value) => void progress.push(value),
  lock: (stage, tenant) => locks.acquire(tenant, stage),
  adapterFor: () => Promise.reject(new Error('no CRM in these tests')),
};
const job = (tenant: string, runId: string, shardCustomers = 60) => ({
  tenant,
  runId,
  observationEnd: SYNCED_OBSERVATION_END,
  currency: 'USD',
  rates: RATES,
  shardCustomers,
});

/** The run made in one piece: the whole store read into rows and cleaned at once, as before prepare shards. */
async function onePiece(tenant: string): Promise<void> {
  const input = await tenantScoreInput(store, tenant, { currency: 'USD', rates: RATES, where: 'test' });
  await runScore({
    settings: {
      ...STANDARD_SCORE_SETTINGS,
      transactions: tenant,
      rows: input.rows,
      observationEnd: SYNCED_OBSERVATION_END,
      baseCurrency: input.baseCurrency,
      currencyRates: input.rates,
      productCategories: input.productCategories,
      productNames: input.productNames,
      crm: input.crm,
    },
    tenant,
    source: 'hubspot',
    engineVersion: 'test',
    store,
    now: () => NOW,
  });
}

async function scores(tenant: string): Promise<Score[]> {
  const stored = await store.readScoreRun(tenant);
  if (stored === undefined) throw new Error(`${tenant} has no score run`);
  return stored.scores;
}

describe('a stored tenant scored with prepare shards', () => {
  let whole: Score[];

  beforeAll(async () => {
    for (const tenant of ['hubspot-1', 'hubspot-2', 'hubspot-3', 'hubspot-4', 'hubspot-5'])
      await storeSyncedTenant(store, tenant, records);
    await onePiece('hubspot-1');
    whole = await scores('hubspot-1');
  });

  it('stores exactly the Scores and model of the one-piece run, first run and rescore', async () => {
    // The data must exercise what the parts carry, or the comparison proves little.
    expect(whole.length).toBeGreaterThan(400);
    expect(whole.filter((s) => s.churnDrivers !== undefined).length).toBeGreaterThan(whole.length / 2);
    expect(whole.filter((s) => s.recommendations !== undefined).length).toBeGreaterThan(whole.length / 2);
    expect(whole.filter((s) => s.segmentId !== undefined).length).toBe(whole.length);
    expect(whole.some((s) => s.nextBestActions?.some((a) => /Ada|Grace|Alan/.test(a.title)))).toBe(true);

    const outcome = await processScore(job('hubspot-2', 'r1'), ctx);
    expect(outcome).not.toHaveProperty('cleanedWhole');
    expect(await scores('hubspot-2')).toEqual(whole);
    const [a, b] = await Promise.all([store.getModel('hubspot-1'), store.getModel('hubspot-2')]);
    expect(b).toEqual(a);

    // The rescore reuses v1 (its transaction model and churn classifier) in both ways alike.
    await onePiece('hubspot-1');
    await processScore(job('hubspot-2', 'r2', 25), ctx);
    expect(await scores('hubspot-2')).toEqual(await scores('hubspot-1'));
  });

  it("reads the last run's segments in the prepare shards, not whole in the fit", async () => {
    const before = await scores('hubspot-2');
    let wholeReads = 0;
    const counting = new Proxy(store, {
      get(target, name) {
        if (name === 'readScoreSegments') wholeReads++;
        const value: unknown = Reflect.get(target, name);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    await processScore(job('hubspot-2', 'r5', 40), { ...ctx, store: counting });
    expect(wholeReads).toBe(0);
    // The same data on the same day with the same model and segments: the same Scores.
    expect(await scores('hubspot-2')).toEqual(before);
  });

  it('reads the segments whole when another run was committed after the prepare shards read theirs', async () => {
    const tenant = 'hubspot-2';
    const plan = await processScorePlan(job(tenant, 'r6'), ctx);
    const settings = { observationEnd: plan.observationEnd, baseCurrency: plan.baseCurrency, rates: RATES };
    for (let s = 0; s < plan.prepareShards; s++)
      await prepareShard(store, tenant, 'r6', s, plan.prepareShards, settings);
    // Another run of the tenant commits in between: its segments, not the parts', are the last run's now.
    const current = (await store.readScoreRun(tenant))!;
    await store.putScoreRun(tenant, current.run, current.scores);
    let wholeReads = 0;
    const counting = new Proxy(store, {
      get(target, name) {
        if (name === 'readScoreSegments') wholeReads++;
        const value: unknown = Reflect.get(target, name);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    await processScoreFit({ ...job(tenant, 'r6'), ...plan }, { ...ctx, store: counting });
    expect(wholeReads).toBe(1);
  });

  it('gives the same Scores when prepare shards, the fit and the commit are retried', async () => {
    const tenant = 'hubspot-3';
    const plan = await processScorePlan(job(tenant, 'r1'), ctx);
    expect(plan).toEqual({
      prepareShards: expect.any(Number),
      baseCurrency: 'USD',
      observationEnd: SYNCED_OBSERVATION_END,
    });
    expect(plan.prepareShards).toBeGreaterThan(3);
    const settings = { observationEnd: plan.observationEnd, baseCurrency: plan.baseCurrency, rates: RATES };
    for (let s = plan.prepareShards - 1; s >= 0; s--)
      await prepareShard(store, tenant, 'r1', s, plan.prepareShards, settings);
    const first = await readParts(store, tenant, 'r1', plan.prepareShards);
    // A prepare shard run again replaces its part with the same one.
    await prepareShard(store, tenant, 'r1', 1, plan.prepareShards, settings);
    expect(await readParts(store, tenant, 'r1', plan.prepareShards)).toEqual(first);

    const data = { ...job(tenant, 'r1'), ...plan };
    const fitted = await processScoreFit(data, ctx);
    // A fit that finished is not redone: a later clock changes nothing staged.
    const later = await processScoreFit(data, { ...ctx, now: () => new Date('2025-02-01T00:00:00.000Z') });
    expect(later).toEqual(fitted);
    for (let s = 0; s < fitted.shards!; s++) await scoreShard(store, tenant, 'r1', s);
    await scoreShard(store, tenant, 'r1', 0);
    await processScoreCommit({ ...data, scoreRunId: fitted.runId }, ctx);
    await processScoreCommit({ ...data, scoreRunId: fitted.runId }, ctx);
    expect(await scores(tenant)).toEqual(whole);
  });

  it('cleans the tenant whole, and scores alike, when a part is missing or cannot be merged', async () => {
    const tenant = 'hubspot-4';
    const plan = await processScorePlan(job(tenant, 'r1'), ctx);
    const settings = { observationEnd: plan.observationEnd, baseCurrency: plan.baseCurrency, rates: RATES };
    for (let s = 1; s < plan.prepareShards; s++)
      await prepareShard(store, tenant, 'r1', s, plan.prepareShards, settings);
    const fitted = await processScoreFit({ ...job(tenant, 'r1'), ...plan }, ctx);
    expect(fitted.cleanedWhole).toBe('prepare shard 0 left no part');
    for (let s = 0; s < fitted.shards!; s++) await scoreShard(store, tenant, 'r1', s);
    await processScoreCommit({ ...job(tenant, 'r1'), scoreRunId: fitted.runId }, ctx);
    expect(await scores(tenant)).toEqual(whole);

    // An order above the implausible ceiling: the limit is the whole tenant's, so no part may judge it.
    const huge = { ...records.orders[0], id: 'huge', amount: 3e9, lines: undefined };
    await store.putRecords('hubspot-5', 'order', [huge]);
    await store.putRecords('hubspot-1', 'order', [huge]);
    const outcome = await processScore(job('hubspot-5', 'r1'), ctx);
    expect(outcome.cleanedWhole).toMatch(/above the implausible ceiling/);
    await onePiece('hubspot-1');
    expect(await scores('hubspot-5')).toEqual(await scores('hubspot-1'));
  });

  it('says why a tenant cannot be scored as the one-piece run does: no orders, a missing rate', async () => {
    await store.putRecords('hubspot-6', 'customer', records.customers.slice(0, 3));
    await expect(processScore(job('hubspot-6', 'r1'), ctx)).rejects.toThrow(/no synced orders/);
    await expect(processScore({ ...job('hubspot-2', 'r3'), rates: {} }, ctx)).rejects.toThrow(
      /EUR \(\d+ orders\) besides the base currency USD: pass --rates/,
    );
  });

  it('plans one prepare shard per shardCustomers customers, and guesses the main currency from a sample', async () => {
    const customers = new Set(records.orders.map((o) => o.customerId)).size;
    const plan = await processScorePlan({ ...job('hubspot-2', 'r4', 100), currency: undefined }, ctx);
    expect(plan.baseCurrency).toBe('USD');
    // Estimated from a sample of at least 200 customers' buckets: within a third of the exact count.
    expect(plan.prepareShards).toBeGreaterThanOrEqual(Math.floor((customers / 100) * (2 / 3)));
    expect(plan.prepareShards).toBeLessThanOrEqual(Math.ceil((customers / 100) * (4 / 3)));
  });
});
