import type { ContactUpdate } from './changed-values';

/** An enumeration property as `GET /crm/v3/properties/contacts` returns it (NOTES §4.5); only what we use. */
export type EnumerationDefinition = { name: string; type: string; options?: readonly { value: string }[] };

/**
 * Values the updates would write to enumeration properties that have no such option yet, per property.
 * A batch update with an unknown option value fails as a whole (400 VALIDATION_ERROR, NOTES §4.1, §7), so
 * these options must be added (missingOptions) before the batches are sent. "" clears and needs no option.
 * Example: unknownOptionValues([{ id: '1', properties: { clv_segment: 'seg-9' } }], defs) → Map { clv_segment → {'seg-9'} }
 */
export function unknownOptionValues(
  updates: readonly ContactUpdate[],
  definitions: readonly EnumerationDefinition[],
): Map<string, Set<string>> {
  const known = new Map<string, Set<string>>();
  for (const d of definitions)
    if (d.type === 'enumeration') known.set(d.name, new Set((d.options ?? []).map((o) => o.value)));
  const unknown = new Map<string, Set<string>>();
  for (const update of updates) {
    for (const [name, value] of Object.entries(update.properties)) {
      const options = known.get(name);
      if (options === undefined || value === '') continue;
      // Multi-select values are ';'-separated (NOTES §4.5); our properties are single-select, but be exact.
      for (const part of value.split(';')) {
        if (part === '' || options.has(part)) continue;
        let set = unknown.get(name);
        if (set === undefined) unknown.set(name, (set = new Set()));
        set.add(part);
      }
    }
  }
  return unknown;
}
