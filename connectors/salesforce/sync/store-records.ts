/**
 * Mapped records into the sink: valid ones upserted, rejected and skipped ones reported with id and reason in
 * `skipped` (a bad record never stops the run), the newest SystemModstamp of every row noted for the cursor.
 */
import type { RecordOf, RecordType } from '../../../domain/records';
import type { RemovedCounts } from '../../crm-adapter';
import type { MapOutcome } from '../../hubspot/map-outcome';
import type { SalesforceRecord } from '../query-pages';
import { text, toIsoDateTime } from '../record-values';
import type { SyncedObject } from '../salesforce-objects';
import type { RunContext } from './run-context';
import { advance } from './sync-cursor';

/**
 * Objects whose skips are counted, not reported: an open or lost opportunity is no order, and a to-do task
 * no activity signal, by design, not by fault.
 */
const QUIET_SKIPS: ReadonlySet<SyncedObject> = new Set(['Opportunity', 'Task', 'Event']);

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

/**
 * The records of `outcomes`: warnings and rejections reported under `object` (skips too, unless quiet);
 * the ids of records not stored are returned in `notStored`.
 */
export function sortOutcomes<T extends RecordType>(
  ctx: RunContext,
  object: SyncedObject,
  outcomes: readonly MapOutcome<T>[],
): { records: RecordOf<T>[]; notStored: string[] } {
  const { report } = ctx;
  const records: RecordOf<T>[] = [];
  const notStored: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === 'record') {
      records.push(outcome.record);
      for (const warning of outcome.warnings)
        report.warnings.push({ type: object, id: outcome.record.id, warning });
    } else if (outcome.kind === 'rejected') {
      report.skipped[object].push({ id: outcome.rejection.id, reason: outcome.rejection.reason });
      notStored.push(outcome.rejection.id);
    } else {
      if (!QUIET_SKIPS.has(object)) report.skipped[object].push({ id: outcome.id, reason: outcome.reason });
      notStored.push(outcome.id);
    }
  }
  return { records, notStored };
}

/** Upserts records of one type and counts them. */
export async function storeRecords<T extends RecordType>(
  ctx: RunContext,
  recordType: T,
  records: readonly RecordOf<T>[],
): Promise<void> {
  if (records.length === 0) return;
  await ctx.options.sink.apply({ kind: 'upsert', type: recordType, records });
  for (const record of records) ctx.storedIds[recordType].add(record.id);
  ctx.report.written[recordType] += records.length;
}

/** sortOutcomes, then storeRecords; returns the ids of the rows not stored. */
export async function storeOutcomes<T extends RecordType>(
  ctx: RunContext,
  object: SyncedObject,
  recordType: T,
  outcomes: readonly MapOutcome<T>[],
): Promise<string[]> {
  const { records, notStored } = sortOutcomes(ctx, object, outcomes);
  await storeRecords(ctx, recordType, records);
  return notStored;
}

/** Removes stored records; with `withDependents`, what belongs to them goes too (worker/state/store-sink.ts). */
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
  for (const [type, count] of Object.entries(removed) as [RecordType, number][])
    ctx.report.removed[type] += count;
}
