/**
 * Records as the REST API returns them: `attributes {type, url}` first, then the fields; parent lookups in a
 * query nest as `"Account": {"attributes": {…}, "Name": "Acme"}` or null (NOTES §2.1, [U] for nulls).
 */

import type { Request } from 'express';
import { findRecord, objectDef, type OrgStore, type SfRecord } from './org-store';
import type { ResolvedField } from './soql';

export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/${version}/sobjects/${type}/${id}`;
}

export function attributes(version: string, type: string, id: string) {
  return { type, url: recordUrl(version, type, id) };
}

/** The whole record (single-record GET), optionally only `fields`. */
export function wireRecord(version: string, type: string, record: SfRecord, fields?: string[]) {
  const out: Record<string, unknown> = { attributes: attributes(version, type, record.Id) };
  for (const name of fields ?? Object.keys(record)) out[name] = record[name] ?? null;
  return out;
}

/** Follows the parent lookups of `field` from `record`; undefined parent → null. */
export function readPath(store: OrgStore, type: string, record: SfRecord, field: ResolvedField): unknown {
  let current: SfRecord | undefined = record;
  let currentType = type;
  for (let i = 0; i < field.parents.length; i++) {
    const parent = parentOf(store, currentType, current, field.path[i]);
    if (!parent) return null;
    current = parent.record;
    currentType = parent.type;
  }
  return current[field.path[field.path.length - 1]] ?? null;
}

function parentOf(store: OrgStore, type: string, record: SfRecord, relationship: string) {
  const def = objectDef(store, type)!;
  for (const f of def.fields.values()) {
    if (f.relationshipName === relationship) {
      const id = record[f.name];
      return typeof id === 'string' ? findRecord(store, id) : undefined;
    }
  }
  return undefined;
}

/** A query row: only the selected fields, parents nested. */
export function wireQueryRow(
  store: OrgStore,
  version: string,
  type: string,
  record: SfRecord,
  fields: ResolvedField[],
) {
  const out: Record<string, unknown> = { attributes: attributes(version, type, record.Id) };
  for (const field of fields) {
    if (field.parents.length === 0) {
      out[field.path[0]] = record[field.path[0]] ?? null;
      continue;
    }
    let target = out;
    let current: { type: string; record: SfRecord } | undefined = { type, record };
    for (let i = 0; i < field.parents.length; i++) {
      const rel = field.path[i];
      const parent: { type: string; record: SfRecord } | undefined =
        current && parentOf(store, current.type, current.record, rel);
      if (target[rel] === undefined)
        target[rel] = parent ? { attributes: attributes(version, parent.type, parent.record.Id) } : null;
      if (target[rel] === null) break;
      target = target[rel] as Record<string, unknown>;
      current = parent;
      if (i === field.parents.length - 1) {
        const last = field.path[field.path.length - 1];
        target[last] = parent?.record[last] ?? null;
      }
    }
  }
  return out;
}

/** `v62.0` from a route under `/services/data/:version`. */
export function versionOf(req: Request): string {
  return (req.params as Record<string, string>).version;
}
