/**
 * Query results page by page with query + queryMore, never autoFetch: autoFetch stops at maxFetch (10,000 by
 * default) and still reports done:true (NOTES §2.1, §8). Each page is handed on before the next is fetched,
 * so memory holds one page (≤2,000 records).
 */
import type { SalesforceCaller } from './salesforce-caller';
import type { SalesforceConnection } from './create-connection';

export type SalesforceRecord = Record<string, unknown> & { Id?: unknown };

type Page = { records?: SalesforceRecord[]; done?: boolean; nextRecordsUrl?: string; totalSize?: number };

/**
 * Calls onPage for every page of `soql`; `scanAll` reads deleted and archived rows too (/queryAll, NOTES
 * §2.1). Returns the number of records read.
 */
export async function eachPage(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  soql: string,
  onPage: (records: SalesforceRecord[]) => Promise<void> | void,
  options: { scanAll?: boolean } = {},
): Promise<number> {
  return (await eachPageUpTo(sf, caller, soql, onPage, options)).read;
}

export type PagedRead = { read: number; totalSize: number; stopped: boolean };

/**
 * eachPage, unless the first page's totalSize (the query's row count, NOTES §2.1) is above `above`: then
 * nothing is handed on and `stopped` is true, so the caller can read the rows another way (Bulk API 2.0) at
 * the cost of this one call. The count comes with the first page, so a query below the threshold costs no
 * extra call.
 */
export async function eachPageUpTo(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  soql: string,
  onPage: (records: SalesforceRecord[]) => Promise<void> | void,
  options: { scanAll?: boolean; above?: number } = {},
): Promise<PagedRead> {
  // Awaiting a jsforce Query runs it; without autoFetch it resolves to the first page only (NOTES §2.1).
  let page = await caller.call(
    async () =>
      (await sf.conn.query(soql, { autoFetch: false, scanAll: options.scanAll ?? false })) as unknown as Page,
  );
  const totalSize = page.totalSize ?? 0;
  if (options.above !== undefined && totalSize > options.above) return { read: 0, totalSize, stopped: true };
  let read = 0;
  for (;;) {
    const records = page.records ?? [];
    read += records.length;
    if (records.length > 0) await onPage(records);
    if (page.done !== false || page.nextRecordsUrl === undefined) break;
    const next = page.nextRecordsUrl;
    page = await caller.call(async () => (await sf.conn.queryMore(next)) as unknown as Page);
  }
  return { read, totalSize, stopped: false };
}

/** Every record of `soql` in one array: for short lookups (ids of one IN list), not whole tables. */
export async function queryAllRecords(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  soql: string,
  options: { scanAll?: boolean } = {},
): Promise<SalesforceRecord[]> {
  const out: SalesforceRecord[] = [];
  await eachPage(sf, caller, soql, (records) => void out.push(...records), options);
  return out;
}
