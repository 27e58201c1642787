import type { RecordType } from '../../../domain/records';
import type { RemovedCounts } from '../../crm-adapter';
import { listObjects } from './hubspot-reads';
import { STORED_AS, type RunContext } from './run-context';

/**
 * The removals of an incremental run, after its writes: the stored orders of deals read this run that are not
 * orders (lost, open, or rejected), then whatever HubSpot has archived.
 */
export async function removeStaleRecords(ctx: RunContext): Promise<void> {
  await remove(ctx, 'order', ctx.writes.notOrders);
  await removeArchived(ctx);
}

/**
 * Search never returns archived objects (NOTES §4.1), so an incremental run lists them (`archived=true`)
 * and drops any it holds. HubSpot keeps archived objects restorable for a limited time, so the list stays
 * short. Archived line items are not handled here: their deal's lines are refreshed when the deal changes.
 */
async function removeArchived(ctx: RunContext): Promise<void> {
  const archivedContacts = await listObjects(ctx.reads, 'contacts', true);
  if (archivedContacts.length > 0) {
    // A deleted contact (often a GDPR deletion) takes the records attributed to it along.
    const removed = await ctx.options.sink.apply({
      kind: 'remove',
      type: 'customer',
      ids: archivedContacts.map((c) => c.id),
      withDependents: true,
    });
    countRemoved(ctx, removed);
  }
  for (const [type, recordType] of [
    ['deals', 'order'],
    ['products', 'product'],
    ['tickets', 'serviceCase'],
  ] as const) {
    const archived = await listObjects(ctx.reads, type, true);
    const ids = archived.map((o) => o.id);
    await remove(ctx, recordType, ids);
    if (type === 'deals' && ids.length > 0) {
      const removed = await ctx.options.sink.apply({ kind: 'remove', type: 'deal', ids });
      ctx.summary.dealRecords.removed += removed.deal ?? 0;
    }
  }
}

async function remove(ctx: RunContext, recordType: RecordType, ids: Iterable<string>): Promise<void> {
  countRemoved(ctx, await ctx.options.sink.apply({ kind: 'remove', type: recordType, ids }));
}

function countRemoved(ctx: RunContext, removed: RemovedCounts): void {
  for (const [type, recordType] of STORED_AS) ctx.summary.removed[type] += removed[recordType] ?? 0;
}
