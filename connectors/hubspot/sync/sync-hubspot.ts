/**
 * Full and incremental HubSpot reads into a RecordSink (the CrmAdapter read side). Every API call goes through
 * callWithRetry with the connection's limiters (search calls take the search limiter, NOTES §4.6); every
 * object is mapped with the mappers and validated by the canonical schemas; a bad object is reported in
 * `skipped` with its id and reason and never stops the sync.
 *
 * @example
 * const summary = await syncHubSpot({ connection, sink, tenant: 'hubspot-1000', mode: 'full' });
 */
import type {
  Customer,
  Order,
  OrderLine,
  Product,
  RecordType,
  Rep,
  ServiceCase,
} from '../../../domain/records';
import type { RecordSink, RemovedCounts } from '../../crm-adapter';
import { callWithRetry, type RetryEvent } from '../call-with-retry';
import type { HubSpotConnection } from '../create-client';
import { indexStages, type StageIndex } from '../deal-stages';
import type { HubSpotObject, HubSpotOwner, HubSpotPipeline } from '../hubspot-object';
import {
  incrementalSearchRequest,
  lastModifiedProperty,
  nextSyncCursor,
  type SyncCursor,
} from '../incremental-search';
import { mapContact } from '../map-contact';
import { dealOutcome, mapDeal } from '../map-deal';
import { mapLineItem } from '../map-line-item';
import type { MapOutcome } from '../map-outcome';
import { mapOwner } from '../map-owner';
import { mapProduct } from '../map-product';
import { mapTicket } from '../map-ticket';
import { PROPERTIES_TO_READ } from '../read-properties';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from '../retry-policy';
import { objectApi, SYNCED_OBJECT_TYPES, type ObjectPage, type SyncedObjectType } from './object-api';
import { decodeCursor, encodeCursor, newestOf, type StoredCursor } from './sync-cursor';

export type SyncedType = SyncedObjectType | 'owners';
export type SkippedRecord = { id: string; reason: string };

export type SyncProgress = { phase: SyncedType | 'pipelines' | 'associations' | 'store'; read: number };

export type SyncOptions = {
  connection: HubSpotConnection;
  sink: RecordSink;
  tenant: string;
  mode: 'full' | 'incremental';
  onProgress?: (progress: SyncProgress) => void;
  /** Currency of deals without deal_currency_code (the portal's company currency). */
  defaultCurrency?: string;
  retry?: Partial<RetryOptions>;
};

export type SyncSummary = {
  mode: 'full' | 'incremental';
  /**
   * HubSpot objects read per type (after dropping ones already synced at the cursor's millisecond); in an
   * incremental run, deals include those re-read because one of their line items changed. Owners are read by
   * full syncs only (they have no modification search).
   */
  read: Record<SyncedType, number>;
  /** Canonical records written to the store per HubSpot type. */
  written: Record<SyncedType, number>;
  /**
   * Stored records removed per HubSpot type: archived in HubSpot, or (deals) no longer won; a full sync also
   * removes whatever it did not read. An archived contact takes its orders and service cases with it.
   */
  removed: Record<SyncedType, number>;
  /** Objects rejected by a mapper or the canonical schema, with id and reason. */
  skipped: Record<SyncedType, SkippedRecord[]>;
  /** Deals read by stage outcome; only won deals become orders (DESIGN). */
  deals: { won: number; refunded: number; lost: number; open: number; unknownStage: number };
  /** Warnings for optional values that were dropped (the record itself was kept). */
  warnings: { type: SyncedType; id: string; warning: string }[];
  /** HTTP requests made, retries included. */
  apiCalls: number;
  /** 429 answers waited out. */
  rateLimitWaits: number;
  /** Cursors stored per object type: epoch ms of the newest modification seen. */
  cursors: Partial<Record<SyncedObjectType, number>>;
};

/** v4 batch association read takes up to 1,000 inputs (NOTES §4.2); batch object reads up to 100. */
const ASSOCIATION_BATCH = 1000;
const OBJECT_BATCH = 100;
const LIST_LIMIT = 100;

/** How each synced HubSpot type is stored (line items live inside their orders). */
const STORED_AS = [
  ['owners', 'rep'],
  ['products', 'product'],
  ['contacts', 'customer'],
  ['deals', 'order'],
  ['tickets', 'serviceCase'],
] as const satisfies readonly (readonly [SyncedType, RecordType])[];

export const cursorName = (type: SyncedObjectType): string => `hubspot:${type}`;

export async function syncHubSpot(options: SyncOptions): Promise<SyncSummary> {
  return new HubSpotSync(options).run();
}

type Counts<T> = Record<SyncedType, T>;
function perType<T>(make: () => T): Counts<T> {
  return {
    owners: make(),
    products: make(),
    contacts: make(),
    deals: make(),
    line_items: make(),
    tickets: make(),
  };
}

class HubSpotSync {
  private readonly summary: SyncSummary;
  private readonly retry: RetryOptions;
  /** Ids of the records this run stored, per HubSpot type (a full sync removes every other stored one). */
  private readonly storedIds: Counts<Set<string>> = perType(() => new Set<string>());
  /** Deals read this run that are not orders (lost, open, or rejected): a stored order of theirs is stale. */
  private readonly notOrders = new Set<string>();

  constructor(private readonly options: SyncOptions) {
    this.summary = {
      mode: options.mode,
      read: perType(() => 0),
      written: perType(() => 0),
      removed: perType(() => 0),
      skipped: perType<SkippedRecord[]>(() => []),
      deals: { won: 0, refunded: 0, lost: 0, open: 0, unknownStage: 0 },
      warnings: [],
      apiCalls: 0,
      rateLimitWaits: 0,
      cursors: {},
    };
    this.retry = { ...DEFAULT_RETRY_OPTIONS, random: Math.random, ...options.retry };
  }

  async run(): Promise<SyncSummary> {
    if (this.options.mode === 'full') await this.full();
    else await this.incremental();
    return this.summary;
  }

  // ---- full ----

  private async full(): Promise<void> {
    const owners = await this.listOwners();
    await this.write('owners', 'rep', owners.map(mapOwner));
    const { deals: dealStages, tickets: ticketStages } = await this.readPipelines();

    const objects: Partial<Record<SyncedObjectType, HubSpotObject[]>> = {};
    for (const type of SYNCED_OBJECT_TYPES) {
      objects[type] = await this.listObjects(type);
      this.summary.read[type] = objects[type].length;
    }
    await this.writeObjects(objects, dealStages, ticketStages);
    // What a full read did not return is gone from HubSpot (archived, merged away): drop it here too.
    for (const [type, recordType] of STORED_AS) {
      const removed = await this.options.sink.apply({
        kind: 'retain-only',
        type: recordType,
        keep: this.storedIds[type],
      });
      this.summary.removed[type] += removed[recordType] ?? 0;
    }
    for (const type of SYNCED_OBJECT_TYPES) await this.saveCursor(type, objects[type] ?? [], undefined);
  }

  // ---- incremental ----

  private async incremental(): Promise<void> {
    const objects: Partial<Record<SyncedObjectType, HubSpotObject[]>> = {};
    const previous: Partial<Record<SyncedObjectType, StoredCursor>> = {};
    for (const type of SYNCED_OBJECT_TYPES) {
      const stored = decodeCursor(await this.options.sink.cursor(cursorName(type)));
      previous[type] = stored;
      objects[type] =
        stored === undefined ? await this.listObjects(type) : await this.searchChanged(type, stored);
      this.summary.read[type] = objects[type].length;
    }

    // A changed line item changes its deal's order lines: re-read those deals too.
    const changedDealIds = new Set((objects.deals ?? []).map((d) => d.id));
    const lineItemIds = (objects.line_items ?? []).map((l) => l.id);
    if (lineItemIds.length > 0) {
      const lineDeals = await this.associations('line_items', 'deals', lineItemIds);
      const extra = [...new Set([...lineDeals.values()].flat())].filter((id) => !changedDealIds.has(id));
      const reread = await this.batchRead('deals', extra);
      objects.deals = [...(objects.deals ?? []), ...reread];
      this.summary.read.deals = objects.deals.length;
    }

    const needsPipelines = (objects.deals ?? []).length > 0 || (objects.tickets ?? []).length > 0;
    const stages = needsPipelines ? await this.readPipelines() : undefined;
    await this.writeObjects(objects, stages?.deals, stages?.tickets);
    await this.remove('order', this.notOrders);
    await this.removeArchived();
    for (const type of SYNCED_OBJECT_TYPES) await this.saveCursor(type, objects[type] ?? [], previous[type]);
  }

  /**
   * Search never returns archived objects (NOTES §4.1), so an incremental run lists them (`archived=true`)
   * and drops any it holds. HubSpot keeps archived objects restorable for a limited time, so the list stays
   * short. Archived line items are not handled here: their deal's lines are refreshed when the deal changes.
   */
  private async removeArchived(): Promise<void> {
    const archivedContacts = await this.listObjects('contacts', true);
    if (archivedContacts.length > 0) {
      // A deleted contact (often a GDPR deletion) takes the records attributed to it along.
      const removed = await this.options.sink.apply({
        kind: 'remove',
        type: 'customer',
        ids: archivedContacts.map((c) => c.id),
        withDependents: true,
      });
      this.countRemoved(removed);
    }
    for (const [type, recordType] of [
      ['deals', 'order'],
      ['products', 'product'],
      ['tickets', 'serviceCase'],
    ] as const) {
      const archived = await this.listObjects(type, true);
      await this.remove(
        recordType,
        archived.map((o) => o.id),
      );
    }
  }

  private async remove(recordType: RecordType, ids: Iterable<string>): Promise<void> {
    this.countRemoved(await this.options.sink.apply({ kind: 'remove', type: recordType, ids }));
  }

  private countRemoved(removed: RemovedCounts): void {
    for (const [type, recordType] of STORED_AS) this.summary.removed[type] += removed[recordType] ?? 0;
  }

  private async searchChanged(type: SyncedObjectType, stored: StoredCursor): Promise<HubSpotObject[]> {
    const api = objectApi(this.options.connection.client, type);
    const seen = new Set(stored.idsAtSince);
    const byId = new Map<string, HubSpotObject>();
    let cursor: SyncCursor | undefined = { since: stored.since };
    while (cursor !== undefined) {
      const request = incrementalSearchRequest(type, cursor, PROPERTIES_TO_READ[type]);
      const page: ObjectPage = await this.call(() => api.searchApi.doSearch(request), 'search');
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
      this.progress(type, byId.size);
    }
    return [...byId.values()];
  }

  // ---- mapping and writing ----

  private async writeObjects(
    objects: Partial<Record<SyncedObjectType, HubSpotObject[]>>,
    dealStages: StageIndex | undefined,
    ticketStages: StageIndex | undefined,
  ): Promise<void> {
    const tenant = this.options.tenant;
    await this.write('products', 'product', (objects.products ?? []).map(mapProduct));
    await this.write(
      'contacts',
      'customer',
      (objects.contacts ?? []).map((c) => mapContact(c, { tenant })),
    );
    await this.writeDeals(objects.deals ?? [], objects.line_items ?? [], dealStages ?? indexStages([]));
    const tickets = objects.tickets ?? [];
    const ticketContacts = await this.associations(
      'tickets',
      'contacts',
      tickets.map((t) => t.id),
    );
    await this.write(
      'tickets',
      'serviceCase',
      tickets.map((t) => mapTicket(t, { contactIds: ticketContacts.get(t.id) ?? [], stages: ticketStages })),
    );
  }

  /** Won deals become orders with their line items' lines (deal→contact and deal→line item, v4 batch). */
  private async writeDeals(
    deals: HubSpotObject[],
    knownLines: HubSpotObject[],
    stages: StageIndex,
  ): Promise<void> {
    const won: HubSpotObject[] = [];
    for (const deal of deals) {
      const outcome = dealOutcome(deal, stages);
      if (outcome === undefined) this.summary.deals.unknownStage++;
      else this.summary.deals[outcome]++;
      // Unknown stages go to mapDeal, which rejects them with the reason.
      if (outcome === 'won' || outcome === 'refunded' || outcome === undefined) won.push(deal);
      else this.notOrders.add(deal.id);
    }
    const ids = won.map((d) => d.id);
    const contacts = await this.associations('deals', 'contacts', ids);
    const lineIds = await this.associations('deals', 'line_items', ids);

    const lineItems = new Map(knownLines.map((l) => [l.id, l]));
    const missing = [...new Set([...lineIds.values()].flat())].filter((id) => !lineItems.has(id));
    for (const item of await this.batchRead('line_items', missing)) lineItems.set(item.id, item);

    const lines = new Map<string, OrderLine>();
    for (const item of lineItems.values()) {
      const outcome = mapLineItem(item);
      if (outcome.kind === 'line') lines.set(item.id, outcome.line);
      else this.summary.skipped.line_items.push({ id: outcome.id, reason: outcome.reason });
    }
    const outcomes: MapOutcome<'order'>[] = won.map((deal) => {
      const dealLines = (lineIds.get(deal.id) ?? [])
        .map((id) => lines.get(id))
        .filter((l): l is OrderLine => l !== undefined);
      return mapDeal(deal, {
        stages,
        contactIds: contacts.get(deal.id) ?? [],
        lines: dealLines,
        defaultCurrency: this.options.defaultCurrency,
      });
    });
    for (const outcome of outcomes) if (outcome.kind === 'rejected') this.notOrders.add(outcome.rejection.id);
    await this.write('deals', 'order', outcomes);
  }

  private async write<T extends 'customer' | 'order' | 'product' | 'rep' | 'serviceCase'>(
    type: SyncedType,
    recordType: T,
    outcomes: MapOutcome<T>[],
  ): Promise<void> {
    const records: RecordFor<T>[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === 'record') {
        records.push(outcome.record as RecordFor<T>);
        for (const warning of outcome.warnings)
          this.summary.warnings.push({ type, id: outcome.record.id, warning });
      } else if (outcome.kind === 'rejected') {
        this.summary.skipped[type].push({ id: outcome.rejection.id, reason: outcome.rejection.reason });
      } else if (type !== 'deals') {
        // Open and lost deals are counted in `deals`, not reported as skipped.
        this.summary.skipped[type].push({ id: outcome.id, reason: outcome.reason });
      }
    }
    await this.options.sink.apply({ kind: 'upsert', type: recordType, records });
    for (const record of records) this.storedIds[type].add(record.id);
    this.summary.written[type] += records.length;
    this.progress('store', records.length);
  }

  // ---- reads ----

  private async listOwners(): Promise<HubSpotOwner[]> {
    const owners: HubSpotOwner[] = [];
    let after: string | undefined;
    do {
      const page = await this.call(() =>
        this.options.connection.client.crm.owners.ownersApi.getPage(undefined, after, LIST_LIMIT, false),
      );
      owners.push(...page.results);
      after = page.paging?.next?.after;
      this.progress('owners', owners.length);
    } while (after !== undefined);
    this.summary.read.owners = owners.length;
    return owners;
  }

  private async readPipelines(): Promise<{ deals: StageIndex; tickets: StageIndex }> {
    const api = this.options.connection.client.crm.pipelines.pipelinesApi;
    const deals = await this.call(() => api.getAll('deals'));
    const tickets = await this.call(() => api.getAll('tickets'));
    this.progress('pipelines', deals.results.length + tickets.results.length);
    return {
      deals: indexStages(deals.results as HubSpotPipeline[]),
      tickets: indexStages(tickets.results as HubSpotPipeline[]),
    };
  }

  /** Every object of a type, paged; archived ones only (ids and timestamps are enough) with `archived`. */
  private async listObjects(type: SyncedObjectType, archived = false): Promise<HubSpotObject[]> {
    const api = objectApi(this.options.connection.client, type);
    const properties = archived ? ['hs_object_id'] : [...PROPERTIES_TO_READ[type]];
    const all: HubSpotObject[] = [];
    let after: string | undefined;
    do {
      const page = await this.call(() =>
        archived
          ? api.basicApi.getPage(LIST_LIMIT, after, properties, undefined, undefined, true)
          : api.basicApi.getPage(LIST_LIMIT, after, properties),
      );
      all.push(...page.results);
      after = page.paging?.next?.after;
      this.progress(type, all.length);
    } while (after !== undefined);
    return all;
  }

  private async batchRead(type: SyncedObjectType, ids: readonly string[]): Promise<HubSpotObject[]> {
    const api = objectApi(this.options.connection.client, type);
    const out: HubSpotObject[] = [];
    for (let i = 0; i < ids.length; i += OBJECT_BATCH) {
      const inputs = ids.slice(i, i + OBJECT_BATCH).map((id) => ({ id }));
      const response = await this.call(() =>
        api.batchApi.read({ inputs, properties: [...PROPERTIES_TO_READ[type]], propertiesWithHistory: [] }),
      );
      out.push(...response.results);
    }
    return out;
  }

  /** v4 batch association read: from id → associated ids, in the order HubSpot returns them. */
  private async associations(
    from: SyncedObjectType,
    to: SyncedObjectType,
    ids: readonly string[],
  ): Promise<Map<string, string[]>> {
    const api = this.options.connection.client.crm.associations.v4.batchApi;
    const out = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += ASSOCIATION_BATCH) {
      const inputs = ids.slice(i, i + ASSOCIATION_BATCH).map((id) => ({ id }));
      const response = await this.call(() => api.getPage(from, to, { inputs }), 'associations');
      for (const result of response.results) {
        const list = out.get(result._from.id) ?? [];
        list.push(...result.to.map((edge) => String(edge.toObjectId)));
        out.set(result._from.id, list);
      }
      this.progress('associations', out.size);
    }
    return out;
  }

  private async call<T>(
    request: () => Promise<T>,
    kind: 'general' | 'search' | 'associations' = 'general',
  ): Promise<T> {
    const { limiters, clock } = this.options.connection;
    return callWithRetry(
      () => {
        this.summary.apiCalls++;
        return request();
      },
      kind === 'associations' ? [limiters.general, limiters.associations] : limiters[kind],
      clock,
      this.retry,
      (event: RetryEvent) => {
        if (event.reason.startsWith('429')) this.summary.rateLimitWaits++;
      },
    );
  }

  // ---- cursors ----

  private async saveCursor(
    type: SyncedObjectType,
    objects: readonly HubSpotObject[],
    previous: StoredCursor | undefined,
  ): Promise<void> {
    const next = newestOf(
      objects.map((o) => ({ id: o.id, modified: modifiedAt(type, o) })),
      previous,
    );
    if (next === undefined) return;
    this.summary.cursors[type] = next.since;
    await this.options.sink.apply({ kind: 'cursor', name: cursorName(type), value: encodeCursor(next) });
  }

  private progress(phase: SyncProgress['phase'], read: number): void {
    this.options.onProgress?.({ phase, read });
  }
}

type RecordFor<T> = T extends 'customer'
  ? Customer
  : T extends 'order'
    ? Order
    : T extends 'product'
      ? Product
      : T extends 'rep'
        ? Rep
        : ServiceCase;

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
