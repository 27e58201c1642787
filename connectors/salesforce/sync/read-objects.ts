/**
 * The queries of a sync: an object's rows (all, or changed since a cursor) ordered by SystemModstamp, Id, its
 * deleted rows since a cursor through queryAll (NOTES §5.3), and rows by id lists.
 */
import { eachPage, queryAllRecords, type SalesforceRecord } from '../query-pages';
import { text, toIsoDateTime } from '../record-values';
import { fieldsOf, type SyncedObject } from '../salesforce-objects';
import { chunk, dateTimeLiteral, IN_LIST_SIZE, inList } from '../soql';
import type { RunContext } from './run-context';
import { noteModstamps } from './store-records';
import type { StoredCursor } from './sync-cursor';

function select(ctx: RunContext, object: SyncedObject): string {
  return `SELECT ${fieldsOf(object, ctx.multiCurrency).join(', ')} FROM ${object}`;
}

/**
 * Rows of a `SystemModstamp >= cursor` read that are new: those at the cursor's instant with an id the cursor
 * already holds were read last time (sync-cursor.ts), and so were those before it (SOQL datetime literals have
 * whole seconds, so a stamp with milliseconds earlier in the cursor's second comes back too).
 */
function unseen(rows: readonly SalesforceRecord[], cursor: StoredCursor | undefined): SalesforceRecord[] {
  if (cursor === undefined) return [...rows];
  const seen = new Set(cursor.idsAtSince);
  return rows.filter((row) => {
    const raw = text(row, 'SystemModstamp');
    const at = raw === undefined ? undefined : toIsoDateTime(raw);
    if (at === undefined || at > cursor.since) return true;
    return at === cursor.since && !seen.has(text(row, 'Id') ?? '');
  });
}

/**
 * Every row of `object` (since `cursor` when given: `SystemModstamp >= cursor`, minus the rows the cursor saw
 * at its instant), page by page; the newest SystemModstamp seen becomes the object's next cursor.
 */
export async function readObject(
  ctx: RunContext,
  object: SyncedObject,
  cursor: StoredCursor | undefined,
  onPage: (rows: SalesforceRecord[]) => Promise<void> | void,
): Promise<void> {
  const where = cursor === undefined ? '' : ` WHERE SystemModstamp >= ${dateTimeLiteral(cursor.since)}`;
  const soql = `${select(ctx, object)}${where} ORDER BY SystemModstamp, Id`;
  const { sf, caller, onProgress } = ctx.options;
  await eachPage(sf, caller, soql, async (page) => {
    const rows = unseen(page, cursor);
    if (rows.length === 0) return;
    noteModstamps(ctx, object, rows);
    ctx.report.read[object] += rows.length;
    onProgress?.({ phase: object, read: ctx.report.read[object] });
    await onPage(rows);
  });
}

/** Ids (and `extra` fields) of rows deleted since `cursor`: queryAll with IsDeleted = true (NOTES §5.3). */
export async function readDeleted(
  ctx: RunContext,
  object: SyncedObject,
  cursor: StoredCursor,
  extra: readonly string[] = [],
): Promise<SalesforceRecord[]> {
  const soql =
    `SELECT ${['Id', ...extra, 'SystemModstamp'].join(', ')} FROM ${object} ` +
    `WHERE IsDeleted = true AND SystemModstamp >= ${dateTimeLiteral(cursor.since)} ORDER BY SystemModstamp, Id`;
  const rows = unseen(
    await queryAllRecords(ctx.options.sf, ctx.options.caller, soql, { scanAll: true }),
    cursor,
  );
  noteModstamps(ctx, object, rows);
  return rows;
}

/** Rows of `object` whose `field` is one of `ids`, in IN lists of IN_LIST_SIZE. */
export async function readWhereIn(
  ctx: RunContext,
  object: SyncedObject,
  field: string,
  ids: readonly string[],
): Promise<SalesforceRecord[]> {
  const rows: SalesforceRecord[] = [];
  for (const part of chunk([...new Set(ids)], IN_LIST_SIZE)) {
    const soql = `${select(ctx, object)} WHERE ${field} IN ${inList(part)} ORDER BY Id`;
    rows.push(...(await queryAllRecords(ctx.options.sf, ctx.options.caller, soql)));
  }
  return rows;
}
