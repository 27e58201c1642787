import type { StoredChurnModel } from '../analytics/churn';
import type { RecordOf, RecordType } from '../../domain/records';
import type { Score, ScoreRun } from '../../domain/score';
import type { BucketRange, CustomerRecordType } from './customer-buckets';

/** Values last written to one contact's CRM fields (field name → value as written). */
export type WrittenValues = Record<string, string>;

/**
 * A customer's open high-risk episode, for owner tasks (worker/jobs/owner-tasks.ts): opened in the run where
 * the customer turned high risk, closed (removed) in the first run where they are not. At most one task is
 * created per episode, so a customer who leaves high risk and comes back gets a new episode and a new task.
 */
export type OwnerTaskEpisode = {
  /** The run in which the customer turned high risk, and when it was scored. */
  startedRun: string;
  startedAt: string;
  /** Stable for this customer and episode; carried in the task so a create that may have landed is found. */
  marker: string;
  /**
   * 'sending': recorded before the create went out, and its answer never recorded (a crash, a lost answer):
   * the next run asks the CRM. 'created': the CRM confirmed the task.
   */
  task?: { status: 'sending' } | { status: 'created'; id: string };
};

/** Records with their first-stored positions (increasing: the order readRecords gives them in). */
export type PositionedRecords<T extends RecordType> = { records: RecordOf<T>[]; positions: number[] };

/** Decile bins of one feature in a model version's training population (for drift, PSI). */
export type StoredBins = { edges: number[]; shares: number[] };

/** One trained model version: what a rescore reuses and what a retrain is compared with. */
export type ModelVersion = {
  /** v1, v2, … per tenant. */
  version: string;
  trainedAt: string;
  observationEnd: string;
  transaction: { model: string; params: Record<string, number> };
  /** Gamma-Gamma parameters (p, q, v); null when spend could not be fitted. Absent in versions made before. */
  spend?: Record<string, number> | null;
  metrics: {
    customers: number;
    /** Per-customer RMSE and total error of holdout purchases (fit on the calibration part); null without one. */
    holdoutRmse: number | null;
    holdoutTotalError: number | null;
    holdoutDays: number | null;
    /** Churn model's out-of-time ROC AUC; null when churn was not evaluated. */
    churnAuc: number | null;
  };
  /** Training population per drift feature. */
  reference: Record<string, StoredBins>;
  /** The churn classifier trained with this version; null when churn was not trained. Absent in versions made before. */
  churn?: StoredChurnModel | null;
};

/** What the last retrain did: the candidate's figures, drift against the current version, and the decision. */
export type RetrainRecord = {
  at: string;
  candidate: Omit<ModelVersion, 'reference'>;
  /** Current version's holdout RMSE on the candidate's holdout (the fair comparison), when both exist. */
  currentRmseOnSameHoldout: number | null;
  drift: Record<string, number>;
  promoted: boolean;
  reasons: string[];
};

/** A tenant's models: what the next scoring reuses (segment centroids keep segment ids stable). */
export type StoredModel = {
  version: string;
  trainedAt: string;
  /** The behavioural segment model (analytics ClusterModel as JSON); absent for a CLV-only run. */
  segmentModel?: unknown;
  /** The promoted transaction model and the one before it (kept to compare and to roll back). */
  current?: ModelVersion;
  previous?: ModelVersion;
  lastRetrain?: RetrainRecord;
};

/**
 * The worker's state per tenant, and the hand-off between stages: sync writes records and cursors, score
 * writes Scores and the model, write-back reads Scores and records what the CRM confirmed. Every key is
 * scoped by tenant; nothing one tenant stores is visible to another.
 */
export interface RecordStore {
  /** Upserts by id: a record whose id is already stored replaces the stored one. */
  putRecords<T extends RecordType>(tenant: string, type: T, records: readonly RecordOf<T>[]): Promise<void>;
  /** Removes the records with these ids (absent ids are ignored); returns how many were removed. */
  deleteRecords(tenant: string, type: RecordType, ids: Iterable<string>): Promise<number>;
  /** Every stored record of a type, in first-stored order; [] when none. */
  readRecords<T extends RecordType>(tenant: string, type: T): Promise<RecordOf<T>[]>;
  /** The ids of every stored record of a type, in first-stored order (what a full sync compares with). */
  readRecordIds(tenant: string, type: RecordType): Promise<string[]>;
  /**
   * The records of a customer's type (customers, orders, service cases) whose customer is in the bucket range
   * (./customer-buckets), in first-stored order with their positions: one part of a tenant's customers read
   * without the rest (a score run's prepare shard). Each record is read as currently stored, so an order that
   * moved to another customer is read in that customer's range only.
   */
  readCustomerRecords<T extends CustomerRecordType>(
    tenant: string,
    type: T,
    buckets: BucketRange,
  ): Promise<PositionedRecords<T>>;
  /**
   * Makes readCustomerRecords cheap for records stored before the store kept them by customer (a one-off pass
   * over the tenant's records where the store needs one; nothing once done). A score run calls it before its
   * prepare shards fan out, so they do not all make the pass.
   */
  indexCustomerRecords(tenant: string): Promise<void>;
  /** A named sync cursor (e.g. "hubspot:contacts"), undefined when never set. */
  getCursor(tenant: string, name: string): Promise<string | undefined>;
  setCursor(tenant: string, name: string, value: string): Promise<void>;
  /** Removes a named cursor (absent names are ignored). */
  deleteCursor(tenant: string, name: string): Promise<void>;
  /**
   * A retention program's enrolments (program id: letters, digits and '-'): customer id → the entry the
   * program store wrote (worker/programs/program-store.ts); an empty map when nobody is enrolled.
   */
  readEnrolmentEntries(tenant: string, programId: string): Promise<Map<string, string>>;
  /**
   * Stores the entries of customers not yet enrolled in the program; an enrolled customer's entry is never
   * replaced (a retried write-back cannot move an arm). Returns how many customers were added.
   */
  addEnrolmentEntries(
    tenant: string,
    programId: string,
    entries: readonly (readonly [customerId: string, entry: string])[],
  ): Promise<number>;
  /** Last-written values per contact id. */
  getWrittenValues(tenant: string): Promise<Record<string, WrittenValues>>;
  /** Merges: contacts not named keep their values; a named contact's properties are merged over the old. */
  setWrittenValues(tenant: string, values: Record<string, WrittenValues>): Promise<void>;
  /**
   * Values on their way to the CRM per contact id, recorded before their batch is sent and cleared once the
   * CRM's answer is recorded: what is left after a crash may or may not have landed.
   */
  getWriteIntents(tenant: string): Promise<Record<string, WrittenValues>>;
  /** Merges like setWrittenValues: a contact named again keeps the properties it had that are not named. */
  setWriteIntents(tenant: string, values: Record<string, WrittenValues>): Promise<void>;
  /** Removes these contacts' intents (absent ids are ignored). */
  clearWriteIntents(tenant: string, ids: Iterable<string>): Promise<void>;
  /** Open high-risk episodes per customer id (owner tasks); {} when none. */
  getOwnerTaskEpisodes(tenant: string): Promise<Record<string, OwnerTaskEpisode>>;
  /** Stores these customers' episodes, each replacing the customer's stored one; others are kept. */
  setOwnerTaskEpisodes(tenant: string, episodes: Record<string, OwnerTaskEpisode>): Promise<void>;
  /** Closes (removes) these customers' episodes (absent ids are ignored). */
  closeOwnerTaskEpisodes(tenant: string, ids: Iterable<string>): Promise<void>;
  /**
   * Replaces the tenant's latest score run and all its Scores at once (a reader sees the old or the new), even
   * one of the same run id. Refuses (StoreError) when the Scores are not `run.customers` many.
   */
  putScoreRun(tenant: string, run: ScoreRun, scores: readonly Score[]): Promise<void>;
  /**
   * Stores one shard of a run not yet committed, aside: readScoreRun does not see it. Writing a shard again
   * replaces it whole (a retried shard job adds no second copy). Shards never committed expire by themselves.
   */
  putScoreShard(tenant: string, runId: string, shard: number, scores: readonly Score[]): Promise<void>;
  /**
   * Makes `run` the tenant's latest score run from its shards 0 … shards-1, in shard order, at once (a reader
   * sees the old run or this one), and removes the old run's Scores. Refuses with a StoreError naming the
   * missing shards, or when the shards hold other than `run.customers` Scores; the old run stays. Committing a
   * run whose id is already the latest does nothing (a retried commit after one that succeeded).
   */
  commitScoreRun(tenant: string, run: ScoreRun, shards: number): Promise<void>;
  /** The latest score run with its Scores; undefined when the tenant was never scored. */
  readScoreRun(tenant: string): Promise<{ run: ScoreRun; scores: Score[] } | undefined>;
  /**
   * Customer id → segment id of the latest run's Scores (those that have one); undefined when the tenant was
   * never scored. What keeps segment ids stable from run to run, read without holding the run's Scores: at a
   * million customers they are ~2.5 GB of objects. A Score is checked only as far as these two fields.
   */
  readScoreSegments(tenant: string): Promise<Map<string, string> | undefined>;
  /**
   * readScoreSegments for part `part` of `parts` of the latest run's Scores (the parts together hold each
   * Score once), with the commit they are of (readScoreRunHeader's): what a prepare shard reads, so the fit
   * need not read them all. Undefined when the tenant was never scored.
   */
  readScoreSegmentsPart(
    tenant: string,
    part: number,
    parts: number,
  ): Promise<{ commit: string; segments: Map<string, string> } | undefined>;
  /**
   * The latest run's header without its Scores, and a commit that differs for every commit (a same-id
   * replacement too); undefined when never scored.
   */
  readScoreRunHeader(tenant: string): Promise<{ run: ScoreRun; commit: string } | undefined>;
  /**
   * Bytes a run's flow hands from one job to the next (e.g. the fitted model for the shard jobs), under a name
   * of letters, digits, '-' and '_'. Replaces a value of the same name; expires by itself (24 h).
   */
  putRunScratch(tenant: string, runId: string, name: string, bytes: Buffer): Promise<void>;
  /** The bytes stored under that name for that run; undefined when none (never stored, dropped, expired). */
  getRunScratch(tenant: string, runId: string, name: string): Promise<Buffer | undefined>;
  /** Drops every scratch value of that run. */
  dropRunScratch(tenant: string, runId: string): Promise<void>;
  /**
   * A report derived from the latest run (e.g. 'sales-performance'), as JSON text under a name of letters,
   * digits and '-': what the dashboard reads instead of recomputing it per page. Replaced whole.
   */
  putTenantReport(tenant: string, name: string, json: string): Promise<void>;
  /** The report stored under that name; undefined when none. */
  getTenantReport(tenant: string, name: string): Promise<string | undefined>;
  putModel(tenant: string, model: StoredModel): Promise<void>;
  getModel(tenant: string): Promise<StoredModel | undefined>;
}

/** What the store sink (./store-sink) needs of a store: records and cursors. */
export type SinkStore = Pick<
  RecordStore,
  'putRecords' | 'deleteRecords' | 'readRecords' | 'readRecordIds' | 'getCursor' | 'setCursor'
>;
