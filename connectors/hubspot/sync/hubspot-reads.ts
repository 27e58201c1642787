/**
 * The read primitives of a sync over one HubSpot connection. Every API call goes through callWithRetry with
 * the connection's limiters (search calls take the search limiter, NOTES §4.6) and is counted in the run's
 * summary (`apiCalls`, retries included; `rateLimitWaits`); progress is reported per phase.
 */
import { callWithRetry, type RetryEvent } from '../call-with-retry';
import { indexStages, type StageIndex } from '../deal-stages';
import type { HubSpotObject, HubSpotOwner, HubSpotPipeline } from '../hubspot-object';
import { incrementalSearchRequest, nextSyncCursor, type SyncCursor } from '../incremental-search';
import { PROPERTIES_TO_READ } from '../read-properties';
import { objectApi, type ObjectPage, type SyncedObjectType } from './object-api';
import type { ReadContext, SyncProgress } from './run-context';
import { modifiedAt, type StoredCursor } from './sync-cursor';

/** v4 batch association read takes up to 1,000 inputs (NOTES §4.2); batch object reads up to 100. */
export const ASSOCIATION_BATCH = 1000;
const OBJECT_BATCH = 100;
const LIST_LIMIT = 100;

export async function listOwners(reads: ReadContext): Promise<HubSpotOwner[]> {
  const owners: HubSpotOwner[] = [];
  let after: string | undefined;
  do {
    const page = await call(reads, () =>
      reads.connection.client.crm.owners.ownersApi.getPage(undefined, after, LIST_LIMIT, false),
    );
    owners.push(...page.results);
    after = page.paging?.next?.after;
    progress(reads, 'owners', owners.length);
  } while (after !== undefined);
  return owners;
}

export async function readPipelines(reads: ReadContext): Promise<{ deals: StageIndex; tickets: StageIndex }> {
  const api = reads.connection.client.crm.pipelines.pipelinesApi;
  const deals = await call(reads, () => api.getAll('deals'));
  const tickets = await call(reads, () => api.getAll('tickets'));
  progress(reads, 'pipelines', deals.results.length + tickets.results.length);
  return {
    deals: indexStages(deals.results as HubSpotPipeline[]),
    tickets: indexStages(tickets.results as HubSpotPipeline[]),
  };
}

/** Every object of a type, paged; archived ones only (ids and timestamps are enough) with `archived`. */
export async function listObjects(
  reads: ReadContext,
  type: SyncedObjectType,
  archived = false,
): Promise<HubSpotObject[]> {
  const all: HubSpotObject[] = [];
  await eachPage(
    reads,
    type,
    (page) => {
      all.push(...page);
    },
    archived,
  );
  return all;
}

/**
 * Every object of a type, handed over one page at a time and awaited before the next is read, so a caller
 * that stores each page holds one page, not the portal. Returns how many objects were read.
 */
export async function eachPage(
  reads: ReadContext,
  type: SyncedObjectType,
  onPage: (objects: HubSpotObject[]) => Promise<void> | void,
  archived = false,
): Promise<number> {
  const api = objectApi(reads.connection.client, type);
  const properties = archived ? ['hs_object_id'] : [...PROPERTIES_TO_READ[type]];
  let read = 0;
  let after: string | undefined;
  do {
    const page = await call(reads, () =>
      archived
        ? api.basicApi.getPage(LIST_LIMIT, after, properties, undefined, undefined, true)
        : api.basicApi.getPage(LIST_LIMIT, after, properties),
    );
    read += page.results.length;
    after = page.paging?.next?.after;
    progress(reads, type, read);
    await onPage(page.results);
  } while (after !== undefined);
  return read;
}

export async function batchRead(
  reads: ReadContext,
  type: SyncedObjectType,
  ids: readonly string[],
): Promise<HubSpotObject[]> {
  const api = objectApi(reads.connection.client, type);
  const out: HubSpotObject[] = [];
  for (let i = 0; i < ids.length; i += OBJECT_BATCH) {
    const inputs = ids.slice(i, i + OBJECT_BATCH).map((id) => ({ id }));
    const response = await call(reads, () =>
      api.batchApi.read({ inputs, properties: [...PROPERTIES_TO_READ[type]], propertiesWithHistory: [] }),
    );
    out.push(...response.results);
  }
  return out;
}

/** v4 batch association read: from id → associated ids, in the order HubSpot returns them. */
export async function associations(
  reads: ReadContext,
  from: SyncedObjectType,
  to: SyncedObjectType,
  ids: readonly string[],
): Promise<Map<string, string[]>> {
  const api = reads.connection.client.crm.associations.v4.batchApi;
  const out = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += ASSOCIATION_BATCH) {
    const inputs = ids.slice(i, i + ASSOCIATION_BATCH).map((id) => ({ id }));
    const response = await call(reads, () => api.getPage(from, to, { inputs }), 'associations');
    for (const result of response.results) {
      const list = out.get(result._from.id) ?? [];
      list.push(...result.to.map((edge) => String(edge.toObjectId)));
      out.set(result._from.id, list);
    }
    progress(reads, 'associations', out.size);
  }
  return out;
}

/** Objects of a type modified since the stored cursor, by search (which never returns archived ones). */
export async function searchChanged(
  reads: ReadContext,
  type: SyncedObjectType,
  stored: StoredCursor,
): Promise<HubSpotObject[]> {
  const api = objectApi(reads.connection.client, type);
  const seen = new Set(stored.idsAtSince);
  const byId = new Map<string, HubSpotObject>();
  let cursor: SyncCursor | undefined = { since: stored.since };
  while (cursor !== undefined) {
    const request = incrementalSearchRequest(type, cursor, PROPERTIES_TO_READ[type]);
    const page: ObjectPage = await call(reads, () => api.searchApi.doSearch(request), 'search');
    for (const object of page.results) {
      const modified = modifiedAt(type, object);
      // Objects already synced at the cursor's millisecond come back (GTE); they did not change.
      if (modified === stored.since && seen.has(object.id)) continue;
      byId.set(object.id, object);
    }
    cursor = nextSyncCursor(type, cursor, {
      results: page.results.map((r) => ({ id: r.id, properties: r.properties })),
      paging: page.paging,
    });
    progress(reads, type, byId.size);
  }
  return [...byId.values()];
}

export async function call<T>(
  reads: ReadContext,
  request: () => Promise<T>,
  kind: 'general' | 'search' | 'associations' = 'general',
): Promise<T> {
  const { limiters, clock } = reads.connection;
  return callWithRetry(
    () => {
      reads.summary.apiCalls++;
      return request();
    },
    kind === 'associations' ? [limiters.general, limiters.associations] : limiters[kind],
    clock,
    reads.retry,
    (event: RetryEvent) => {
      if (event.reason.startsWith('429')) reads.summary.rateLimitWaits++;
    },
  );
}

export function progress(reads: ReadContext, phase: SyncProgress['phase'], read: number): void {
  reads.onProgress?.({ phase, read });
}
