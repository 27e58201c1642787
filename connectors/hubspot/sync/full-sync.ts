import type { HubSpotObject } from '../hubspot-object';
import { mapOwner } from '../map-owner';
import { listObjects, listOwners, readPipelines } from './hubspot-reads';
import { SYNCED_OBJECT_TYPES, type SyncedObjectType } from './object-api';
import { STORED_AS, type RunContext } from './run-context';
import { saveCursor } from './save-cursor';
import { write, writeObjects } from './write-objects';

/**
 * A full read: owners, pipelines and every object of each type; then every stored record the read did not
 * return is dropped (`retain-only` per type), and the cursors are stored for the next incremental run.
 */
export async function fullSync(ctx: RunContext): Promise<void> {
  const { summary } = ctx;
  const owners = await listOwners(ctx.reads);
  summary.read.owners = owners.length;
  await write(ctx, 'owners', 'rep', owners.map(mapOwner));
  const { deals: dealStages, tickets: ticketStages } = await readPipelines(ctx.reads);

  const objects: Partial<Record<SyncedObjectType, HubSpotObject[]>> = {};
  for (const type of SYNCED_OBJECT_TYPES) {
    objects[type] = await listObjects(ctx.reads, type);
    summary.read[type] = objects[type].length;
  }
  await writeObjects(ctx, objects, dealStages, ticketStages);
  // What a full read did not return is gone from HubSpot (archived, merged away): drop it here too.
  for (const [type, recordType] of STORED_AS) {
    const removed = await ctx.options.sink.apply({
      kind: 'retain-only',
      type: recordType,
      keep: ctx.writes.storedIds[type],
    });
    summary.removed[type] += removed[recordType] ?? 0;
  }
  for (const type of SYNCED_OBJECT_TYPES) await saveCursor(ctx, type, objects[type] ?? [], undefined);
}
