/**
 * The stored incremental cursor per object: the newest SystemModstamp seen (ISO) and the ids seen at exactly
 * that instant. SystemModstamp has whole seconds, so a record saved later in the same second as the cursor
 * would be missed by `SystemModstamp > cursor`; the next read asks `>=` instead and drops the rows it already
 * had at the cursor's instant unless they moved (as the HubSpot cursor does, connectors/hubspot/sync/sync-cursor.ts).
 */
export type StoredCursor = { since: string; idsAtSince: string[] };

export function encodeCursor(cursor: StoredCursor): string {
  return JSON.stringify({ since: cursor.since, idsAtSince: [...cursor.idsAtSince].sort() });
}

/** A stored cursor; a bare ISO datetime (what earlier versions stored) is accepted too. */
export function decodeCursor(raw: string | undefined): StoredCursor | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as Partial<StoredCursor>;
      if (typeof parsed.since !== 'string' || Number.isNaN(Date.parse(parsed.since))) return undefined;
      const ids = Array.isArray(parsed.idsAtSince) ? parsed.idsAtSince.map(String) : [];
      return { since: new Date(parsed.since).toISOString(), idsAtSince: ids };
    } catch {
      return undefined;
    }
  }
  return Number.isNaN(Date.parse(trimmed))
    ? undefined
    : { since: new Date(trimmed).toISOString(), idsAtSince: [] };
}

/** Newest instant and the ids at it, grown by one more row. */
export type CursorState = { since: string; ids: Set<string> };

export function advance(state: CursorState | undefined, id: string, at: string): CursorState {
  if (state === undefined || at > state.since) return { since: at, ids: new Set([id]) };
  if (at === state.since) state.ids.add(id);
  return state;
}
