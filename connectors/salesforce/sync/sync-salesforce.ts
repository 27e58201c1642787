/**
 * Full and incremental Salesforce reads into a RecordSink (the CrmAdapter read side). Every query pages with
 * query + queryMore through the run's caller (limits, typed errors); every row is mapped and validated by the
 * canonical schemas; a bad row is reported in `skipped` with its id and reason and never stops the sync.
 *
 * @example
 * const report = await syncSalesforce({ sf, caller, sink, tenant: 'salesforce-00D…', mode: 'incremental' });
 */
import { SYNCED_OBJECTS, type OrgFeatures } from '../salesforce-objects';
import { fullSync } from './full-sync';
import { incrementalSync } from './incremental-sync';
import { createRunContext, cursorName, type SalesforceSyncReport, type SyncOptions } from './run-context';
import { encodeCursor } from './sync-cursor';

export type { SalesforceSyncReport, SyncOptions } from './run-context';
export { cursorName } from './run-context';

/**
 * What one describe of Opportunity tells: a multi-currency org has CurrencyIsoCode on it (and on every
 * currency field's object); CampaignId is there where the org has Campaigns the integration user can read.
 */
async function orgFeatures(options: SyncOptions): Promise<OrgFeatures> {
  const describe = await options.caller.call(() => options.sf.conn.describe('Opportunity'));
  const has = (name: string) => describe.fields.some((field) => field.name === name);
  return { multiCurrency: has('CurrencyIsoCode'), campaigns: has('CampaignId') };
}

export async function syncSalesforce(options: SyncOptions): Promise<SalesforceSyncReport> {
  const callsBefore = options.caller.stats.calls;
  const ctx = createRunContext(options);
  ctx.features = await orgFeatures(options);
  ctx.report.multiCurrency = ctx.features.multiCurrency;
  ctx.report.campaigns = ctx.features.campaigns;
  if (options.mode === 'full') await fullSync(ctx);
  else await incrementalSync(ctx);
  // Cursors last: a run that failed part-way re-reads from the old cursors next time (upserts are idempotent).
  for (const object of SYNCED_OBJECTS) {
    const newest = ctx.newest[object];
    if (newest === undefined) continue;
    ctx.report.cursors[object] = newest.since;
    const value = encodeCursor({ since: newest.since, idsAtSince: [...newest.ids] });
    await options.sink.apply({ kind: 'cursor', name: cursorName(object), value });
  }
  ctx.report.apiCalls = options.caller.stats.calls - callsBefore;
  return ctx.report;
}
