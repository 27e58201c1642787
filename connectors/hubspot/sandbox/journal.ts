/**
 * The write journal: one entry per object an accepted write created, changed or archived (a batch of 100 is 100
 * entries), so a fault test can prove from outside the process which values reached the sandbox. Routes hand the
 * entries of one request to `ctx.journal` after the store changed and before the answer is sent.
 */

import type { Request } from 'express';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import type { ObjectType } from './types';

export type JournalEntry = {
  /** ISO time of the write, on the sandbox's clock. */
  time: string;
  method: string;
  path: string;
  objectType: ObjectType;
  objectId: string;
  /** The values written, as stored ("" clears); {} for an archive. */
  properties: Record<string, string>;
  /** Present on archives. */
  archived?: true;
};

export type Journal = (entries: readonly JournalEntry[]) => void;

export const noJournal: Journal = () => {};

/** The entry for one object a route wrote; `properties` as stored. */
export function journalEntry(
  req: Request,
  time: string,
  objectType: ObjectType,
  objectId: string,
  properties: Record<string, string>,
  archived = false,
): JournalEntry {
  return {
    time,
    method: req.method,
    path: req.path,
    objectType,
    objectId,
    properties: { ...properties },
    ...(archived ? { archived: true as const } : {}),
  };
}

export type FileJournal = { write: Journal; close(): void };

/**
 * NDJSON journal appended to `file` (created if absent). Each request's lines go out in one synchronous
 * appendFileSync on a descriptor opened once: when it returns the bytes are in the kernel's page cache, so a
 * process killed (even SIGKILL) right after the sandbox answered 200 still leaves them in the file. A write
 * stream would queue them in user space and lose them on such a kill. (An fsync would add power-loss safety,
 * which the journal does not promise.) Throws at open when the file cannot be appended to.
 * Example: const j = createFileJournal('/tmp/writes.ndjson'); createHubSpotSandbox({ …, journal: j.write })
 */
export function createFileJournal(file: string): FileJournal {
  const fd = openSync(file, 'a');
  let open = true;
  return {
    write(entries) {
      if (!open || entries.length === 0) return;
      // appendFileSync on a descriptor loops until every byte is written (no partial line).
      appendFileSync(fd, entries.map((e) => JSON.stringify(e) + '\n').join(''));
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
