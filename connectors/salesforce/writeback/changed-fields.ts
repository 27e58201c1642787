/**
 * Only changed values are written (DESIGN: "Values are written only when they change"): every update fires the
 * org's automation (validation rules, flows, NOTES §5.2) and costs API calls, so an unchanged contact costs
 * nothing. Values are compared as the text written (field-values.ts), after rounding to the field's scale.
 */
import type { FieldValues, WrittenFields } from '../../crm-adapter';
import { COMPANION_FIELDS, CONTRACT_BY_NAME } from './contract-fields';
import { salesforceValue } from './field-values';

export type ContactUpdate = {
  id: string;
  /** Contract name → text, as recorded when confirmed. */
  texts: Record<string, string>;
  /** Contact field → JSON value sent. */
  fields: Record<string, string | number | null>;
};

/** The update for one contact, or undefined when nothing changed; unknown contract names are ignored. */
export function contactUpdate(
  id: string,
  wanted: FieldValues,
  lastWritten: WrittenFields | undefined,
): ContactUpdate | undefined {
  const update: ContactUpdate = { id, texts: {}, fields: {} };
  const add = (name: string): boolean => {
    const field = CONTRACT_BY_NAME.get(name);
    const value = wanted[name];
    if (field === undefined || value === undefined) return false;
    const next = salesforceValue(field, value);
    const previous = lastWritten?.[name] ?? '';
    if (next.text === previous) return false;
    update.texts[name] = next.text;
    update.fields[field.field] = next.json;
    return true;
  };
  let changed = false;
  for (const name of Object.keys(wanted)) if (!COMPANION_FIELDS.has(name) && add(name)) changed = true;
  if (!changed) return undefined;
  for (const name of COMPANION_FIELDS) {
    const field = CONTRACT_BY_NAME.get(name);
    const value = wanted[name];
    if (field === undefined || value === undefined) continue;
    const next = salesforceValue(field, value);
    update.texts[name] = next.text;
    update.fields[field.field] = next.json;
  }
  return update;
}
