/**
 * Sync through Bulk API 2.0 query jobs against the real Salesforce sandbox (jsforce 3.10.16 over HTTP): with
 * a threshold of 100 rows every larger object is read by a Bulk query job, paged by Sforce-Locator, its CSV
 * turned into the records SOQL gives, so the canonical records equal those of a SOQL-paged sync exactly, in a
 * predictable number of calls. Incremental reads and deletions (a `queryAll` job) work in bulk mode too.
 */
import type { SalesforceAdapter } from '../../../../connectors/salesforce/salesforce-adapter';
import { sfDatetime } from '../../../../connectors/salesforce/sandbox';
import { deleteRecord, updateRecord } from '../../../../connectors/salesforce/sandbox/org-store';
import { SYNCED_OBJECTS } from '../../../../connectors/salesforce/salesforce-objects';
import type { SalesforceSyncReport } from '../../../../connectors/salesforce/sync/sync-salesforce';
import { MemorySink } from '../connector/memory-sink';
import { startOrg, type Org } from './org-harness';

const SEED = 7;
const CONTACTS = 300;
const PAGE = 100;
const BULK = { queryThreshold: 100, pageSize: PAGE, pollIntervalMs: 20, pollTimeoutMs: 20_000 };
const SOQL_ONLY = { queryThreshold: Infinity };
/** A full sync reads every object but Account, whose cursor it takes with two short queries. */
const READ_IN_FULL = SYNCED_OBJECTS.filter((o) => o !== 'Account');

const orgs: Org[] = [];
async function org(): Promise<Org> {
  const started = await startOrg({ seed: SEED, contacts: CONTACTS, bulkDelayMs: 5 });
  orgs.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(orgs.splice(0).map((o) => o.close()));
});

function snapshot(sink: MemorySink) {
  return Object.fromEntries(
    Object.entries(sink.records).map(([type, records]) => [
      type,
      [...records.values()].sort((a, b) => a.id.localeCompare(b.id)),
    ]),
  );
}

const sorted = (report: SalesforceSyncReport) => ({
  read: report.read,
  written: report.written,
  removed: report.removed,
  opportunities: report.opportunities,
  skipped: Object.fromEntries(
    Object.entries(report.skipped).map(([k, v]) => [k, [...v].sort((a, b) => a.id.localeCompare(b.id))]),
  ),
  warnings: [...report.warnings].sort((a, b) => `${a.id}${a.warning}`.localeCompare(`${b.id}${b.warning}`)),
});

describe('Bulk API 2.0 query reads against the Salesforce sandbox', () => {
  it('a full sync with threshold 100 gives exactly the records SOQL paging gives, in the expected calls', async () => {
    const soqlOrg = await org();
    const bulkOrg = await org();
    const soqlSink = new MemorySink();
    const bulkSink = new MemorySink();
    const soql = await (
      await soqlOrg.adapter(undefined, { bulk: SOQL_ONLY })
    ).readRecords({ mode: 'full' }, soqlSink);
    const usageBefore = bulkOrg.sandbox.usage.used;
    const bulk = await (
      await bulkOrg.adapter(undefined, { bulk: BULK })
    ).readRecords({ mode: 'full' }, bulkSink);

    expect(snapshot(bulkSink)).toEqual(snapshot(soqlSink));
    expect(bulkSink.records.customer.size).toBe(CONTACTS);
    expect(sorted(bulk)).toEqual(sorted(soql));
    expect(bulk.cursors).toEqual(soql.cursors);
    expect(soql.bulk.queryJobs).toBe(0);
    const viaBulk = READ_IN_FULL.filter((o) => soql.read[o] > BULK.queryThreshold);
    expect(viaBulk).toEqual(expect.arrayContaining(['Contact', 'Opportunity', 'CampaignMember', 'Task']));
    for (const object of READ_IN_FULL)
      expect(bulk.bulk.readVia[object]).toBe(viaBulk.includes(object) ? 'bulk' : 'soql');
    expect(bulk.bulk.queryJobs).toBe(viaBulk.length);

    // SOQL: one describe, one page (≤2,000 rows) per object and Account's two cursor queries. Bulk: the first
    // SOQL page (whose totalSize hands the object over), the job's create, its status polls, and one result
    // page per 100 rows.
    expect(soql.apiCalls).toBe(1 + READ_IN_FULL.length + 2);
    const resultPages = viaBulk.reduce((sum, o) => sum + Math.ceil(bulk.read[o] / PAGE), 0);
    expect(bulk.bulk.polls).toBeGreaterThanOrEqual(viaBulk.length);
    expect(bulk.apiCalls).toBe(1 + READ_IN_FULL.length + 2 + viaBulk.length + bulk.bulk.polls + resultPages);
    // Every call the connector counted is a call the org counted (Sforce-Limit-Info).
    expect(bulkOrg.sandbox.usage.used - usageBefore).toBe(bulk.apiCalls);
  });

  it('incremental reads and deletions in bulk mode give what SOQL paging gives', async () => {
    // One instant for both orgs' changes (after both full reads), so their records compare equal.
    const at = sfDatetime(Date.now() + 10_000);
    const run = async (bulk: typeof BULK | typeof SOQL_ONLY) => {
      const o = await org();
      const adapter: SalesforceAdapter = await o.adapter(undefined, { bulk });
      const sink = new MemorySink();
      await adapter.readRecords({ mode: 'full' }, sink);
      // 150 contacts move, 120 others are deleted.
      const contacts = [...o.sandbox.store.records.get('Contact')!.values()].sort((a, b) =>
        String(a.Id).localeCompare(String(b.Id)),
      );
      for (const record of contacts.slice(0, 150))
        updateRecord(o.sandbox.store, 'Contact', record, { MailingCity: 'Bulkton' }, at);
      for (const record of contacts.slice(150, 270)) deleteRecord(o.sandbox.store, record, at);
      const report = await adapter.readRecords({ mode: 'incremental' }, sink);
      const again = await adapter.readRecords({ mode: 'incremental' }, sink);
      return { sink, report, again };
    };
    const soql = await run(SOQL_ONLY);
    const bulk = await run(BULK);

    expect(bulk.report.read.Contact).toBe(150);
    expect(bulk.report.removed.customer).toBe(120);
    expect(bulk.report.bulk.readVia.Contact).toBe('bulk');
    // The changed contacts' job and the deleted contacts' queryAll job.
    expect(bulk.report.bulk.queryJobs).toBe(2);
    expect(soql.report.bulk.queryJobs).toBe(0);
    expect(snapshot(bulk.sink)).toEqual(snapshot(soql.sink));
    expect(sorted(bulk.report)).toEqual(sorted(soql.report));
    expect([...bulk.sink.records.customer.values()].filter((c) => c.city === 'Bulkton')).toHaveLength(150);
    expect(Object.values(bulk.again.read).reduce((s, n) => s + n, 0)).toBe(0);
    expect(bulk.again.bulk.queryJobs).toBe(0);
  });
});
