import type { HubSpotObject } from '../hubspot-object';
import type { SyncedObjectType } from './object-api';
import type { RunContext } from './run-context';
import { cursorName, encodeCursor, modifiedAt, newestOf, type StoredCursor } from './sync-cursor';

/** Stores a type's cursor after a run read `objects` of it (nothing when there is still no time to store). */
export async function saveCursor(
  ctx: RunContext,
  type: SyncedObjectType,
  objects: readonly HubSpotObject[],
  previous: StoredCursor | undefined,
): Promise<void> {
  const next = newestOf(
    objects.map((o) => ({ id: o.id, modified: modifiedAt(type, o) })),
    previous,
  );
  await storeCursor(ctx, type, next);
}

/** Stores a type's cursor; nothing when there is none (no object of the type had a modification time). */
export async function storeCursor(
  ctx: RunContext,
  type: SyncedObjectType,
  cursor: StoredCursor | undefined,
): Promise<void> {
  if (cursor === undefined) return;
  ctx.summary.cursors[type] = cursor.since;
  await ctx.options.sink.apply({ kind: 'cursor', name: cursorName(type), value: encodeCursor(cursor) });
}
