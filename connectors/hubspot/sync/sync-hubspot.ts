/**
 * Full and incremental HubSpot reads into a RecordSink (the CrmAdapter read side). Every API call goes through
 * callWithRetry with the connection's limiters (search calls take the search limiter, NOTES §4.6); every
 * object is mapped with the mappers and validated by the canonical schemas; a bad object is reported in
 * `skipped` with its id and reason and never stops the sync.
 *
 * The run is split by job: hubspot-reads (API calls), write-objects (mapping, validation, upserts),
 * full-sync, incremental-sync and removals, over the run context of run-context.
 *
 * @example
 * const summary = await syncHubSpot({ connection, sink, tenant: 'hubspot-1000', mode: 'full' });
 */
import { fullSync } from './full-sync';
import { incrementalSync } from './incremental-sync';
import { createRunContext, type SyncOptions, type SyncSummary } from './run-context';

export type { SkippedRecord, SyncedType, SyncOptions, SyncProgress, SyncSummary } from './run-context';
export { cursorName, modifiedAt } from './sync-cursor';

export async function syncHubSpot(options: SyncOptions): Promise<SyncSummary> {
  const context = createRunContext(options);
  if (options.mode === 'full') await fullSync(context);
  else await incrementalSync(context);
  return context.summary;
}
