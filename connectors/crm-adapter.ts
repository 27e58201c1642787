/**
 * The one interface every CRM implements (../shared/DESIGN.md, Data flow): read pages of each record type
 * since a cursor, ensure the write-back fields exist, write a batch of changed values, report limits. Jobs
 * speak only this, so no job names a CRM; HubSpot implements it now, Salesforce next.
 *
 * Reads are pushed into a RecordSink page by page instead of returned whole, so a sync of any size streams
 * into the store, and the adapter never sees the store: removals that depend on what is stored (a full read
 * drops what it did not see; an archived contact takes its orders along) are expressed as changes the sink
 * applies.
 */
import type { Activity, RecordOf, RecordType } from '../domain/records';
import type { Crm, TenantId } from '../domain/tenant';

export type SyncMode = 'full' | 'incremental';

export type RecordChange =
  | { kind: 'upsert'; type: RecordType; records: readonly RecordOf<RecordType>[] }
  /**
   * With `withDependents`, removing customers also removes their orders, service cases, activities and
   * campaign memberships (their deals stay, attributed to no customer); removing campaigns removes their
   * members.
   */
  | { kind: 'remove'; type: RecordType; ids: Iterable<string>; withDependents?: boolean }
  /**
   * Activities changed: `upsert` stored, `remove` (ids of activities deleted, or no longer a signal) dropped,
   * then the engagement of every customer they belonged to before or after, and of the `recount` customers
   * (stored again this run without it), recounted from the stored activities (domain/engagement.ts).
   */
  | { kind: 'activities'; upsert: readonly Activity[]; remove: Iterable<string>; recount: Iterable<string> }
  /** A full read of `type` finished: every stored record whose id is not in `keep` is gone from the CRM. */
  | { kind: 'retain-only'; type: RecordType; keep: ReadonlySet<string> }
  | { kind: 'cursor'; name: string; value: string };

/** Records removed by one change, per record type. */
export type RemovedCounts = Partial<Record<RecordType, number>>;

export type RecordSink = {
  apply(change: RecordChange): Promise<RemovedCounts>;
  /** A cursor the adapter stored with a `cursor` change earlier; undefined before the first sync. */
  cursor(name: string): Promise<string | undefined>;
};

export type SkippedRecord = { id: string; reason: string };

/** What a read did, per CRM object type (the CRM's own names: contacts, deals… or Contact, Opportunity…). */
export type SyncReport = {
  mode: SyncMode;
  read: Record<string, number>;
  written: Record<string, number>;
  removed: Record<string, number>;
  skipped: Record<string, SkippedRecord[]>;
  warnings: { type: string; id: string; warning: string }[];
  apiCalls: number;
  rateLimitWaits: number;
};

export type SyncProgress = { phase: string; read: number };

/** A contract field's value as a score produces it (DESIGN, Property contract); undefined = leave alone. */
export type FieldValue = string | number | Date | null | undefined;
/** Contract field name (`clv_segment`, …) → value; each adapter maps the names to its CRM's fields. */
export type FieldValues = Readonly<Record<string, FieldValue>>;
/** What was last confirmed written to one customer, as the CRM stores it (field → text). */
export type WrittenFields = Readonly<Record<string, string>>;

export type EnsureFieldsReport = {
  created: string[];
  existing: string[];
  /** Enumeration options added per field. */
  optionsAdded: Record<string, string[]>;
  groupCreated: boolean;
  calls: number;
  rateLimitWaits: number;
};

export type WriteFailure = { id: string; reason: string };

export type WriteProgress = {
  /** 0 for the first pass, 1… for retry rounds of failed inputs. */
  round: number;
  batchesDone: number;
  batchesInRound: number;
  inputsWritten: number;
  inputsFailed: number;
};

export type WriteChangedInput = {
  /** Customer id → the values it should hold. */
  values: ReadonlyMap<string, FieldValues>;
  /** In/out: what was last confirmed per customer; updated for confirmed inputs only. */
  lastWritten: Map<string, WrittenFields>;
  /**
   * Awaited before every batch is sent, with what it carries (customer id → field → text as sent): the caller
   * records it durably as an intent. A process killed after the CRM accepted a batch but before onConfirmed
   * recorded it leaves the intent behind, and the next write-back asks the CRM (readWritten) instead of
   * sending those values a second time.
   */
  onSending?: (sending: Record<string, WrittenFields>) => Promise<void>;
  /**
   * Called after every batch the CRM accepted, before the next is sent, with what it confirmed: the caller
   * records it durably so a run killed mid-way never sends a confirmed value again.
   */
  onConfirmed?: (confirmed: Record<string, WrittenFields>) => Promise<void>;
  onProgress?: (progress: WriteProgress) => void;
};

export type WriteReport = {
  customersChanged: number;
  customersWritten: number;
  writeCalls: number;
  retriedInputs: number;
  failed: WriteFailure[];
  rateLimitWaits: number;
  /** Set when the run stopped early (daily limit, retries exhausted); unsent customers are in `failed`. */
  stopped?: { code: string; message: string; resetAt?: string };
};

export type LimitReport = { name: string; limit: number; windowMs: number }[];

/** A customer as the CRM holds them now, for a task about them: who owns them, and their name. */
export type TaskContact = { id: string; ownerId?: string; firstName?: string; lastName?: string };

/** One task for a customer's owner (a retention call), associated with the customer's CRM record. */
export type OwnerTaskInput = {
  customerId: string;
  /** The CRM user the task is assigned to; absent: created unassigned. */
  ownerId?: string;
  subject: string;
  body: string;
  dueAt: Date;
  /**
   * Stable for the customer and the episode the task is for, and carried in the task (HubSpot: its notes),
   * so findTasks can tell whether a create that may have landed did.
   */
  marker: string;
};

export type CreatedOwnerTask = { customerId: string; marker: string; taskId: string };

export type CreateTasksReport = {
  created: CreatedOwnerTask[];
  /** Refused by the CRM (the reason says why); not created. */
  failed: WriteFailure[];
  /** Sent, but the answer does not say whether they were created (findTasks on the next run will). */
  unknown: string[];
  calls: number;
  rateLimitWaits: number;
  /** Set when the run stopped early (daily limit, retries exhausted); unsent tasks are in `failed`. */
  stopped?: { code: string; message: string; resetAt?: string };
};

/**
 * Optional: creating tasks for customers' owners (a CRM without it creates none, and says so). Kept apart
 * from the property write: tasks are new records, not values, so the changed-values rule does not apply;
 * the caller keeps them to one per customer and episode (worker/jobs/owner-tasks.ts).
 */
export type OwnerTaskCapability = {
  /** Owner and name of these customers as the CRM holds them now; customers it no longer has are absent. */
  readTaskContacts(ids: readonly string[]): Promise<Map<string, TaskContact>>;
  /** Of these (customer, marker) pairs, the ones whose task exists: marker → task id. */
  findTasks(wanted: readonly { customerId: string; marker: string }[]): Promise<Map<string, string>>;
  /**
   * Creates the tasks in batches. `onSending` is awaited before each batch goes out (the caller records an
   * intent), `onCreated` after each batch with what the CRM confirmed, before the next is sent.
   */
  createTasks(input: {
    tasks: readonly OwnerTaskInput[];
    onSending?: (batch: readonly OwnerTaskInput[]) => Promise<void>;
    onCreated?: (created: readonly CreatedOwnerTask[]) => Promise<void>;
  }): Promise<CreateTasksReport>;
};

/**
 * What keeping the CRM's segment lists current did, list by list (HubSpot: connectors/hubspot/lists; Salesforce:
 * Contact list views, connectors/salesforce/lists, where `listId` is the view's full name).
 */
export type SegmentListsReport = {
  lists: (
    | { name: string; listId: string; action: 'created' | 'updated' | 'unchanged' }
    | { name: string; action: 'skipped'; reason: string }
  )[];
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  calls: number;
};

/**
 * Optional: one CRM list per segment, risk band and retention arm, filtered on the written fields, kept in
 * step idempotently (found by name, created once, filters replaced when they differ).
 */
export type SegmentListCapability = {
  /** `name` when known; otherwise the CRM's label of the segment's option (write-back set it). */
  sync(segments: readonly { id: string; name?: string }[]): Promise<SegmentListsReport>;
};

/** A retention program as its CRM campaign needs it: the treated customers, and whether it is still live. */
export type RetentionCampaignInput = {
  programId: string;
  /** True while the program is active: its campaign is active and gains members. */
  live: boolean;
  /** Customer ids of the treatment arm (never the control arm). */
  treated: readonly string[];
};

export type RetentionCampaignOutcome = {
  programId: string;
  /** Absent when an ended program never had a campaign (none is created for it). */
  campaignId?: string;
  campaign: 'created' | 'found' | 'activated' | 'deactivated' | 'absent';
  membersAdded: number;
  /** Treated customers already members (found before the insert, or refused as duplicates by the CRM). */
  alreadyMembers: number;
  /** Members the CRM refused for another reason (a customer deleted since, …), with why. */
  failed: WriteFailure[];
};

export type RetentionCampaignsReport = { programs: RetentionCampaignOutcome[]; calls: number };

/**
 * Optional: one CRM campaign per retention program whose members are the treated customers (issue P8,
 * "Retention programs"), kept in step idempotently: found by name, created once, each treated customer a
 * member once; control customers never become members.
 */
export type RetentionCampaignCapability = {
  sync(programs: readonly RetentionCampaignInput[]): Promise<RetentionCampaignsReport>;
};

export interface CrmAdapter {
  readonly crm: Crm;
  readonly tenant: TenantId;
  /** Reads what changed since the sink's cursors (everything in a full read) into the sink. */
  readRecords(
    request: { mode: SyncMode; onProgress?: (progress: SyncProgress) => void },
    sink: RecordSink,
  ): Promise<SyncReport>;
  /** Creates the contract's fields and any missing enumeration options (the run's segments) idempotently. */
  ensureFields(request: {
    segments: readonly { id: string; name: string }[];
    interests?: readonly string[];
  }): Promise<EnsureFieldsReport>;
  /**
   * What the CRM holds now in `fields` of these customers, each value in the text a write of it is recorded
   * as in lastWritten (so equal text means the CRM holds that written value; "" when empty). Customers the
   * CRM no longer has are absent from the map.
   */
  readWritten(ids: readonly string[], fields: readonly string[]): Promise<Map<string, WrittenFields>>;
  /** Writes only values that differ from `lastWritten`; call ensureFields first. */
  writeChanged(input: WriteChangedInput): Promise<WriteReport>;
  /** Tasks for customers' owners; absent when the CRM's adapter cannot create them. */
  readonly ownerTasks?: OwnerTaskCapability;
  /** Segment lists (HubSpot lists, Salesforce list views); absent when the CRM's adapter cannot keep them. */
  readonly segmentLists?: SegmentListCapability;
  /**
   * A campaign per retention program with the treated as members (Salesforce Campaign + CampaignMember);
   * absent where the CRM's workflows enrol from a list per arm instead (HubSpot: the segment lists).
   */
  readonly retentionCampaigns?: RetentionCampaignCapability;
  limits(): LimitReport;
  /** Releases timers and sockets. */
  close(): void;
}
