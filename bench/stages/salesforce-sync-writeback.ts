/**
 * Bench stage salesforce-sync-writeback (issue P7): a seeded Salesforce sandbox (N contacts, default 100,000,
 * seeded like the HubSpot bench's portal) with a 100,000-call daily allocation, the real jsforce 3.10.16
 * connector (SalesforceAdapter), and:
 *   (a) a full sync with SOQL paging only (pages of 2,000 rows);
 *   (b) the same full sync with Bulk API 2.0 query jobs for every object above 10,000 rows (the default);
 *   (c) write-back of every contact through sObject Collections (⌈N/200⌉ calls);
 *   (d) write-back of every contact (new values) through one Bulk API 2.0 ingest job.
 * Calls are counted by the connector and at the sandbox (its Sforce-Limit-Info counter), each set against
 * the 100,000-call daily allocation. The sandbox runs in this process (it shares the event loop with the
 * client, so wall times include the sandbox's own work: reading them as Salesforce's times would be wrong).
 * Bulk jobs poll every second (jsforce's default); the sandbox's jobs spend 100 ms in each queued state.
 *
 * Args: <contacts> <seed>
 */
import type { FieldValues, RecordChange, RecordSink, WrittenFields } from '../../connectors/crm-adapter';
import { connectSalesforce } from '../../connectors/salesforce/create-connection';
import {
  createSalesforceAdapter,
  type SalesforceAdapter,
  type SalesforceBulkOptions,
} from '../../connectors/salesforce/salesforce-adapter';
import { createSalesforceSandbox, type SalesforceSandbox } from '../../connectors/salesforce/sandbox';
import type { SalesforceSyncReport } from '../../connectors/salesforce/sync/sync-salesforce';
import { peakRssMiB, runAsStage } from '../stage-protocol';

const TOKEN = 'bench-token';
const ORG_ID = '00D000000000001AAA';
export const DAILY_ALLOCATION = 100_000;

export type SyncRun = {
  label: string;
  ms: number;
  apiCalls: number;
  sandboxCalls: number;
  records: number;
  readVia: Record<string, string>;
  bulkJobs: number;
  bulkPolls: number;
};

export type WriteRun = {
  label: string;
  ms: number;
  changed: number;
  written: number;
  failed: number;
  writeCalls: number;
  sandboxCalls: number;
};

export type SalesforceBenchResult = {
  contacts: number;
  seed: number;
  seedMs: number;
  rows: Record<string, number>;
  dailyAllocation: number;
  syncs: SyncRun[];
  writes: WriteRun[];
  peakRssMiB: number;
};

/** Counts what a sync stores; keeps the contact ids for the write-back. */
class CountingSink implements RecordSink {
  upserts = 0;
  readonly contactIds = new Set<string>();
  async cursor(): Promise<string | undefined> {
    return undefined;
  }
  async apply(change: RecordChange) {
    if (change.kind === 'upsert') {
      this.upserts += change.records.length;
      if (change.type === 'customer') for (const r of change.records) this.contactIds.add(r.id);
    }
    return {};
  }
}

function values(i: number, version: string): FieldValues {
  return {
    clv_segment: i % 2 === 0 ? 'Loyal regulars' : 'Occasional buyers',
    clv_rfm_segment: 'champions',
    clv_rfm_score: '545',
    clv_predicted_12m: 100 + (i % 997) / 3,
    clv_historic: 50 + (i % 389),
    clv_p_alive: 0.5 + (i % 50) / 100,
    clv_churn_risk: ['low', 'medium', 'high'][i % 3],
    clv_scored_at: new Date(Date.UTC(2026, 10, 1)),
    clv_model_version: version,
  };
}

async function adapterFor(url: string, bulk: SalesforceBulkOptions): Promise<SalesforceAdapter> {
  const sf = await connectSalesforce({ kind: 'access-token', instanceUrl: url, accessToken: TOKEN });
  return createSalesforceAdapter({ connection: sf, orgId: ORG_ID, bulk, limits: { minRemainingCalls: 0 } });
}

async function timedSync(
  label: string,
  sandbox: SalesforceSandbox,
  url: string,
  bulk: SalesforceBulkOptions,
): Promise<{ run: SyncRun; sink: CountingSink }> {
  const adapter = await adapterFor(url, bulk);
  const sink = new CountingSink();
  const before = sandbox.usage.used;
  const started = performance.now();
  const report: SalesforceSyncReport = await adapter.readRecords({ mode: 'full' }, sink);
  const ms = performance.now() - started;
  adapter.close();
  return {
    sink,
    run: {
      label,
      ms,
      apiCalls: report.apiCalls,
      sandboxCalls: sandbox.usage.used - before,
      records: Object.values(report.read).reduce((s, n) => s + n, 0),
      readVia: report.bulk.readVia as Record<string, string>,
      bulkJobs: report.bulk.queryJobs,
      bulkPolls: report.bulk.polls,
    },
  };
}

async function timedWrite(
  label: string,
  sandbox: SalesforceSandbox,
  url: string,
  bulk: SalesforceBulkOptions,
  ids: readonly string[],
  version: string,
): Promise<WriteRun> {
  const adapter = await adapterFor(url, bulk);
  // The fields through the Metadata API (a few calls, made before the write is counted), as a real org's first run.
  await adapter.ensureFields({ segments: [] });
  const lastWritten = new Map<string, WrittenFields>();
  const wanted = new Map(ids.map((id, i) => [id, values(i, version)]));
  const before = sandbox.usage.used;
  const started = performance.now();
  const report = await adapter.writeChanged({ values: wanted, lastWritten });
  const ms = performance.now() - started;
  adapter.close();
  return {
    label,
    ms,
    changed: report.customersChanged,
    written: report.customersWritten,
    failed: report.failed.length,
    writeCalls: report.writeCalls,
    sandboxCalls: sandbox.usage.used - before,
  };
}

export async function runSalesforceStage(contacts: number, seed: number): Promise<SalesforceBenchResult> {
  const seedStart = performance.now();
  const sandbox = createSalesforceSandbox({
    token: TOKEN,
    orgId: ORG_ID,
    seed,
    contacts,
    dailyApiRequests: DAILY_ALLOCATION,
    // 100,000 contacts' write-back as one file: ~15 MB of CSV (the Collections JSON stays ≤ 1 MB a call).
    maxBodyBytes: 4 * 1024 * 1024,
  });
  const seedMs = performance.now() - seedStart;
  const rows = Object.fromEntries(
    [
      'Contact',
      'Opportunity',
      'OpportunityLineItem',
      'OpportunityContactRole',
      'Case',
      'User',
      'Product2',
      'Account',
      'Task',
      'Event',
      'Campaign',
      'CampaignMember',
    ].map((type) => [type, sandbox.store.records.get(type)!.size]),
  );
  process.stderr.write(
    `  seeded ${contacts} contacts in ${(seedMs / 1000).toFixed(1)} s: ${JSON.stringify(rows)}\n`,
  );
  const server = await sandbox.listen(0);
  try {
    const soql = await timedSync('(a) full sync, SOQL paging', sandbox, server.url, {
      queryThreshold: Infinity,
    });
    process.stderr.write(`  ${soql.run.label}: ${(soql.run.ms / 1000).toFixed(1)} s\n`);
    const bulk = await timedSync('(b) full sync, Bulk API 2.0 above 10,000 rows', sandbox, server.url, {});
    process.stderr.write(`  ${bulk.run.label}: ${(bulk.run.ms / 1000).toFixed(1)} s\n`);
    const ids = [...soql.sink.contactIds];
    const collections = await timedWrite(
      '(c) write-back, sObject Collections',
      sandbox,
      server.url,
      { writeThreshold: Infinity },
      ids,
      'v1',
    );
    process.stderr.write(`  ${collections.label}: ${(collections.ms / 1000).toFixed(1)} s\n`);
    const ingest = await timedWrite(
      '(d) write-back, one Bulk API 2.0 ingest job',
      sandbox,
      server.url,
      { pollTimeoutMs: 30 * 60_000 },
      ids,
      'v2',
    );
    return {
      contacts,
      seed,
      seedMs,
      rows,
      dailyAllocation: DAILY_ALLOCATION,
      syncs: [soql.run, bulk.run],
      writes: [collections, ingest],
      peakRssMiB: peakRssMiB(),
    };
  } finally {
    await server.close();
  }
}

if (require.main === module)
  runAsStage((args) => runSalesforceStage(Number(args[0] ?? 100_000), Number(args[1] ?? 42)));
