/**
 * Reading fields of Salesforce REST records (NOTES §4 "Formats"): numbers and booleans are JSON values,
 * dateTimes `2024-01-05T10:00:00.000+0000`, dates `2024-01-05`, empty fields null. Each reader returns a
 * tagged result instead of throwing, so a mapper can turn a bad value into a rejection or a warning.
 */
import type { SalesforceRecord } from './query-pages';

export type Read<T> = { ok: true; value: T | undefined } | { ok: false; problem: string };

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

/** Trimmed text, or undefined when null, absent or empty. */
export function text(record: SalesforceRecord, name: string): string | undefined {
  const raw = record[name];
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A parent lookup of a query row (`Account` of `SELECT Account.BillingCity …`); undefined when null or absent. */
export function parentRecord(record: SalesforceRecord, relationship: string): SalesforceRecord | undefined {
  const parent = record[relationship];
  return parent !== null && typeof parent === 'object' && !Array.isArray(parent)
    ? (parent as SalesforceRecord)
    : undefined;
}

/** A date field as the ISO datetime of its midnight UTC (a date has no time of day). */
export function dateAsDateTime(date: string | undefined): string | undefined {
  return date === undefined ? undefined : `${date}T00:00:00.000Z`;
}

export function readNumber(record: SalesforceRecord, name: string): Read<number> {
  const raw = record[name];
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: undefined };
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isFinite(value)) return { ok: false, problem: `${name}: expected a number, got ${show(raw)}` };
  return { ok: true, value };
}

export function readBoolean(record: SalesforceRecord, name: string): Read<boolean> {
  const raw = record[name];
  if (raw === null || raw === undefined) return { ok: true, value: undefined };
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
  return { ok: false, problem: `${name}: expected true or false, got ${show(raw)}` };
}

/**
 * A Salesforce dateTime as an ISO string in UTC (`…+0000` has no colon, which Date.parse does not promise to
 * read, so the offset is normalised first).
 */
export function toIsoDateTime(raw: string): string | undefined {
  const normalised = raw.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/^\d{4}-\d{2}-\d{2}T/.test(normalised)) return undefined;
  const ms = Date.parse(normalised);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export function readDateTime(record: SalesforceRecord, name: string): Read<string> {
  const raw = text(record, name);
  if (raw === undefined) return { ok: true, value: undefined };
  const iso = toIsoDateTime(raw);
  if (iso === undefined)
    return {
      ok: false,
      problem: `${name}: expected a dateTime such as 2024-01-05T10:00:00.000+0000, got '${raw}'`,
    };
  return { ok: true, value: iso };
}

export function readDate(record: SalesforceRecord, name: string): Read<string> {
  const raw = text(record, name);
  if (raw === undefined) return { ok: true, value: undefined };
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00Z`)))
    return { ok: true, value: raw };
  return { ok: false, problem: `${name}: expected a date YYYY-MM-DD, got '${raw}'` };
}
