/**
 * Reads HubSpot's whole-batch 400 for invalid property values (NOTES §4.1, §4.7, §7): the body's message is
 * `Property values were not valid: ` followed by a JSON list of `{ isValid, message, error, name, … }`, one per
 * problem. It names the property (`name`), never the record; the invalid value appears only inside `message`
 * for INVALID_OPTION ("seg-x was not one of the allowed options: [a, b]", as in a real answer quoted in
 * gregorspan/csc-frodx#21), so it is taken from there when present.
 */

export type RejectedPropertyValue = {
  property: string;
  /** HubSpot's code, e.g. INVALID_OPTION, PROPERTY_DOESNT_EXIST. */
  code?: string;
  message?: string;
  /** The refused value, when the entry says it. */
  value?: string;
};

const PREFIX = 'Property values were not valid: ';
const INVALID_OPTION_VALUE = /^([\s\S]*?) was not one of the allowed options/;

/**
 * The problems listed in a 400's message; undefined when the message is not a property-values answer, [] when it
 * is but its list cannot be read (the caller then knows neither properties nor values).
 * Example: rejectedPropertyValues('Property values were not valid: [{"isValid":false,"message":"x was not one of
 *   the allowed options: [a]","error":"INVALID_OPTION","name":"clv_segment"}]')
 *   → [{ property: 'clv_segment', code: 'INVALID_OPTION', message: 'x was not …', value: 'x' }]
 */
export function rejectedPropertyValues(message: string | undefined): RejectedPropertyValue[] | undefined {
  if (message === undefined || !message.startsWith(PREFIX)) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(message.slice(PREFIX.length));
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const out: RejectedPropertyValue[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    if (typeof entry.name !== 'string' || entry.name === '') continue;
    const code = typeof entry.error === 'string' ? entry.error : undefined;
    const text = typeof entry.message === 'string' ? entry.message : undefined;
    const value =
      typeof entry.value === 'string'
        ? entry.value
        : code === 'INVALID_OPTION' && text !== undefined
          ? INVALID_OPTION_VALUE.exec(text)?.[1]
          : undefined;
    out.push({
      property: entry.name,
      ...(code === undefined ? {} : { code }),
      ...(text === undefined ? {} : { message: text }),
      ...(value === undefined ? {} : { value }),
    });
  }
  return out;
}

/**
 * Codes that refuse a property whatever its value: every input writing that property fails, so write-back
 * need not bisect to find them.
 */
export const PROPERTY_LEVEL_CODES: ReadonlySet<string> = new Set([
  'PROPERTY_DOESNT_EXIST',
  'READ_ONLY_VALUE',
]);
