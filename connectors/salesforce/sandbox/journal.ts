/**
 * The write journal: one NDJSON line per record an accepted write created, changed or deleted, so a fault test
 * can prove from outside the process which values reached the sandbox (connectors/sandbox-journal: a killed
 * process keeps every line of an answered request); the entry shape is Salesforce's (object type, 18-character
 * id, fields).
 */

import { openNdjsonJournal, type NdjsonJournal } from '../../sandbox-journal';

export type JournalEntry = {
  /** ISO time of the write, on the sandbox's clock. */
  time: string;
  method: string;
  path: string;
  objectType: string;
  id: string;
  /** The fields written, as stored (null clears); {} for a delete. */
  fields: Record<string, unknown>;
  /** Present on deletes. */
  deleted?: true;
};

export type Journal = (entries: readonly JournalEntry[]) => void;

export const noJournal: Journal = () => {};

export type FileJournal = NdjsonJournal<JournalEntry>;

export const createFileJournal = (file: string): FileJournal => openNdjsonJournal<JournalEntry>(file);
