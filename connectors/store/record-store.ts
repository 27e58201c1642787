import type { RecordOf, RecordType } from '../../domain/records';

/** Values last written to one contact's CRM properties (property name → value as written). */
export type WrittenValues = Record<string, string>;

/**
 * Where synced records, sync cursors and last-written values live for a tenant (issue 4, "Until the worker
 * exists"). The file store implements it now; the Redis store comes with the worker.
 */
export interface RecordStore {
  /** Upserts by id: a record whose id is already stored replaces the stored one. */
  putRecords<T extends RecordType>(tenant: string, type: T, records: readonly RecordOf<T>[]): Promise<void>;
  /** Removes the records with these ids (absent ids are ignored); returns how many were removed. */
  deleteRecords(tenant: string, type: RecordType, ids: Iterable<string>): Promise<number>;
  /** Every stored record of a type, in first-stored order; [] when none. */
  readRecords<T extends RecordType>(tenant: string, type: T): Promise<RecordOf<T>[]>;
  /** A named sync cursor (e.g. "hubspot:contacts"), undefined when never set. */
  getCursor(tenant: string, name: string): Promise<string | undefined>;
  setCursor(tenant: string, name: string, value: string): Promise<void>;
  /** Last-written values per contact id. */
  getWrittenValues(tenant: string): Promise<Record<string, WrittenValues>>;
  /** Merges: contacts not named keep their values; a named contact's properties are merged over the old. */
  setWrittenValues(tenant: string, values: Record<string, WrittenValues>): Promise<void>;
}
