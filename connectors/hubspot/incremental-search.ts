/**
 * Search requests for incremental sync: everything modified at or after a cursor, oldest first, 200 per
 * page (NOTES §4.1, Search). Contacts use `lastmodifieddate`, every other object `hs_lastmodifieddate`
 * (NOTES §4.1: "incremental sync filters must use the right one").
 */

export type SearchableObjectType = 'contacts' | 'deals' | 'line_items' | 'products' | 'tickets' | 'companies';

/** Search page size maximum (NOTES §4.1: "Default page 10, max 200"). */
export const SEARCH_PAGE_LIMIT = 200;
/** "Attempting to page beyond 10,000 will result in a 400 error" (NOTES §4.1). */
export const SEARCH_RESULT_CAP = 10_000;
/** Request bodies over 3,000 characters are rejected (NOTES §4.1). */
export const SEARCH_BODY_MAX_CHARS = 3_000;

export type SearchRequest = {
  filterGroups: { filters: { propertyName: string; operator: 'GTE'; value: string }[] }[];
  sorts: { propertyName: string; direction: 'ASCENDING' }[];
  properties: string[];
  limit: number;
  after?: string;
};

export type SyncCursor = {
  /** Epoch ms: fetch objects modified at or after this time. */
  since: number;
  /** Paging cursor within the current query, when resuming mid-query. */
  after?: string;
};

export class SearchRequestError extends Error {
  readonly code = 'HUBSPOT_SEARCH_REQUEST';
  constructor(message: string) {
    super(message);
    this.name = 'SearchRequestError';
  }
}

export function lastModifiedProperty(objectType: SearchableObjectType): string {
  return objectType === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

/** The search body for one page; throws SearchRequestError when it would exceed HubSpot's body limit. */
export function incrementalSearchRequest(
  objectType: SearchableObjectType,
  cursor: SyncCursor,
  properties: readonly string[],
): SearchRequest {
  const propertyName = lastModifiedProperty(objectType);
  const request: SearchRequest = {
    filterGroups: [{ filters: [{ propertyName, operator: 'GTE', value: String(cursor.since) }] }],
    sorts: [{ propertyName, direction: 'ASCENDING' }],
    properties: [...new Set([...properties, propertyName])],
    limit: SEARCH_PAGE_LIMIT,
    ...(cursor.after === undefined ? {} : { after: cursor.after }),
  };
  const size = JSON.stringify(request).length;
  if (size > SEARCH_BODY_MAX_CHARS)
    throw new SearchRequestError(
      `the ${objectType} search body is ${size} characters, over HubSpot's ${SEARCH_BODY_MAX_CHARS}; ` +
        'request fewer properties and read the rest with a batch read by id.',
    );
  return request;
}

export type SearchPage = {
  results: readonly { id: string; properties: Record<string, string | null | undefined> }[];
  paging?: { next?: { after?: string } };
};

/**
 * Cursor for the next page, or undefined when the query is exhausted. Near the 10,000-result cap the query
 * restarts from the last modification time seen (GTE, so objects sharing that millisecond are read again:
 * callers dedupe by id), because paging past 10,000 is a 400.
 */
export function nextSyncCursor(
  objectType: SearchableObjectType,
  cursor: SyncCursor,
  page: SearchPage,
): SyncCursor | undefined {
  const after = page.paging?.next?.after;
  if (after === undefined) return undefined;
  if (Number(after) + SEARCH_PAGE_LIMIT <= SEARCH_RESULT_CAP) return { since: cursor.since, after };
  const last = page.results[page.results.length - 1];
  const raw = last?.properties[lastModifiedProperty(objectType)];
  const since =
    raw === undefined || raw === null ? Number.NaN : /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(since) || since <= cursor.since)
    // Over 10,000 objects share one modification time: the cap cannot be stepped over by time.
    throw new SearchRequestError(
      `more than ${SEARCH_RESULT_CAP} ${objectType} were modified at ${new Date(cursor.since).toISOString()}; ` +
        'run a full sync (list endpoint) instead of an incremental one.',
    );
  return { since };
}

/** The newest modification time in a page (epoch ms), to store as the next sync's cursor. */
export function newestModification(objectType: SearchableObjectType, page: SearchPage): number | undefined {
  let newest: number | undefined;
  for (const result of page.results) {
    const raw = result.properties[lastModifiedProperty(objectType)];
    if (raw === undefined || raw === null || raw === '') continue;
    const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
    if (Number.isFinite(t) && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}
