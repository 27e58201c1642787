/**
 * Bulk API 2.0 query results (CSV, every value a string, null an empty cell, dateTimes
 * `2024-01-05T10:00:00.000Z`, parent fields as dotted headers such as `Account.Name`; NOTES §2.5) as the
 * records a SOQL query returns (NOTES §2.1, §4): numbers and booleans as JSON values, dateTimes
 * `…+0000`, dates `YYYY-MM-DD`, empty fields null, parent fields nested (`{ Account: { Name } }`, null when the
 * parent is absent). The mappers see the same shapes whichever way a table was read.
 */
import type { SalesforceRecord } from '../query-pages';
import { toIsoDateTime } from '../record-values';

export type FieldKind = 'number' | 'boolean' | 'datetime' | 'text';

/** Non-text fields of what a sync selects (salesforce-objects.ts); every other field is text (dates too). */
export const FIELD_KINDS: Readonly<Record<string, FieldKind>> = {
  Quantity: 'number',
  UnitPrice: 'number',
  TotalPrice: 'number',
  Amount: 'number',
  IsActive: 'boolean',
  IsPrimary: 'boolean',
  IsWon: 'boolean',
  IsClosed: 'boolean',
  IsDeleted: 'boolean',
  HasResponded: 'boolean',
  ActualCost: 'number',
  BudgetedCost: 'number',
  ActivityDateTime: 'datetime',
  CompletedDateTime: 'datetime',
  CreatedDate: 'datetime',
  LastModifiedDate: 'datetime',
  SystemModstamp: 'datetime',
  ClosedDate: 'datetime',
};

/** One CSV cell as the JSON value SOQL gives for a field of this kind; a value that does not parse stays text. */
export function cellValue(kind: FieldKind, raw: string): unknown {
  if (raw === '') return null;
  switch (kind) {
    case 'number': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'datetime': {
      const iso = toIsoDateTime(raw);
      return iso === undefined ? raw : iso.replace(/Z$/, '+0000');
    }
    case 'text':
      return raw;
  }
}

function emptyAsNull(parent: Record<string, unknown>): Record<string, unknown> | null {
  for (const [name, value] of Object.entries(parent))
    if (value !== null && typeof value === 'object')
      parent[name] = emptyAsNull(value as Record<string, unknown>);
  return Object.values(parent).every((v) => v === null) ? null : parent;
}

/** Rows (without the header) as SOQL-shaped records; `kinds` maps a field's last name to its kind. */
export function csvRecords(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  kinds: Readonly<Record<string, FieldKind>> = FIELD_KINDS,
): SalesforceRecord[] {
  const paths = header.map((name) => name.split('.'));
  return rows.map((row) => {
    const record: SalesforceRecord = {};
    paths.forEach((path, i) => {
      const value = cellValue(kinds[path[path.length - 1]] ?? 'text', row[i] ?? '');
      let target: Record<string, unknown> = record;
      for (const part of path.slice(0, -1)) {
        const next = target[part];
        if (next === null || typeof next !== 'object') target[part] = {};
        target = target[part] as Record<string, unknown>;
      }
      target[path[path.length - 1]] = value;
    });
    // A parent whose every field is empty is no parent: SOQL returns null for it (at any depth).
    for (const [name, value] of Object.entries(record))
      if (value !== null && typeof value === 'object')
        record[name] = emptyAsNull(value as Record<string, unknown>);
    return record;
  });
}
