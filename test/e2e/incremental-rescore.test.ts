/**
 * End to end against the HubSpot sandbox (issue P5): a full run through BullMQ workers on a real Redis writes
 * every buying contact's properties; after 1% of the deals change through the HubSpot API, the next incremental
 * sync → score → write-back reads only what changed and writes only the contacts whose written values changed.
 * The sandbox's write journal is the independent record of what reached the portal.
 */
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { formatPropertyValue } from '../../connectors/hubspot/changed-values';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type JournalEntry,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import { associationsOf } from '../../connectors/hubspot/sandbox/sandbox-store';
import { contractValues } from '../../domain/property-contract';
import type { Score } from '../../domain/score';
import { redisStageLocks } from '../../worker/locks/redis-stage-locks';
import { enqueueRun, runStatus, type RunStatus } from '../../worker/queue/pipeline-runs';
import type { SyncOutcome, WritebackOutcome } from '../../worker/queue/stage-processors';
import { STAGES } from '../../worker/queue/stages';
import { startWorkers, type RunningWorkers } from '../../worker/queue/start-workers';
import { RedisRecordStore } from '../../worker/state';
import { deleteKeys, testRedis, type TestRedis } from '../helpers/test-redis';

const TOKEN = 'sandbox-token';
const TENANT = 'hubspot-1000';
// Both runs score the same day: what moves between them is the data, not the calendar.
const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000).toISOString().slice(0, 10);
const SCORE_DATA = { observationEnd: OBSERVATION_END, currency: 'USD', rates: { EUR: 1.08, GBP: 1.27 } };

let t: TestRedis;
let running: RunningSandbox;
let sandbox: ReturnType<typeof createHubSpotSandbox>;
const journal: JournalEntry[] = [];
let workers: RunningWorkers;
let workerRedis: Redis;
let store: RedisRecordStore;
const queuePrefix = () => `{${t.prefix}-q}`;

const connect = () =>
  createHubSpotConnection({ accessToken: TOKEN, baseUrl: running.url, account: { auth: 'oauth' } });

beforeAll(async () => {
  t = await testRedis();
  sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId: '1000',
    seed: 11,
    contacts: 400,
    journal: (entries) => journal.push(...entries),
  });
  running = await sandbox.listen(0);
  workerRedis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  store = new RedisRecordStore({ redis: t.redis, prefix: t.prefix });
  const locks = redisStageLocks({ redis: workerRedis, prefix: t.prefix });
  workers = startWorkers({
    connection: workerRedis,
    prefix: queuePrefix(),
    concurrency: 1,
    context: (job: Job) => ({
      store,
      engineVersion: 'test',
      progress: (value) => job.updateProgress(value),
      lock: (stage, tenant) => locks.acquire(tenant, stage),
      adapterFor: async (tenant) => {
        expect(tenant).toBe(TENANT);
        return createHubSpotAdapter({ connection: connect(), portalId: 1000 });
      },
    }),
  });
});
afterAll(async () => {
  await workers?.close(5_000);
  await workerRedis?.quit();
  await running?.close();
  if (t) await deleteKeys(t.redis, `${queuePrefix()}:*`);
  await t?.cleanup();
});

async function run(runId: string, mode: 'full' | 'incremental'): Promise<RunStatus> {
  await enqueueRun(t.redis, queuePrefix(), {
    tenant: TENANT,
    runId,
    stages: STAGES,
    data: { mode, ...SCORE_DATA },
  });
  for (let i = 0; i < 1200; i++) {
    const status = await runStatus(t.redis, queuePrefix(), TENANT, runId, STAGES);
    if (status.state === 'completed' || status.state === 'failed') return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not finish in 120 s`);
}

/** Each contract value as write-back sends it; undefined (left alone) and clv_scored_at dropped. */
function asWritten(score: Score): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(contractValues(score)))
    if (value !== undefined && name !== 'clv_scored_at') out[name] = formatPropertyValue(name, value);
  return out;
}

/** Contacts with at least one won deal, from the sandbox's own store. */
function buyingContacts(): Set<string> {
  const won = new Set<string>();
  for (const deal of sandbox.store.objects.deals.byId.values())
    if (deal.properties.dealstage === 'closedwon')
      for (const edge of associationsOf(sandbox.store, 'deals', 'contacts', deal.id)) won.add(edge.toId);
  return won;
}

const contactWrites = (entries: readonly JournalEntry[]) =>
  entries.filter((e) => e.objectType === 'contacts');

describe('an incremental run after 1% of the deals changed', () => {
  let first: { scores: Map<string, Score> };
  let firstWrites: JournalEntry[];

  it('first, a full run leaves every buying contact with its values', async () => {
    const status = await run('full-1', 'full');
    expect(status.stages.map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
    firstWrites = contactWrites(journal);

    const stored = (await store.readScoreRun(TENANT))!;
    first = { scores: new Map(stored.scores.map((s) => [s.customerId, s])) };
    // The run is named after the model version it stored, as the runs reusing that version will be.
    const model = (await store.getModel(TENANT))!.current!;
    expect(stored.run.modelVersion).toBe(`${model.version}-${model.transaction.model}/test`);
    const buyers = buyingContacts();
    expect(buyers.size).toBeGreaterThan(50);
    // Refunds can net a buyer to nothing; no one else is scored.
    expect([...first.scores.keys()].filter((id) => !buyers.has(id))).toEqual([]);
    expect(first.scores.size).toBeGreaterThan(0.95 * buyers.size);

    // Every scored contact was written once, and holds exactly its wanted values.
    expect(firstWrites.map((e) => e.objectId).sort()).toEqual([...first.scores.keys()].sort());
    for (const score of first.scores.values()) {
      const held = sandbox.store.objects.contacts.byId.get(score.customerId)!.properties;
      // HubSpot stores a cleared value ("") as no value.
      for (const [name, value] of Object.entries(asWritten(score)))
        expect([name, held[name] ?? '']).toEqual([name, value]);
      expect(held.clv_scored_at).toBe(score.scoredAt);
    }
  });

  it('then reads only the changed deals and rewrites only the contacts whose values changed', async () => {
    const deals = [...sandbox.store.objects.deals.byId.values()];
    const won = deals.filter((d) => d.properties.dealstage === 'closedwon');
    // 1% of the portal's deals, won ones spread over the portal, their amount raised by half.
    const count = Math.ceil(deals.length / 100);
    const step = Math.floor(won.length / count);
    const changed = Array.from({ length: count }, (_, i) => won[i * step]);
    const journalBefore = journal.length;
    const client = connect().client;
    await client.crm.deals.batchApi.update({
      inputs: changed.map((d) => ({
        id: d.id,
        properties: { amount: String(Math.round(Number(d.properties.amount) * 150) / 100) },
      })),
    });
    expect(journal.length - journalBefore).toBe(count);
    const changedBuyers = new Set(
      changed.flatMap((d) => associationsOf(sandbox.store, 'deals', 'contacts', d.id).map((e) => e.toId)),
    );

    const before = journal.length;
    const status = await run('incremental-2', 'incremental');
    expect(status.stages.map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
    const [sync, , writeback] = status.stages.map((s) => s.result) as [
      SyncOutcome,
      unknown,
      WritebackOutcome,
    ];

    // The sync searched for what was modified since its cursor: the changed deals and nothing else of theirs.
    // HubSpot moves a contact's lastmodifieddate on every property write, our own included, so the contacts
    // the first write-back wrote come back once too.
    expect(sync.mode).toBe('incremental');
    expect(sync.read.deals).toBe(count);
    expect(sync.read.line_items).toBe(0);
    expect(sync.read.products).toBe(0);
    expect(sync.read.tickets).toBe(0);
    expect(sync.read.contacts).toBe(new Set(firstWrites.map((e) => e.objectId)).size);

    const second = new Map((await store.readScoreRun(TENANT))!.scores.map((s) => [s.customerId, s]));
    // The contacts whose values, as written, differ between the two runs' Scores.
    const expected = [...second.values()]
      .filter((score) => {
        const was = first.scores.get(score.customerId);
        if (was === undefined) return true;
        const before = asWritten(was);
        return Object.entries(asWritten(score)).some(([name, value]) => before[name] !== value);
      })
      .map((s) => s.customerId)
      .sort();
    const written = contactWrites(journal.slice(before));
    const writtenIds = written.map((e) => e.objectId).sort();
    expect(writtenIds).toEqual(expected);
    expect(writeback.written).toBe(expected.length);

    // Each write carried the changed values and the new scoring time, nothing else.
    for (const entry of written) {
      const now = second.get(entry.objectId)!;
      const was = first.scores.has(entry.objectId) ? asWritten(first.scores.get(entry.objectId)!) : {};
      const wanted = asWritten(now);
      const names = Object.keys(wanted).filter((name) => wanted[name] !== was[name]);
      expect(entry.properties).toEqual({
        ...Object.fromEntries(names.map((name) => [name, wanted[name]])),
        clv_scored_at: now.scoredAt,
      });
    }

    // Every buyer of a changed deal is rewritten. The others are rewritten only for values of models fitted
    // afresh on the whole population each run (the promoted version fixes the transaction and spend models):
    // the churn classifier behind clv_churn_*, and the segments assigned on those values; and the RFM score,
    // whose digits are quintiles of the whole population, so a buyer whose spend rose by half can push another
    // customer across a cut (while that customer's own history, clv_historic among it, stays as it was). Values
    // of the customer's own history and of the reused models (historic and predicted value, expected orders,
    // P(alive), next order date, model version) never move. On this portal that is 62 of 193 scored
    // contacts (140 while the spend model was refitted too), most for a churn probability that crossed a
    // 4th-decimal rounding boundary.
    for (const id of changedBuyers) expect(writtenIds).toContain(id);
    const refitted = new Set([
      'clv_churn_probability',
      'clv_churn_risk',
      'clv_top_churn_driver',
      'clv_segment',
      'clv_rfm_score',
      'clv_rfm_segment',
    ]);
    const others = changedNames(
      first.scores,
      second,
      writtenIds.filter((id) => !changedBuyers.has(id)),
    );
    expect(Object.keys(others).filter((name) => !refitted.has(name))).toEqual([]);
    expect(writtenIds.length).toBeLessThan(second.size);
    console.log(
      `${count} of ${deals.length} deals changed (${changedBuyers.size} buyers): ${writtenIds.length} of ` +
        `${second.size} scored contacts rewritten; the others by property: ${JSON.stringify(others)}`,
    );
  });
});

/** How many of `ids` changed each property between two runs, as written. */
function changedNames(
  first: Map<string, Score>,
  second: Map<string, Score>,
  ids: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of ids) {
    const a = first.has(id) ? asWritten(first.get(id)!) : {};
    const b = asWritten(second.get(id)!);
    for (const name of Object.keys(b)) if (a[name] !== b[name]) out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}
