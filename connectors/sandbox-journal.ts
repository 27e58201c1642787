/**
 * A sandbox's write journal on disk: NDJSON appended to `file` (created if absent), one line per entry. Each
 * request's lines go out in one synchronous appendFileSync on a descriptor opened once: when it returns the bytes
 * are in the kernel's page cache, so a process killed (even SIGKILL) right after the sandbox answered still
 * leaves them in the file. A write stream would queue them in user space and lose them on such a kill. (An fsync
 * would add power-loss safety, which the journal does not promise.) Throws at open when the file cannot be
 * appended to. Each sandbox keeps its own entry shape (HubSpot objects and properties, Salesforce records and
 * fields).
 */
import { appendFileSync, closeSync, openSync } from 'node:fs';

export type NdjsonJournal<E> = { write(entries: readonly E[]): void; close(): void };

export function openNdjsonJournal<E>(file: string): NdjsonJournal<E> {
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
