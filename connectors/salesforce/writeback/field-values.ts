/**
 * Contract values as Salesforce takes them (NOTES §2.3, §4 Formats) and as text: the JSON value sent (Percent
 * 0–100 from our 0–1, numbers rounded to the field's scale, Date `YYYY-MM-DD`, DateTime ISO, Text cut to its
 * length, Picklist the option value, null clears) and the text that write is recorded as. heldAsWritten turns
 * what a query returns into that same text, so a value read back compares equal to the value written.
 */
import type { FieldValue } from '../../crm-adapter';
import { toIsoDateTime } from '../record-values';
import type { ContractField } from './contract-fields';

export type SalesforceValue = { json: string | number | null; text: string };

/** Half away from zero at `digits` decimals, without -0 (the scaled toFixed avoids 1.005 → 1.00). */
export function roundTo(value: number, digits: number): number {
  const rounded = Number((Math.abs(value) * 10 ** digits + 1e-9).toFixed(0)) / 10 ** digits;
  const signed = value < 0 ? -rounded : rounded;
  return Object.is(signed, -0) ? 0 : signed;
}

/** Cut at a word with an ellipsis when there is one late enough, as domain/property-contract.ts does for 255. */
export function cutText(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > length * 0.8 ? cut.slice(0, space) : cut}…`;
}

const CLEARED: SalesforceValue = { json: null, text: '' };

function number(field: ContractField, value: number): SalesforceValue {
  if (!Number.isFinite(value)) return CLEARED;
  const scaled = field.type === 'Percent' ? value * 100 : value;
  const rounded = field.scale === undefined ? scaled : roundTo(scaled, field.scale);
  return { json: rounded, text: String(rounded) };
}

/**
 * Example: salesforceValue({ type: 'Percent', scale: 2, … }, 0.12345) → { json: 12.35, text: '12.35' }
 */
export function salesforceValue(
  field: ContractField,
  value: Exclude<FieldValue, undefined>,
): SalesforceValue {
  if (value === null) return CLEARED;
  switch (field.type) {
    case 'Percent':
    case 'Currency':
    case 'Number': {
      const n = typeof value === 'number' ? value : value instanceof Date ? NaN : Number(value);
      return number(field, n);
    }
    case 'Date': {
      const iso = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : '';
      const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso : toIsoDateTime(iso)?.slice(0, 10);
      return date === undefined ? CLEARED : { json: date, text: date };
    }
    case 'DateTime': {
      const iso = value instanceof Date ? value.toISOString() : toIsoDateTime(String(value));
      return iso === undefined ? CLEARED : { json: iso, text: iso };
    }
    case 'Text': {
      const text = cutText(String(value), field.length ?? 255);
      return text === '' ? CLEARED : { json: text, text };
    }
    case 'Picklist': {
      const text = String(value);
      return text === '' ? CLEARED : { json: text, text };
    }
  }
}

/** A value a query returned, as the text a write of it is recorded as; "" when empty. */
export function heldAsWritten(field: ContractField, held: unknown): string {
  if (held === null || held === undefined || held === '') return '';
  switch (field.type) {
    case 'Percent':
    case 'Currency':
    case 'Number': {
      const n = typeof held === 'number' ? held : Number(held);
      if (!Number.isFinite(n)) return String(held);
      return String(field.scale === undefined ? n : roundTo(n, field.scale));
    }
    case 'DateTime':
      return toIsoDateTime(String(held)) ?? String(held);
    default:
      return String(held);
  }
}
