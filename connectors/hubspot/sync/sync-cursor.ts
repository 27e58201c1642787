/**
 * The stored incremental-sync cursor per object type: the newest modification time seen (epoch ms) and the
 * ids modified at exactly that millisecond. The search filter is GTE (NOTES §4.1), so those ids come back on
 * the next run; they are dropped unless their modification time moved, so an unchanged portal reads nothing.
 */
import type { HubSpotObject } from '../hubspot-object';
import { lastModifiedProperty } from '../incremental-search';
import type { SyncedObjectType } from './object-api';

export type StoredCursor = { since: number; idsAtSince: string[] };

/** The name a type's cursor is stored under. */
export const cursorName = (type: SyncedObjectType): string => `hubspot:${type}`;

export function encodeCursor(cursor: StoredCursor): string {
  return JSON.stringify(cursor);
}

/** A stored cursor; a bare number (epoch ms) is accepted too. Undefined when absent or unreadable. */
export function decodeCursor(raw: string | undefined): StoredCursor | undefined {
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw)) return { since: Number(raw), idsAtSince: [] };
  try {
    const parsed = JSON.parse(raw) as Partial<StoredCursor>;
    if (typeof parsed.since !== 'number' || !Number.isFinite(parsed.since)) return undefined;
    const ids = Array.isArray(parsed.idsAtSince) ? parsed.idsAtSince.map(String) : [];
    return { since: parsed.since, idsAtSince: ids };
  } catch {
    return undefined;
  }
}

/** The cursor after seeing `objects`: the newest time among them and `previous`, with the ids at it. */
export function newestOf(
  objects: readonly { id: string; modified: number | undefined }[],
  previous: StoredCursor | undefined,
): StoredCursor | undefined {
  let since = previous?.since;
  let ids = new Set(previous?.idsAtSince ?? []);
  for (const { id, modified } of objects) {
    if (modified === undefined) continue;
    if (since === undefined || modified > since) {
      since = modified;
      ids = new Set([id]);
    } else if (modified === since) ids.add(id);
  }
  return since === undefined ? undefined : { since, idsAtSince: [...ids].sort() };
}

/** Epoch ms of an object's last modification: the type's last-modified property, else updatedAt. */
export function modifiedAt(type: SyncedObjectType, object: HubSpotObject): number | undefined {
  const raw = object.properties?.[lastModifiedProperty(type)];
  if (raw !== undefined && raw !== null && raw !== '') {
    const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
    if (Number.isFinite(t)) return t;
  }
  const updated = object.updatedAt;
  if (updated === undefined) return undefined;
  const t = updated instanceof Date ? updated.getTime() : Date.parse(updated);
  return Number.isFinite(t) ? t : undefined;
}
