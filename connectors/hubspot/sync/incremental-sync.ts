import type { HubSpotObject } from '../hubspot-object';
import { associations, batchRead, listObjects, readPipelines, searchChanged } from './hubspot-reads';
import { SYNCED_OBJECT_TYPES, type SyncedObjectType } from './object-api';
import { removeStaleRecords } from './removals';
import { syncCampaigns } from './campaigns';
import type { RunContext } from './run-context';
import { saveCursor } from './save-cursor';
import { cursorName, decodeCursor, type StoredCursor } from './sync-cursor';
import { writeObjects } from './write-objects';

/**
 * An incremental read: each type searched since its stored cursor (listed whole when it has none yet), the
 * deals of changed line items re-read, then the removals, the campaigns (read whole), then the new cursors.
 */
export async function incrementalSync(ctx: RunContext): Promise<void> {
  const { summary } = ctx;
  const objects: Partial<Record<SyncedObjectType, HubSpotObject[]>> = {};
  const previous: Partial<Record<SyncedObjectType, StoredCursor>> = {};
  for (const type of SYNCED_OBJECT_TYPES) {
    const stored = decodeCursor(await ctx.options.sink.cursor(cursorName(type)));
    previous[type] = stored;
    objects[type] =
      stored === undefined
        ? await listObjects(ctx.reads, type)
        : await searchChanged(ctx.reads, type, stored);
    summary.read[type] = objects[type].length;
  }

  // A changed line item changes its deal's order lines: re-read those deals too.
  const changedDealIds = new Set((objects.deals ?? []).map((d) => d.id));
  const lineItemIds = (objects.line_items ?? []).map((l) => l.id);
  if (lineItemIds.length > 0) {
    const lineDeals = await associations(ctx.reads, 'line_items', 'deals', lineItemIds);
    const extra = [...new Set([...lineDeals.values()].flat())].filter((id) => !changedDealIds.has(id));
    const reread = await batchRead(ctx.reads, 'deals', extra);
    objects.deals = [...(objects.deals ?? []), ...reread];
    summary.read.deals = objects.deals.length;
  }

  const needsPipelines = (objects.deals ?? []).length > 0 || (objects.tickets ?? []).length > 0;
  const stages = needsPipelines ? await readPipelines(ctx.reads) : undefined;
  await writeObjects(ctx, objects, stages?.deals, stages?.tickets);
  await removeStaleRecords(ctx);
  await syncCampaigns(ctx);
  for (const type of SYNCED_OBJECT_TYPES) await saveCursor(ctx, type, objects[type] ?? [], previous[type]);
}
