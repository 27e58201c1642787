import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import type { JournalEntry } from '../../connectors/hubspot/sandbox';
import type { Score, ScoreRun } from '../../domain/score';
import { writeBackScores } from '../../worker/jobs/write-back-scores';
import { FileRecordStore, type RecordStore } from '../../worker/state';
import {
  RETRY,
  SEGMENTS,
  startWritebackHarness,
  type WritebackHarness,
} from '../connectors/hubspot/writeback/writeback-harness';
import { tempDir } from '../helpers/run-cli';

const TENANT = 'hubspot-1000';

const runOf = (customers: number, over: Partial<ScoreRun> = {}): ScoreRun => ({
  runId: 'run-1',
  tenant: TENANT,
  source: 'hubspot',
  scoredAt: '2026-11-20T12:00:00.000Z',
  modelVersion: 'bgnbd/test',
  clvMonths: 12,
  currency: 'USD',
  customers,
  ...over,
});

const scoreOf = (customerId: string, i: number): Score => ({
  customerId,
  segmentId: SEGMENTS[i % SEGMENTS.length].id,
  segmentName: SEGMENTS[i % SEGMENTS.length].name,
  rfmScore: '345',
  rfmSegment: 'Need Attention',
  clvHistoric: 50 + i,
  clvPredicted: 100 + i * 1.25,
  expectedOrders: 1.5,
  pAlive: 0.75,
  churnProbability: 0.2,
  churnRisk: 'low',
  modelVersion: 'bgnbd/test',
  scoredAt: '2026-11-20T12:00:00.000Z',
});

let h: WritebackHarness;
afterEach(async () => {
  await h?.close();
});

async function scoredStore(ids: readonly string[], run = runOf(ids.length)): Promise<FileRecordStore> {
  const store = new FileRecordStore(tempDir('write-back-job'));
  await store.putScoreRun(TENANT, run, ids.map(scoreOf));
  return store;
}

const adapterFor = (harness: WritebackHarness) =>
  createHubSpotAdapter({ connection: harness.connection, portalId: 1000, retry: RETRY });

describe('writeBackScores', () => {
  it('writes the stored Scores, then nothing on a rerun', async () => {
    h = await startWritebackHarness(250);
    const store = await scoredStore(h.contactIds());
    const first = await writeBackScores({ adapter: adapterFor(h), store });
    expect(first.written.customersWritten).toBe(250);
    expect(first.written.failed).toEqual([]);
    const id = h.contactIds()[7];
    expect(h.sandbox.store.objects.contacts.byId.get(id)?.properties.clv_predicted_12m).toBe('108.75');
    const again = await writeBackScores({ adapter: adapterFor(h), store });
    expect(again.written.writeCalls).toBe(0);
  });

  it('records each confirmed batch before the next, so a run killed mid-way resends no recorded value', async () => {
    h = await startWritebackHarness(1000);
    const ids = h.contactIds();
    const base = await scoredStore(ids);
    // A process killed right after its 3rd confirmation was recorded: nothing after that point runs.
    let started = 0;
    let recorded3 = 0;
    const dying: RecordStore = Object.assign(Object.create(base) as FileRecordStore, {
      setWrittenValues: async (tenant: string, values: Record<string, Record<string, string>>) => {
        if (started >= 3) return new Promise<void>(() => {});
        started++;
        await base.setWrittenValues(tenant, values);
        recorded3++;
      },
    });
    void writeBackScores({ adapter: adapterFor(h), store: dying });
    for (let waits = 0; waits < 400 && (recorded3 < 3 || h.updateRequests.length < 6); waits++)
      await new Promise((r) => setTimeout(r, 5));
    const recorded = new Set(Object.keys(await base.getWrittenValues(TENANT)));
    expect(recorded.size).toBe(300);

    const sentBefore = new Map(h.confirmed);
    const rerun = await writeBackScores({ adapter: adapterFor(h), store: base });
    const sentByRerun = ids.filter((id) => (h.confirmed.get(id) ?? 0) > (sentBefore.get(id) ?? 0));
    expect(sentByRerun.filter((id) => recorded.has(id))).toEqual([]);
    // Batches HubSpot accepted after the last recorded one are settled from their intents, not resent.
    expect(sentByRerun.sort()).toEqual(ids.filter((id) => !sentBefore.has(id)).sort());
    expect(rerun.written.failed).toEqual([]);
    // Every contact holds its value at the end.
    for (const [i, id] of ids.entries())
      expect(h.sandbox.store.objects.contacts.byId.get(id)?.properties.clv_historic).toBe(String(50 + i));
  });

  it('settles batches HubSpot accepted but the store never recorded: the rerun reads them back, resends none', async () => {
    h = await startWritebackHarness(1000);
    const ids = h.contactIds();
    const base = await scoredStore(ids);
    // The process dies as HubSpot answers its 3rd batch: that answer and those of the batches already in
    // flight are never recorded, so only their intents are left.
    let confirmations = 0;
    const dying: RecordStore = Object.assign(Object.create(base) as FileRecordStore, {
      setWrittenValues: async (tenant: string, values: Record<string, Record<string, string>>) => {
        if (++confirmations >= 3) return new Promise<void>(() => {});
        await base.setWrittenValues(tenant, values);
      },
    });
    void writeBackScores({ adapter: adapterFor(h), store: dying });
    for (let waits = 0; waits < 400 && h.updateRequests.length < 6; waits++)
      await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    const accepted = ids.filter((id) => h.confirmed.has(id));
    const recorded = Object.keys(await base.getWrittenValues(TENANT));
    const unrecorded = accepted.filter((id) => !recorded.includes(id));
    expect(unrecorded.length).toBeGreaterThanOrEqual(100);
    expect(Object.keys(await base.getWriteIntents(TENANT))).toEqual(expect.arrayContaining(unrecorded));

    const rerun = await writeBackScores({ adapter: adapterFor(h), store: base });
    expect(rerun.settled.confirmed).toBe(unrecorded.length);
    expect(rerun.written.failed).toEqual([]);
    expect(ids.filter((id) => h.confirmed.get(id) !== 1)).toEqual([]);
    expect(await base.getWriteIntents(TENANT)).toEqual({});
    for (const [i, id] of ids.entries())
      expect(h.sandbox.store.objects.contacts.byId.get(id)?.properties.clv_historic).toBe(String(50 + i));
  });

  it('settles intents field by field: a field HubSpot holds is not resent, one edited since is', async () => {
    const journal: JournalEntry[] = [];
    h = await startWritebackHarness(30, { journal: (entries) => journal.push(...entries) });
    const ids = h.contactIds();
    const store = await scoredStore(ids);
    await adapterFor(h).ensureFields({ segments: SEGMENTS });
    const [held, edited] = ids;
    // What a run killed mid-batch leaves: intents of its Scores' values; HubSpot took one contact's batch
    // (its churn risk edited by a user since) and never got the other's.
    await store.setWriteIntents(TENANT, {
      [held]: { clv_historic: '50', clv_churn_risk: 'low' },
      [edited]: { clv_historic: '51' },
      gone: { clv_historic: '1' },
    });
    const contacts = h.sandbox.store.objects.contacts.byId;
    Object.assign(contacts.get(held)!.properties, { clv_historic: '50.00', clv_churn_risk: 'medium' });
    contacts.get(edited)!.properties.clv_historic = '5';

    const rerun = await writeBackScores({ adapter: adapterFor(h), store });
    expect(rerun.settled).toEqual({ customers: 3, confirmed: 1 });
    const sentTo = (id: string) => journal.filter((e) => e.objectId === id).map((e) => e.properties);
    expect(sentTo(held)).toHaveLength(1);
    expect(sentTo(held)[0]).not.toHaveProperty('clv_historic');
    expect(sentTo(held)[0]).toMatchObject({ clv_churn_risk: 'low' });
    expect(sentTo(edited)).toEqual([expect.objectContaining({ clv_historic: '51' })]);
    expect(await store.getWriteIntents(TENANT)).toEqual({});
  });

  it.each([
    ['another portal', { tenant: 'hubspot-2000' }],
    ['a CSV import', { tenant: TENANT, source: 'csv' as const }],
  ])('refuses Scores made for %s before any call', async (_what, over) => {
    h = await startWritebackHarness(20);
    const store = await scoredStore(h.contactIds(), runOf(20, over));
    await expect(writeBackScores({ adapter: adapterFor(h), store })).rejects.toMatchObject({
      code: 'TENANT_MISMATCH',
      message: expect.stringMatching(/score hubspot-1000 itself/),
    });
    expect(h.requests).toEqual([]);
  });

  it('says to score first when the tenant has no Scores', async () => {
    h = await startWritebackHarness(5);
    const store = new FileRecordStore(tempDir('write-back-empty'));
    await expect(writeBackScores({ adapter: adapterFor(h), store })).rejects.toThrow(
      /has no scores yet: score it first/,
    );
  });
});
