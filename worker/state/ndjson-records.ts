/** The file store's record files: one JSON record per line, appended to, the last line of an id winning. */
import { StoreError } from './store-error';

/**
 * The records of an NDJSON record file: one per id, in the order ids were first stored, each the last line
 * written for it. `lines` counts the lines read, replaced ones included.
 */
export function parseRecordLines<T>(text: string, path: string): { records: T[]; lines: number } {
  const records: T[] = [];
  const at = new Map<string, number>();
  const lines = text.split('\n');
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    let record: T & { id?: unknown };
    try {
      record = JSON.parse(lines[i]) as T & { id?: unknown };
    } catch {
      throw new StoreError(`${path} line ${i + 1} is not JSON; delete the file and run a full sync`);
    }
    count++;
    const id = typeof record.id === 'string' ? record.id : undefined;
    const known = id === undefined ? undefined : at.get(id);
    if (known !== undefined) records[known] = record;
    else {
      if (id !== undefined) at.set(id, records.length);
      records.push(record);
    }
  }
  return { records, lines: count };
}
