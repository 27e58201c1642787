/**
 * Validation of written property values against the portal's definitions (NOTES §4.5 value formats, §7: an
 * enumeration value must be one of the property's options). Returns normalised values (datetimes stored as
 * ISO strings, as HubSpot returns them) or the problems, each naming its property (propertyValuesError turns
 * them into HubSpot's 400 body, §4.7). Values must be strings, numbers or booleans (checkValueTypes).
 */

import { invalidInputJsonError, type JsonValueKind, type PropertyValueProblem } from './hubspot-error';
import type { PropertyDefinition } from './types';

export type PropertyProblem = PropertyValueProblem;

export type ValidatedValues =
  { ok: true; values: Record<string, string> } | { ok: false; problems: PropertyProblem[] };

function normaliseDatetime(value: string): string | undefined {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function normaliseDate(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && Number.isFinite(Date.parse(value))) return value;
  // Dates as epoch ms must be midnight UTC (NOTES §4.5).
  if (/^\d+$/.test(value) && Number(value) % 86_400_000 === 0)
    return new Date(Number(value)).toISOString().slice(0, 10);
  return undefined;
}

function check(definition: PropertyDefinition, value: string): { value: string } | PropertyProblem {
  const name = definition.name;
  const invalid = (code: string, message: string): PropertyProblem => ({ name, code, message });
  if (value === '') return { value };
  switch (definition.type) {
    case 'enumeration': {
      // Multi-value checkboxes are ';'-separated; a leading ';' appends (NOTES §4.5).
      const parts = definition.fieldType === 'checkbox' ? value.split(';').filter((v) => v !== '') : [value];
      const allowed = new Set(definition.options.map((o) => o.value));
      const bad = parts.filter((v) => !allowed.has(v));
      if (bad.length > 0 && !definition.externalOptions) {
        return invalid(
          'INVALID_OPTION',
          `${bad[0]} was not one of the allowed options: [${[...allowed].join(', ')}]`,
        );
      }
      return { value };
    }
    case 'number':
      return Number.isFinite(Number(value))
        ? { value }
        : invalid('INVALID_DECIMAL', `${value} is not a valid decimal`);
    case 'datetime': {
      const iso = normaliseDatetime(value);
      return iso ? { value: iso } : invalid('INVALID_DATE', `${value} is not a valid datetime`);
    }
    case 'date': {
      const day = normaliseDate(value);
      return day ? { value: day } : invalid('INVALID_DATE', `${value} is not a valid date at midnight UTC`);
    }
    default:
      return { value };
  }
}

export function validatePropertyValues(
  definitions: Map<string, PropertyDefinition>,
  values: Record<string, unknown>,
): ValidatedValues {
  checkValueTypes(values, ['properties']); // routes check first with the input's full path; this is the backstop
  const out: Record<string, string> = {};
  const problems: PropertyProblem[] = [];
  for (const [name, raw] of Object.entries(values)) {
    const definition = definitions.get(name);
    if (!definition || definition.archived) {
      problems.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (definition.modificationMetadata.readOnlyValue) {
      problems.push({ name, code: 'READ_ONLY_VALUE', message: `Property "${name}" is read-only` });
      continue;
    }
    // checkValueTypes ran first: raw is a string, number, boolean or null (null clears, like "").
    const value = raw === null || raw === undefined ? '' : String(raw);
    const result = check(definition, value);
    if ('code' in result) problems.push(result);
    else out[name] = result.value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values: out };
}

/**
 * Throws HubSpot's 400 for a `properties` that is not a JSON object or a value that is neither a string, a number,
 * a boolean nor null: HubSpot binds `properties` to a map of strings (numbers and booleans become their text), so
 * an object or array value is refused before any validation, for the whole request (invalidInputJsonError).
 * `path` locates `properties` in the body, e.g. ['inputs', 3, 'properties'].
 */
export function checkValueTypes(properties: unknown, path: readonly (string | number)[]): void {
  if (properties === undefined || properties === null) return;
  if (typeof properties !== 'object' || Array.isArray(properties))
    throw invalidInputJsonError(
      path,
      jsonKind(properties),
      'java.util.LinkedHashMap<java.lang.String,java.lang.String>',
    );
  for (const [name, value] of Object.entries(properties)) {
    if (value !== null && typeof value === 'object')
      throw invalidInputJsonError([...path, name], jsonKind(value), 'java.lang.String');
  }
}

function jsonKind(value: unknown): JsonValueKind {
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'boolean') return 'Boolean';
  return 'Object';
}
