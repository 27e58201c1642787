/**
 * The write journal: one NDJSON line per record an accepted write created, changed or deleted, so a fault test
 * can prove from outside the process which values reached the sandbox. Same file discipline as the HubSpot
 * sandbox's journal (one synchronous append per request on a descriptor opened once: a killed process keeps
 * every line of an answered request); the entry shape is Salesforce's (object type, 18-character id, fields).
 */

import { appendFileSync, closeSync, openSync } from 'node:fs';

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

export type FileJournal = { write: Journal; close(): void };

/** Throws at open when the file cannot be appended to. */
export function createFileJournal(file: string): FileJournal {
  const fd = openSync(file, 'a');
  let open = true;
  return {
    write(entries) {
      if (!open || entries.length === 0) return;
      appendFileSync(fd, entries.map((e) => JSON.stringify(e) + '\n').join(''));
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
