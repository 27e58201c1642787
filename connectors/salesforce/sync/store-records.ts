/**
 * Mapped records into the sink: valid ones upserted, rejected and skipped ones reported with id and reason in
 * `skipped` (a bad record never stops the run), the newest SystemModstamp of every row noted for the cursor.
 */
import type { RecordType } from '../../../domain/records';
import type { RemovedCounts } from '../../crm-adapter';
import type { MapOutcome } from '../../hubspot/map-outcome';
import type { SalesforceRecord } from '../query-pages';
import { text, toIsoDateTime } from '../record-values';
import type { SyncedObject } from '../salesforce-objects';
import { STORED_AS, type RunContext } from './run-context';
import { advance } from './sync-cursor';

/** Notes the newest SystemModstamp of `rows` (and the ids at it) for `object`'s cursor (NOTES §5.3). */
export function noteModstamps(
  ctx: RunContext,
  object: SyncedObject,
  rows: readonly SalesforceRecord[],
): void {
  for (const row of rows) {
    const raw = text(row, 'SystemModstamp');
    const iso = raw === undefined ? undefined : toIsoDateTime(raw);
    const id = text(row, 'Id');
    if (iso !== undefined && id !== undefined) ctx.newest[object] = advance(ctx.newest[object], id, iso);
  }
}

export async function storeOutcomes<T extends RecordType>(
  ctx: RunContext,
  object: SyncedObject,
  recordType: T,
  outcomes: readonly MapOutcome<T>[],
): Promise<void> {
  const { report } = ctx;
  const records = [];
  for (const outcome of outcomes) {
    if (outcome.kind === 'record') {
      records.push(outcome.record);
      for (const warning of outcome.warnings)
        report.warnings.push({ type: object, id: outcome.record.id, warning });
    } else if (outcome.kind === 'rejected') {
      report.skipped[object].push({ id: outcome.rejection.id, reason: outcome.rejection.reason });
    } else if (object !== 'Opportunity') {
      // Open and lost opportunities are counted in `opportunities`, not reported as skipped.
      report.skipped[object].push({ id: outcome.id, reason: outcome.reason });
    }
  }
  if (records.length === 0) return;
  await ctx.options.sink.apply({ kind: 'upsert', type: recordType, records });
  for (const record of records) ctx.storedIds[object].add(record.id);
  report.written[object] += records.length;
}

/** Removes stored records; with `withDependents`, a removed customer takes its orders and cases along. */
export async function removeRecords(
  ctx: RunContext,
  recordType: RecordType,
  ids: readonly string[],
  withDependents = false,
): Promise<void> {
  if (ids.length === 0) return;
  countRemoved(ctx, await ctx.options.sink.apply({ kind: 'remove', type: recordType, ids, withDependents }));
}

export function countRemoved(ctx: RunContext, removed: RemovedCounts): void {
  for (const [object, recordType] of STORED_AS) ctx.report.removed[object] += removed[recordType] ?? 0;
}
