/**
 * Write-back through one Bulk API 2.0 ingest job against the real Salesforce sandbox (jsforce 3.10.16 over
 * HTTP): 3,000 changed contacts above a 2,000 threshold go in one `update` job (CSV upload, polled to
 * JobComplete); the validation rule's 5 rejections come back in failedResults with their sf__Error and the
 * other 2,995 are confirmed; a rerun writes nothing; a null clears the field (`#N/A`); a job that does not
 * finish in time confirms nothing, and readWritten later finds what it wrote.
 */
import type { FieldValues, WrittenFields } from '../../../../connectors/crm-adapter';
import { MemorySink } from '../connector/memory-sink';
import { collectionUpdates, startOrg, type Org } from './org-harness';

const CONTACTS = 3_000;
const POLLING = { pollIntervalMs: 20, pollTimeoutMs: 30_000 };

function values(i: number, rfm: string | null = 'champions'): FieldValues {
  return {
    clv_segment: i % 2 === 0 ? 'Loyal regulars' : 'Occasional buyers',
    clv_rfm_segment: rfm,
    clv_rfm_score: '545',
    clv_predicted_12m: 100 + i / 3,
    clv_p_alive: 0.875,
    clv_churn_risk: 'medium',
    clv_next_best_action: `Call, then "offer" ${i}\nfollow up`,
    clv_scored_at: new Date(Date.UTC(2026, 10, 1)),
    clv_model_version: 'v1',
  };
}

/**
 * What ingest jobs saved, from the journal (the sandbox journals a job's records per 200-record chunk, each
 * entry naming the job's batches URL): the jobs and the records saved.
 */
function ingestSaves(org: Org): { jobs: Set<string>; saved: string[] } {
  const entries = org.journal.flat().filter((e) => /\/jobs\/ingest\/[^/]+\/batches$/.test(e.path));
  return { jobs: new Set(entries.map((e) => e.path)), saved: entries.map((e) => e.id) };
}

describe('Bulk API 2.0 ingest write-back against the Salesforce sandbox', () => {
  let org: Org;
  afterEach(() => org?.close());

  it('writes 3,000 changed contacts in one ingest job: 5 rejected, 2,995 confirmed, nothing on a rerun', async () => {
    org = await startOrg({ seed: 7, contacts: CONTACTS, bulkDelayMs: 5 });
    const adapter = await org.adapter(undefined, { bulk: { writeThreshold: 2_000, ...POLLING } });
    const sink = new MemorySink();
    await adapter.readRecords({ mode: 'full' }, sink);
    const ids = [...sink.records.customer.keys()];
    expect(ids).toHaveLength(CONTACTS);
    const locked = [ids[0], ids[57], ids[1999], ids[2000], ids[2999]];
    for (const id of locked) org.sandbox.automation.validationRejectIds.add(id);
    await adapter.ensureFields({ segments: [] });

    const lastWritten = new Map<string, WrittenFields>();
    const sending: number[] = [];
    const confirmed: number[] = [];
    const usageBefore = org.sandbox.usage.used;
    const requests = jest.spyOn(adapter.connection.conn, 'request');
    const report = await adapter.writeChanged({
      values: new Map(ids.map((id, i) => [id, values(i)])),
      lastWritten,
      onSending: async (batch) => void sending.push(Object.keys(batch).length),
      onConfirmed: async (batch) => void confirmed.push(Object.keys(batch).length),
    });

    expect(report.customersChanged).toBe(CONTACTS);
    expect(report.customersWritten).toBe(CONTACTS - 5);
    expect(report.failed.map((f) => f.id).sort()).toEqual([...locked].sort());
    for (const f of report.failed) expect(f.reason).toMatch(/^FIELD_CUSTOM_VALIDATION_EXCEPTION: /);
    expect(sending).toEqual([CONTACTS]);
    expect(confirmed).toEqual([CONTACTS - 5]);
    expect(lastWritten.size).toBe(CONTACTS - 5);
    // One job: create, upload, close, its polls, successful and failed results — no Collections call.
    expect(collectionUpdates(org.journal)).toEqual([]);
    expect(ingestSaves(org).jobs.size).toBe(1);
    expect(ingestSaves(org).saved).toHaveLength(CONTACTS - 5);
    expect(ingestSaves(org).saved.filter((id) => locked.includes(id))).toEqual([]);
    expect(report.writeCalls).toBeGreaterThanOrEqual(6);
    expect(report.writeCalls).toBe(org.sandbox.usage.used - usageBefore);
    // The job's create, upload and close carry the client tag, as Collections writes do.
    const tagged = requests.mock.calls
      .map(([request]) => request as { method?: string; url?: string; headers?: Record<string, string> })
      .filter((r) => r.method !== 'GET' && /\/jobs\/ingest/.test(r.url ?? ''));
    expect(tagged.map((r) => r.method)).toEqual(['POST', 'PUT', 'PATCH']);
    for (const r of tagged) expect(r.headers?.['Sforce-Call-Options']).toBe('client=crm-clv');
    requests.mockRestore();
    const contact = org.sandbox.store.records.get('Contact')!.get(ids[3])!;
    expect(contact).toMatchObject({
      CLV_Segment__c: 'Occasional buyers',
      CLV_RFM_Segment__c: 'champions',
      CLV_RFM_Score__c: '545',
      CLV_Predicted_12M__c: 101,
      CLV_P_Alive__c: 87.5,
      CLV_Next_Best_Action__c: 'Call, then "offer" 3\nfollow up',
    });
    expect(org.sandbox.store.records.get('Contact')!.get(locked[1])!.CLV_Segment__c ?? null).toBeNull();

    const rerun = await adapter.writeChanged({
      values: new Map(ids.map((id, i) => [id, values(i)])),
      lastWritten,
    });
    // Only the 5 rejected ones are still changed: below the threshold, one Collections call, rejected again.
    expect(rerun).toMatchObject({ customersChanged: 5, customersWritten: 0, writeCalls: 1 });
    expect(ingestSaves(org).jobs.size).toBe(1);

    // Clearing a field in bulk: null is sent as #N/A.
    for (const id of locked) org.sandbox.automation.validationRejectIds.delete(id);
    const cleared = await adapter.writeChanged({
      values: new Map(ids.map((id, i) => [id, values(i, null)])),
      lastWritten,
    });
    expect(cleared.customersChanged).toBe(CONTACTS);
    expect(cleared.failed).toEqual([]);
    expect(org.sandbox.store.records.get('Contact')!.get(ids[3])!.CLV_RFM_Segment__c).toBeNull();
    expect(org.sandbox.store.records.get('Contact')!.get(locked[0])!.CLV_Segment__c).toBe('Loyal regulars');
    const last = await adapter.writeChanged({
      values: new Map(ids.map((id, i) => [id, values(i, null)])),
      lastWritten,
    });
    expect(last).toMatchObject({ customersChanged: 0, customersWritten: 0, writeCalls: 0 });
  });

  it('a job that does not finish in time confirms nothing; readWritten later finds what it wrote', async () => {
    org = await startOrg({ seed: 7, contacts: 400, bulkDelayMs: 300 });
    const adapter = await org.adapter(undefined, {
      bulk: { writeThreshold: 100, pollIntervalMs: 20, pollTimeoutMs: 100 },
    });
    const sink = new MemorySink();
    await adapter.readRecords({ mode: 'full' }, sink);
    await adapter.ensureFields({ segments: [] });
    const ids = [...sink.records.customer.keys()];
    const lastWritten = new Map<string, WrittenFields>();
    let confirmedCalls = 0;
    const report = await adapter.writeChanged({
      values: new Map(ids.map((id, i) => [id, values(i)])),
      lastWritten,
      onConfirmed: async () => void confirmedCalls++,
    });
    expect(report.customersWritten).toBe(0);
    expect(report.failed).toHaveLength(ids.length);
    expect(report.failed[0].reason).toMatch(/^not confirmed: Bulk API 2\.0 job \w+ was still \w+ after/);
    expect(lastWritten.size).toBe(0);
    expect(confirmedCalls).toBe(0);

    // The job was left running, not deleted: once it completes, the values are there to read back.
    await new Promise((resolve) => setTimeout(resolve, 900));
    const held = await adapter.readWritten(ids, ['clv_segment', 'clv_rfm_score']);
    expect(held.size).toBe(ids.length);
    expect(held.get(ids[0])).toEqual({ clv_segment: 'Loyal regulars', clv_rfm_score: '545' });
  });
});
