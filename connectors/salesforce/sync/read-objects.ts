/**
 * The queries of a sync: an object's rows (all, or changed since a cursor) ordered by SystemModstamp, Id, its
 * deleted rows since a cursor through queryAll (NOTES §5.3), and rows by id lists.
 */
import { bulkQuery } from '../bulk/bulk-api';
import { csvRecords } from '../bulk/csv-records';
import { eachPageUpTo, queryAllRecords, type SalesforceRecord } from '../query-pages';
import { text, toIsoDateTime } from '../record-values';
import { ARCHIVED_OBJECTS, fieldsOf, type SyncedObject } from '../salesforce-objects';
import { chunk, dateTimeLiteral, IN_LIST_SIZE, inList } from '../soql';
import { DEFAULT_BULK_QUERY_THRESHOLD, type RunContext } from './run-context';
import { noteModstamps } from './store-records';
import type { StoredCursor } from './sync-cursor';

function select(ctx: RunContext, object: SyncedObject): string {
  return `SELECT ${fieldsOf(object, ctx.features).join(', ')} FROM ${object}`;
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
 * The rows of `soql`, a batch at a time: SOQL pages, or — when the first page says the query has more than
 * the bulk threshold rows — one Bulk API 2.0 query job (`queryAll` for scanAll), its CSV pages turned into the
 * same record shapes (csv-records.ts). A Bulk query needs no ORDER BY: the rows are sorted by nothing here.
 */
async function readRows(
  ctx: RunContext,
  soql: string,
  onRows: (rows: SalesforceRecord[]) => Promise<void> | void,
  options: { scanAll?: boolean; cursor?: StoredCursor } = {},
): Promise<'soql' | 'bulk'> {
  const { sf, caller, bulk = {} } = ctx.options;
  // Rows the cursor already saw at its instant are counted in totalSize but dropped (unseen): a mass update
  // that shares one second must not send every following incremental read through a Bulk job.
  const above =
    (bulk.queryThreshold ?? DEFAULT_BULK_QUERY_THRESHOLD) + (options.cursor?.idsAtSince.length ?? 0);
  const paged = await eachPageUpTo(sf, caller, soql, onRows, {
    scanAll: options.scanAll,
    above: Number.isFinite(above) ? above : undefined,
  });
  if (!paged.stopped) return 'soql';
  const job = await bulkQuery(
    sf,
    caller,
    soql.replace(/ ORDER BY [^)]*$/, ''),
    (page) => onRows(csvRecords(page.header, page.rows)),
    { ...bulk, scanAll: options.scanAll, pageSize: bulk.pageSize },
  );
  ctx.report.bulk.queryJobs++;
  ctx.report.bulk.polls += job.calls.polls;
  return 'bulk';
}

/**
 * Every row of `object` (since `cursor` when given: `SystemModstamp >= cursor`, minus the rows the cursor saw
 * at its instant), page by page; the newest SystemModstamp seen becomes the object's next cursor.
 */
export async function readObject(
  ctx: RunContext,
  object: SyncedObject,
  cursor: StoredCursor | undefined,
  onPage: (rows: SalesforceRecord[]) => Promise<unknown> | void,
): Promise<void> {
  const scanAll = ARCHIVED_OBJECTS.has(object);
  const conditions = [
    ...(scanAll ? ['IsDeleted = false'] : []),
    ...(cursor === undefined ? [] : [`SystemModstamp >= ${dateTimeLiteral(cursor.since)}`]),
  ];
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  const soql = `${select(ctx, object)}${where} ORDER BY SystemModstamp, Id`;
  const { onProgress } = ctx.options;
  ctx.report.bulk.readVia[object] = await readRows(
    ctx,
    soql,
    async (page) => {
      const rows = unseen(page, cursor);
      if (rows.length === 0) return;
      noteModstamps(ctx, object, rows);
      ctx.report.read[object] += rows.length;
      onProgress?.({ phase: object, read: ctx.report.read[object] });
      await onPage(rows);
    },
    { cursor, scanAll },
  );
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
  const all: SalesforceRecord[] = [];
  await readRows(ctx, soql, (page) => void all.push(...page), { scanAll: true, cursor });
  const rows = unseen(all, cursor);
  noteModstamps(ctx, object, rows);
  return rows;
}

/**
 * Rows of `object` whose `field` is one of `ids`, in IN lists of IN_LIST_SIZE; `and` adds a condition, `fields`
 * replaces the object's field list.
 */
export async function readWhereIn(
  ctx: RunContext,
  object: SyncedObject,
  field: string,
  ids: Iterable<string>,
  options: { and?: string; fields?: readonly string[] } = {},
): Promise<SalesforceRecord[]> {
  const rows: SalesforceRecord[] = [];
  const fields =
    options.fields === undefined ? select(ctx, object) : `SELECT ${options.fields.join(', ')} FROM ${object}`;
  const and = options.and === undefined ? '' : ` AND ${options.and}`;
  for (const part of chunk([...new Set(ids)], IN_LIST_SIZE)) {
    const soql = `${fields} WHERE ${field} IN ${inList(part)}${and} ORDER BY Id`;
    rows.push(...(await queryAllRecords(ctx.options.sf, ctx.options.caller, soql)));
  }
  return rows;
}

/**
 * Sets `object`'s cursor to its newest SystemModstamp (and the ids at it) without reading its rows: two short
 * queries, for an object a full sync reads through another (Account, through its contacts) but whose later
 * changes an incremental sync must see.
 */
export async function noteNewestStamp(ctx: RunContext, object: SyncedObject): Promise<void> {
  const { sf, caller } = ctx.options;
  const top = await queryAllRecords(
    sf,
    caller,
    `SELECT Id, SystemModstamp FROM ${object} ORDER BY SystemModstamp DESC, Id DESC LIMIT 1`,
  );
  const raw = top.length === 0 ? undefined : text(top[0], 'SystemModstamp');
  const newest = raw === undefined ? undefined : toIsoDateTime(raw);
  if (newest === undefined) return;
  // Every row of the newest stamp's second (a literal has whole seconds; the rest are filtered by advance()).
  const rows = await queryAllRecords(
    sf,
    caller,
    `SELECT Id, SystemModstamp FROM ${object} WHERE SystemModstamp >= ${dateTimeLiteral(newest)} ORDER BY SystemModstamp, Id`,
  );
  noteModstamps(ctx, object, rows);
}
