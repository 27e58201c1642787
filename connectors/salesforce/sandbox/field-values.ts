/**
 * Checks the values of one record write against its sObject's fields and returns them in stored form, or the
 * per-record errors Salesforce would report. Input formats (NOTES §4 "REST JSON input"): dateTime
 * `yyyy-MM-ddTHH:mm:ss(.SSS)(Z|±HH:mm)`, date `yyyy-MM-dd` without offset; `null` clears a field (NOTES §2.3).
 * Status codes: INVALID_FIELD (unknown field), INVALID_FIELD_FOR_INSERT_UPDATE (read-only), REQUIRED_FIELD_MISSING,
 * INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, INVALID_TYPE_ON_FIELD_IN_RECORD, STRING_TOO_LONG,
 * INVALID_CROSS_REFERENCE_KEY ([U] for message wording).
 */

import { findRecord, fieldDef, sfDatetime, type OrgStore } from './org-store';
import type { RecordError } from './salesforce-error';
import { normalizeId } from './salesforce-ids';
import type { FieldDef, SObjectDef } from './sobject-schema';

const DATETIME_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;
const DATE_INPUT = /^\d{4}-\d{2}-\d{2}$/;

export type CheckedValues = { values: Record<string, unknown>; errors: RecordError[] };

/** Keys jsforce and Salesforce clients put beside the values: never fields. */
const NOT_FIELDS = new Set(['attributes', 'id', 'Id']);

export function checkValues(
  store: OrgStore,
  def: SObjectDef,
  input: Record<string, unknown>,
  mode: 'create' | 'update',
): CheckedValues {
  const values: Record<string, unknown> = {};
  const errors: RecordError[] = [];
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (NOT_FIELDS.has(key)) continue;
    const field = fieldDef(def, key);
    if (!field) {
      errors.push({
        statusCode: 'INVALID_FIELD',
        message: `No such column '${key}' on sobject of type ${def.name}`,
        fields: [key],
      });
      continue;
    }
    if (!(mode === 'create' ? field.createable : field.updateable)) {
      readOnly.push(field.name);
      continue;
    }
    const checked = checkValue(store, def, field, raw);
    if ('error' in checked) errors.push(checked.error);
    else values[field.name] = checked.value;
  }
  if (readOnly.length > 0)
    errors.push({
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: readOnly,
    });
  if (mode === 'create') {
    const missing = def.required.filter((name) => values[name] === undefined || values[name] === null);
    if (missing.length > 0)
      errors.push({
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: `Required fields are missing: [${missing.join(', ')}]`,
        fields: missing,
      });
  }
  return { values, errors };
}

function typeError(field: FieldDef, raw: unknown): { error: RecordError } {
  return {
    error: {
      statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      message: `${field.label}: value not of required type: ${typeof raw === 'string' ? raw : JSON.stringify(raw)}`,
      fields: [field.name],
    },
  };
}

function checkValue(
  store: OrgStore,
  def: SObjectDef,
  field: FieldDef,
  raw: unknown,
): { value: unknown } | { error: RecordError } {
  if (raw === null) {
    if (!field.nillable)
      return {
        error: {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: `Required fields are missing: [${field.name}]`,
          fields: [field.name],
        },
      };
    return { value: null };
  }
  switch (field.type) {
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      // Salesforce's JSON reader also takes numeric strings for number fields.
      const n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (field.type === 'int' && !Number.isInteger(n))) return typeError(field, raw);
      const digits = (field.precision ?? 18) - (field.scale ?? 0);
      if (Math.abs(n) >= 10 ** digits)
        return {
          error: {
            statusCode: 'NUMBER_OUTSIDE_VALID_RANGE',
            message: `${field.label}: value outside of valid range on numeric field: ${n}`,
            fields: [field.name],
          },
        };
      return { value: n };
    }
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : typeError(field, raw);
    case 'date':
      return typeof raw === 'string' && DATE_INPUT.test(raw) && !Number.isNaN(Date.parse(raw))
        ? { value: raw }
        : typeError(field, raw);
    case 'datetime': {
      if (typeof raw !== 'string' || !DATETIME_INPUT.test(raw)) return typeError(field, raw);
      const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      return Number.isNaN(ms) ? typeError(field, raw) : { value: sfDatetime(ms) };
    }
    case 'reference': {
      const id = typeof raw === 'string' ? normalizeId(raw) : undefined;
      const target = id && findRecord(store, id);
      if (
        !id ||
        !target ||
        target.record.IsDeleted ||
        (field.referenceTo && !referenceFits(field, target.type))
      )
        return {
          error: {
            statusCode: id ? 'INVALID_CROSS_REFERENCE_KEY' : 'MALFORMED_ID',
            message: id
              ? `${field.label}: id value of incorrect type: ${String(raw)}`
              : `${field.label}: id value of incorrect type: ${String(raw)}`,
            fields: [field.name],
          },
        };
      return { value: id };
    }
    case 'picklist': {
      if (typeof raw !== 'string') return typeError(field, raw);
      if (field.restrictedPicklist && !(field.picklistValues ?? []).includes(raw))
        return {
          error: {
            statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            message: `${field.label}: bad value for restricted picklist field: ${raw}`,
            fields: [field.name],
          },
        };
      return { value: raw };
    }
    default: {
      if (typeof raw !== 'string') return typeError(field, raw);
      const max = field.length ?? 255;
      if (raw.length > max)
        return {
          error: {
            statusCode: 'STRING_TOO_LONG',
            message: `${field.label}: data value too large: ${raw.slice(0, 40)} (max length=${max})`,
            fields: [field.name],
          },
        };
      void def;
      return { value: raw };
    }
  }
}

/** WhoId and WhatId are polymorphic in Salesforce; the sandbox accepts Contact/User and Opportunity/Account. */
function referenceFits(field: FieldDef, type: string): boolean {
  if (field.name === 'WhoId') return type === 'Contact';
  if (field.name === 'WhatId') return type === 'Opportunity' || type === 'Account';
  return field.referenceTo === type;
}
