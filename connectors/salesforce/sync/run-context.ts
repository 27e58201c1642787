/**
 * What one Salesforce sync run shares between its steps: options, the report it fills, the caller every query
 * goes through, and what the writer stored so far (a full read removes every stored record it did not see).
 */
import { recordSchemas, type RecordType } from '../../../domain/records';
import type { RecordSink, SkippedRecord, SyncReport } from '../../crm-adapter';
import type { SalesforceConnection } from '../create-connection';
import type { BulkPolling } from '../bulk/bulk-api';
import type { SalesforceCaller } from '../salesforce-caller';
import { SYNCED_OBJECTS, type OrgFeatures, type SyncedObject } from '../salesforce-objects';
import type { CursorState } from './sync-cursor';

export type SyncOptions = {
  sf: SalesforceConnection;
  caller: SalesforceCaller;
  sink: RecordSink;
  tenant: string;
  mode: 'full' | 'incremental';
  onProgress?: (progress: { phase: string; read: number }) => void;
  /** The org's currency for single-currency orgs (Opportunity has no CurrencyIsoCode there). */
  defaultCurrency?: string;
  bulk?: BulkQueryOptions;
};

/** Bulk API 2.0 query reads (NOTES §2.5) of large objects. */
export type BulkQueryOptions = BulkPolling & {
  /**
   * An object read (or its deletions) with more rows than this goes through a Bulk API 2.0 query job instead
   * of SOQL pages of 2,000; default DEFAULT_BULK_QUERY_THRESHOLD. Infinity: SOQL only.
   */
  queryThreshold?: number;
  /** Rows per result page (maxRecords); default 50,000. */
  pageSize?: number;
};

export const DEFAULT_BULK_QUERY_THRESHOLD = 10_000;

export type SalesforceSyncReport = SyncReport & {
  /** Rows read per object. */
  read: Record<SyncedObject, number>;
  /** Rows rejected per object, with id and reason (open and lost opportunities and non-signal activities are not). */
  skipped: Record<SyncedObject, SkippedRecord[]>;
  /**
   * Canonical records written and removed per record type: Salesforce objects map to records many-to-many (an
   * opportunity is a deal and, when won, an order; a Task or an Event is an activity).
   */
  written: Record<RecordType, number>;
  removed: Record<RecordType, number>;
  /** Opportunities read by outcome; won and refunded ones become orders (DESIGN), every one a deal. */
  opportunities: { won: number; refunded: number; lost: number; open: number };
  /** Tasks and Events read by what they count as (map-activity.ts); `other`: no signal. */
  activities: { email: number; call: number; meeting: number; other: number };
  /** True when Opportunity has CurrencyIsoCode (describe). */
  multiCurrency: boolean;
  /** True when Opportunity has CampaignId (describe): Campaign and CampaignMember are read. */
  campaigns: boolean;
  /** Cursors per object: the newest SystemModstamp seen (stored with the ids seen at it, sync-cursor.ts). */
  cursors: Partial<Record<SyncedObject, string>>;
  /**
   * How each object's rows were read (SOQL pages or a Bulk API 2.0 query job), the Bulk query jobs run
   * (deletion reads included) and the status requests they took (each an API call).
   */
  bulk: { readVia: Partial<Record<SyncedObject, 'soql' | 'bulk'>>; queryJobs: number; polls: number };
};

export type RunContext = {
  options: SyncOptions;
  report: SalesforceSyncReport;
  features: OrgFeatures;
  /** Ids of the records this run stored, per record type (a full read removes every other stored one). */
  storedIds: Record<RecordType, Set<string>>;
  /** Opportunities read this run that are not orders (open, lost, rejected): a stored order of theirs is stale. */
  notOrders: Set<string>;
  /** Newest SystemModstamp seen per object (this run's, or the stored cursor's) and the ids seen at it. */
  newest: Partial<Record<SyncedObject, CursorState>>;
};

function perObject<T>(make: () => T): Record<SyncedObject, T> {
  return Object.fromEntries(SYNCED_OBJECTS.map((o) => [o, make()])) as Record<SyncedObject, T>;
}

export function perRecordType<T>(make: () => T): Record<RecordType, T> {
  return Object.fromEntries(Object.keys(recordSchemas).map((t) => [t, make()])) as Record<RecordType, T>;
}

export function createRunContext(options: SyncOptions): RunContext {
  return {
    options,
    features: { multiCurrency: false, campaigns: false },
    report: {
      mode: options.mode,
      read: perObject(() => 0),
      written: perRecordType(() => 0),
      removed: perRecordType(() => 0),
      skipped: perObject<SkippedRecord[]>(() => []),
      warnings: [],
      apiCalls: 0,
      rateLimitWaits: 0,
      opportunities: { won: 0, refunded: 0, lost: 0, open: 0 },
      activities: { email: 0, call: 0, meeting: 0, other: 0 },
      multiCurrency: false,
      campaigns: false,
      cursors: {},
      bulk: { readVia: {}, queryJobs: 0, polls: 0 },
    },
    storedIds: perRecordType(() => new Set<string>()),
    notOrders: new Set<string>(),
    newest: {},
  };
}

/** The name an object's cursor is stored under. */
export const cursorName = (object: SyncedObject): string => `salesforce:${object}`;
