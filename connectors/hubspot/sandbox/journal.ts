/**
 * The write journal: one entry per object an accepted write created, changed or archived (a batch of 100 is 100
 * entries), so a fault test can prove from outside the process which values reached the sandbox. Routes hand the
 * entries of one request to `ctx.journal` after the store changed and before the answer is sent.
 */

import type { Request } from 'express';
import { openNdjsonJournal, type NdjsonJournal } from '../../sandbox-journal';
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

export type FileJournal = NdjsonJournal<JournalEntry>;

/** Example: const j = createFileJournal('/tmp/writes.ndjson'); createHubSpotSandbox({ …, journal: j.write }) */
export const createFileJournal = (file: string): FileJournal => openNdjsonJournal<JournalEntry>(file);
