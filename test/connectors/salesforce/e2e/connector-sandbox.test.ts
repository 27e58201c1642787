/**
 * The Salesforce connector against the real Salesforce sandbox (jsforce 3.10.16 over HTTP, no stub): a full
 * sync reproduces what the generator seeded (the same customers, orders, amounts and dates as the HubSpot
 * sandbox seeded alike gives the HubSpot connector), an incremental sync reads only what changed, the
 * write-back costs ⌈changed/200⌉ collection calls and nothing on a rerun, validation-rule rejections are
 * reported per contact, an expired session is refreshed once mid-sync, and the churn Flow fires once per
 * contact that turns high.
 */
import { Connection } from 'jsforce';
import type { FieldValues } from '../../../../connectors/crm-adapter';
import { FLOW_TASK_SUBJECT, sfDatetime } from '../../../../connectors/salesforce/sandbox';
import { insertRecord } from '../../../../connectors/salesforce/sandbox/org-store';
import { MemorySink } from '../connector/memory-sink';
import { comparable, hubspotFullSync } from './hubspot-twin';
import { collectionUpdates, ORG_ID, startOrg, TOKEN, type Org } from './org-harness';

const SEED = 7;
const CONTACTS = 300;

function values(risk: (i: number) => string, i: number, version = 'v1'): FieldValues {
  return {
    clv_segment: i % 2 === 0 ? 'Loyal regulars' : 'Occasional buyers',
    clv_rfm_segment: 'champions',
    clv_rfm_score: '545',
    clv_predicted_12m: 100 + i / 3,
    clv_p_alive: 0.875,
    clv_churn_risk: risk(i),
    clv_scored_at: new Date(Date.UTC(2026, 10, 1)),
    clv_model_version: version,
  };
}

describe('Salesforce connector against the Salesforce sandbox', () => {
  let org: Org;
  afterEach(() => org?.close());

  it('full sync reproduces the seeded records, as the HubSpot sandbox seeded alike gives them', async () => {
    org = await startOrg({ seed: SEED, contacts: CONTACTS });
    const sink = new MemorySink();
    const report = await (await org.adapter()).readRecords({ mode: 'full' }, sink);
    const hubspot = comparable(await hubspotFullSync(SEED, CONTACTS));
    const salesforce = comparable(sink);

    expect(salesforce.customers.size).toBe(CONTACTS);
    expect(salesforce.customers).toEqual(hubspot.customers);
    expect(salesforce.orders).toEqual(hubspot.orders);
    // Every opportunity is a deal, whatever its stage, as every HubSpot deal is.
    expect(salesforce.deals).toEqual(hubspot.deals);
    expect(salesforce.deals).toHaveLength(org.sandbox.store.records.get('Opportunity')!.size);
    expect(new Set(salesforce.deals.map((d) => d.split(' | ')[4]))).toEqual(new Set(['won', 'lost', 'open']));
    // Case Priority has Low, Medium and High only: the seed files HubSpot's URGENT tickets as High.
    expect(salesforce.cases).toEqual(hubspot.cases.map((c) => c.replace(/ \| urgent$/, ' | high')));
    // Refunded opportunities (stage 'Refunded', closed and not won) are refunded orders, not lost deals.
    expect(report.opportunities.refunded).toBeGreaterThan(0);
    expect(salesforce.orders.filter((o) => o.includes('| refunded |'))).toHaveLength(
      report.opportunities.refunded,
    );
    expect(Object.values(report.skipped).flat()).toEqual([]);
    // One describe, one query per object (≤2,000 rows a page) but Account, whose cursor costs two short
    // queries (its newest change, then the rows of that second).
    expect(report.apiCalls).toBe(1 + 11 + 2);
  });

  it('incremental sync after a few opportunity changes and one deleted contact fetches only those', async () => {
    org = await startOrg({ seed: SEED, contacts: CONTACTS });
    const adapter = await org.adapter();
    const sink = new MemorySink();
    await adapter.readRecords({ mode: 'full' }, sink);
    const unchanged = await adapter.readRecords({ mode: 'incremental' }, sink);
    expect(Object.values(unchanged.read).reduce((s, n) => s + n, 0)).toBe(0);

    const conn = new Connection({ instanceUrl: org.server.url, accessToken: TOKEN, version: '62.0' });
    const won = [...sink.records.order.values()].filter((o) => o.status === 'won').slice(0, 3);
    await conn.sobject('Opportunity').update([
      { Id: won[0].id, Amount: 999.5 },
      { Id: won[1].id, CloseDate: '2026-11-02' },
      { Id: won[2].id, StageName: 'Closed Lost' },
    ]);
    const gone = [...sink.records.customer.values()].find(
      (c) => ![...sink.records.order.values()].some((o) => o.customerId === c.id),
    )!;
    await conn.sobject('Contact').destroy(gone.id);

    const report = await adapter.readRecords({ mode: 'incremental' }, sink);
    expect(report.read).toEqual({
      User: 0,
      Product2: 0,
      Campaign: 0,
      CampaignMember: 0,
      Task: 0,
      Event: 0,
      Account: 0,
      Contact: 0,
      OpportunityLineItem: 0,
      OpportunityContactRole: 0,
      Opportunity: 3,
      Case: 0,
    });
    expect(report.removed.customer).toBe(1);
    expect(sink.records.customer.has(gone.id)).toBe(false);
    expect(sink.records.order.get(won[0].id)?.amount).toBe(999.5);
    expect(sink.records.order.get(won[1].id)?.placedAt).toBe('2026-11-02T00:00:00.000Z');
    expect(sink.records.order.has(won[2].id)).toBe(false);
    const again = await adapter.readRecords({ mode: 'incremental' }, sink);
    expect(Object.values(again.read).reduce((s, n) => s + n, 0)).toBe(0);

    // A contact saved at the very instant of the cursor (after the read that set it) is read next time.
    const cursor = JSON.parse((await sink.cursor('salesforce:Contact'))!) as { since: string };
    const late = insertRecord(
      org.sandbox.store,
      'Contact',
      { LastName: 'Sameinstant', Email: 'same.instant@example.com' },
      sfDatetime(Date.parse(cursor.since)),
    );
    const sameInstant = await adapter.readRecords({ mode: 'incremental' }, sink);
    expect(sameInstant.read.Contact).toBe(1);
    expect(sink.records.customer.get(late.Id)?.email).toBe('same.instant@example.com');
    expect((await adapter.readRecords({ mode: 'incremental' }, sink)).read.Contact).toBe(0);
  });

  it('writes all changed contacts in ⌈changed/200⌉ collection calls, and nothing on a rerun', async () => {
    org = await startOrg({ seed: SEED, contacts: 450 });
    const adapter = await org.adapter();
    const sink = new MemorySink();
    await adapter.readRecords({ mode: 'full' }, sink);
    const ids = [...sink.records.customer.keys()];
    const wanted = new Map(ids.map((id, i) => [id, values(() => 'low', i)]));
    const lastWritten = new Map();
    await adapter.ensureFields({ segments: [] });

    const first = await adapter.writeChanged({ values: wanted, lastWritten });
    expect(first.customersChanged).toBe(450);
    expect(first.customersWritten).toBe(450);
    expect(first.failed).toEqual([]);
    expect(first.writeCalls).toBe(Math.ceil(450 / 200));
    const calls = collectionUpdates(org.journal);
    expect(calls.map((c) => c.length)).toEqual([200, 200, 50]);
    const contact = org.sandbox.store.records.get('Contact')!.get(ids[3])!;
    expect(contact).toMatchObject({
      CLV_Segment__c: 'Occasional buyers',
      CLV_RFM_Score__c: '545',
      CLV_Predicted_12M__c: 101,
      CLV_P_Alive__c: 87.5,
      CLV_Churn_Risk__c: 'low',
    });

    const rerun = await adapter.writeChanged({ values: wanted, lastWritten });
    expect(rerun).toMatchObject({ customersChanged: 0, customersWritten: 0, writeCalls: 0 });
    expect(collectionUpdates(org.journal)).toHaveLength(3);
  });

  it('reports exactly the 5 contacts the validation rule rejects and writes the rest', async () => {
    org = await startOrg({ seed: SEED, contacts: CONTACTS });
    const adapter = await org.adapter();
    const sink = new MemorySink();
    await adapter.readRecords({ mode: 'full' }, sink);
    const ids = [...sink.records.customer.keys()];
    const locked = [ids[0], ids[57], ids[199], ids[200], ids[299]];
    for (const id of locked) org.sandbox.automation.validationRejectIds.add(id);
    await adapter.ensureFields({ segments: [] });
    const lastWritten = new Map();
    const report = await adapter.writeChanged({
      values: new Map(ids.map((id, i) => [id, values(() => 'medium', i)])),
      lastWritten,
    });
    expect(report.customersWritten).toBe(CONTACTS - 5);
    expect(report.failed.map((f) => f.id).sort()).toEqual([...locked].sort());
    for (const f of report.failed) expect(f.reason).toMatch(/^FIELD_CUSTOM_VALIDATION_EXCEPTION: /);
    expect(report.writeCalls).toBe(2);
    expect(lastWritten.size).toBe(CONTACTS - 5);
    const saved = collectionUpdates(org.journal).flatMap((c) => c.map((e) => e.id));
    expect(saved).toHaveLength(CONTACTS - 5);
    expect(saved.filter((id) => locked.includes(id))).toEqual([]);
  });

  it('refreshes a session that expires mid-sync once, and the sync completes', async () => {
    const client = { clientId: 'crm-clv-app', clientSecret: 'app-secret', refreshTokens: ['refresh-1'] };
    org = await startOrg({ seed: SEED, contacts: CONTACTS, oauthClients: [client] });
    const adapter = await org.adapter({
      kind: 'refresh-token',
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      refreshToken: 'refresh-1',
      loginUrl: org.server.url,
    });
    expect(org.sandbox.tokens.grants.refresh_token).toBe(1); // the connection's first token
    const sink = new MemorySink();
    let expired = false;
    const report = await adapter.readRecords(
      {
        mode: 'full',
        onProgress: (p) => {
          if (p.phase === 'Contact' && !expired) {
            expired = true;
            org.sandbox.tokens.expire(adapter.connection.conn.accessToken as string);
          }
        },
      },
      sink,
    );
    expect(expired).toBe(true);
    expect(org.sandbox.tokens.grants.refresh_token).toBe(2);
    expect(report.read.Opportunity).toBeGreaterThan(0);
    expect(sink.records.customer.size).toBe(CONTACTS);
    expect(sink.records.order.size).toBe(report.opportunities.won + report.opportunities.refunded);
  });

  it('the churn Flow creates exactly one Task per contact that turns high', async () => {
    org = await startOrg({ seed: SEED, contacts: CONTACTS });
    const adapter = await org.adapter();
    const sink = new MemorySink();
    await adapter.readRecords({ mode: 'full' }, sink);
    const ids = [...sink.records.customer.keys()];
    const flowTasks = () =>
      [...org.sandbox.store.records.get('Task')!.values()].filter((t) => t.Subject === FLOW_TASK_SUBJECT);
    await adapter.ensureFields({ segments: [] });
    const lastWritten = new Map();
    const high = (i: number) => (i % 10 === 0 ? 'high' : 'low');
    await adapter.writeChanged({ values: new Map(ids.map((id, i) => [id, values(high, i)])), lastWritten });
    const turnedHigh = ids.filter((_, i) => high(i) === 'high');
    expect(
      flowTasks()
        .map((t) => t.WhoId)
        .sort(),
    ).toEqual([...turnedHigh].sort());

    // Rescored: the same contacts stay high (other values change), ten more turn high.
    const high2 = (i: number) => (i % 10 === 0 || i % 10 === 1 ? 'high' : 'low');
    const second = await adapter.writeChanged({
      values: new Map(ids.map((id, i) => [id, values(high2, i, 'v2')])),
      lastWritten,
    });
    expect(second.customersWritten).toBe(CONTACTS);
    const tasks = flowTasks();
    expect(tasks).toHaveLength(ids.filter((_, i) => high2(i) === 'high').length);
    expect(new Set(tasks.map((t) => t.WhoId)).size).toBe(tasks.length);
    expect(ORG_ID).toBe(org.sandbox.store.orgId);
  });
});
