/**
 * What one sync run shares between its steps: the options, the summary it fills, the read state of its
 * connection and what the writer has stored so far. The public option and summary types live here too, so
 * the step modules (reads, writes, full, incremental, removals) import only this and never each other in a
 * circle; sync-hubspot re-exports them.
 */
import type { RecordType } from '../../../domain/records';
import type { RecordSink } from '../../crm-adapter';
import type { HubSpotConnection } from '../create-client';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from '../retry-policy';
import type { SyncedObjectType } from './object-api';

/** Campaigns and their members come from the Marketing Campaigns API, not the CRM object APIs. */
export type SyncedType = SyncedObjectType | 'owners' | 'campaigns' | 'campaign_members';
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
   * full syncs only (they have no modification search). Campaigns and their members are read whole by every
   * run (the campaigns API has no modified-since filter); both stay 0 when the portal has no campaigns access.
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
  /**
   * Deal records (every deal, for sales performance) written and removed; `written.deals` and
   * `removed.deals` count the orders among them.
   */
  dealRecords: { written: number; removed: number };
  /** Warnings for optional values that were dropped (the record itself was kept). */
  warnings: { type: SyncedType; id: string; warning: string }[];
  /** HTTP requests made, retries included. */
  apiCalls: number;
  /** 429 answers waited out. */
  rateLimitWaits: number;
  /** Cursors stored per object type: epoch ms of the newest modification seen. */
  cursors: Partial<Record<SyncedObjectType, number>>;
};

/** How each synced HubSpot type is stored (line items live inside their orders). */
export const STORED_AS = [
  ['owners', 'rep'],
  ['products', 'product'],
  ['contacts', 'customer'],
  ['deals', 'order'],
  ['tickets', 'serviceCase'],
] as const satisfies readonly (readonly [SyncedType, RecordType])[];

export type Counts<T> = Record<SyncedType, T>;
export function perType<T>(make: () => T): Counts<T> {
  return {
    owners: make(),
    products: make(),
    contacts: make(),
    deals: make(),
    line_items: make(),
    tickets: make(),
    campaigns: make(),
    campaign_members: make(),
  };
}

/** One connection's reads: where calls go, how they retry, and the summary whose counters they add to. */
export type ReadContext = {
  connection: HubSpotConnection;
  retry: RetryOptions;
  summary: SyncSummary;
  onProgress?: (progress: SyncProgress) => void;
};

/** What the writer has stored this run. */
export type WriteState = {
  /** Ids of the records this run stored, per HubSpot type (a full sync removes every other stored one). */
  storedIds: Counts<Set<string>>;
  /** Deals read this run that are not orders (lost, open, or rejected): a stored order of theirs is stale. */
  notOrders: Set<string>;
  /** Ids of the Deal records this run stored (a full sync removes every other stored one). */
  dealIds: Set<string>;
};

export type RunContext = {
  options: SyncOptions;
  summary: SyncSummary;
  reads: ReadContext;
  writes: WriteState;
};

export function createRunContext(options: SyncOptions): RunContext {
  const summary: SyncSummary = {
    mode: options.mode,
    read: perType(() => 0),
    written: perType(() => 0),
    removed: perType(() => 0),
    skipped: perType<SkippedRecord[]>(() => []),
    deals: { won: 0, refunded: 0, lost: 0, open: 0, unknownStage: 0 },
    dealRecords: { written: 0, removed: 0 },
    warnings: [],
    apiCalls: 0,
    rateLimitWaits: 0,
    cursors: {},
  };
  return {
    options,
    summary,
    reads: {
      connection: options.connection,
      retry: { ...DEFAULT_RETRY_OPTIONS, random: Math.random, ...options.retry },
      summary,
      onProgress: options.onProgress,
    },
    writes: {
      storedIds: perType(() => new Set<string>()),
      notOrders: new Set<string>(),
      dealIds: new Set<string>(),
    },
  };
}
