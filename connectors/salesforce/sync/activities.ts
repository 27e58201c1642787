/**
 * Tasks and Events into activities (map-activity.ts). A full read stores them and counts them into tallies
 * the contacts read after them carry as engagement; an incremental read gathers the changes for one
 * `activities` change at its end, which has the store recount every customer concerned.
 */
import type { Activity } from '../../../domain/records';
import { mapEvent, mapTask } from '../map-activity';
import type { SalesforceRecord } from '../query-pages';
import type { RunContext } from './run-context';
import { sortOutcomes } from './store-records';

export type ActivityObject = 'Task' | 'Event';

/** Maps activity rows; non-signals and rejections are returned as `notStored` (counted and reported). */
export function mapActivities(
  ctx: RunContext,
  object: ActivityObject,
  rows: readonly SalesforceRecord[],
): { records: Activity[]; notStored: string[] } {
  const outcomes = rows.map(object === 'Task' ? mapTask : mapEvent);
  const counts = ctx.report.activities;
  for (const outcome of outcomes)
    if (outcome.kind === 'record') counts[outcome.record.kind]++;
    else counts.other++;
  return sortOutcomes(ctx, object, outcomes);
}

/** An incremental run's activity changes, applied at its end (RecordChange `activities`). */
export class ActivityChanges {
  private readonly upserts = new Map<string, Activity>();
  private readonly removals = new Set<string>();

  add(mapped: { records: readonly Activity[]; notStored: readonly string[] }): void {
    for (const record of mapped.records) {
      this.upserts.set(record.id, record);
      this.removals.delete(record.id);
    }
    this.remove(mapped.notStored);
  }

  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      this.removals.add(id);
      this.upserts.delete(id);
    }
  }

  /**
   * Applies the changes and has the store recount the engagement of the customers concerned and of
   * `recount`; activities of `gone` customers (deleted this run) are not stored again.
   */
  async apply(ctx: RunContext, recount: Iterable<string>, gone: ReadonlySet<string>): Promise<void> {
    const upsert = [...this.upserts.values()].filter((a) => !gone.has(a.customerId));
    const removed = await ctx.options.sink.apply({
      kind: 'activities',
      upsert,
      remove: this.removals,
      recount,
    });
    for (const activity of upsert) ctx.storedIds.activity.add(activity.id);
    ctx.report.written.activity += upsert.length;
    ctx.report.removed.activity += removed.activity ?? 0;
  }
}
