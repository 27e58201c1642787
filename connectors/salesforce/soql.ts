/**
 * SOQL pieces built in one place (NOTES §2.2, §4 "SOQL literals"): datetime literals are unquoted UTC, ids are
 * quoted, and IN lists are chunked so a query URL stays far below Salesforce's limits.
 */

/** Ids per IN (…) list: 200 × 21 characters keeps the GET URL under ~5 KB, well below the 16 KB URI cap. */
export const IN_LIST_SIZE = 200;

/** `2024-01-05T10:00:00Z` from any ISO datetime (SystemModstamp has whole seconds). */
export function dateTimeLiteral(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a datetime: ${iso}`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Salesforce ids are [A-Za-z0-9]{15,18}; anything else is refused rather than quoted into a query. */
export function idLiteral(id: string): string {
  if (!/^[A-Za-z0-9]{15,18}$/.test(id)) throw new RangeError(`not a Salesforce id: '${id}'`);
  return `'${id}'`;
}

export function inList(ids: readonly string[]): string {
  return `(${ids.map(idLiteral).join(', ')})`;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
