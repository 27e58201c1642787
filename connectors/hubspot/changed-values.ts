/**
 * Only changed values are written (DESIGN: "Values are written only when they change"): every write is a
 * property change that costs API calls and may re-enrol workflows (NOTES §7), so an unchanged customer must
 * cost nothing. Numbers are compared after rounding to the precision written, so model noise below the
 * written precision is not a change.
 */
import { CLV_PROPERTIES, type PropertyType } from './property-contract';
import { toIsoDateTime } from './property-values';

/** Decimal places written per number property (currency 2, Number(8,2) 2, probabilities 4). */
export const WRITE_PRECISION: Readonly<Record<string, number>> = {
  clv_predicted_12m: 2,
  clv_historic: 2,
  clv_expected_orders_12m: 2,
  clv_p_alive: 4,
  clv_churn_probability: 4,
};

/**
 * Written with a batch only when another property of the contact changed: it differs on every run, so
 * diffing it would make every contact "changed" and defeat the point.
 */
export const COMPANION_PROPERTIES: ReadonlySet<string> = new Set(['clv_scored_at']);

/** A value to write: null clears the property (written as "", NOTES §4.5); undefined leaves it alone. */
export type WantedValue = string | number | Date | null | undefined;
export type WantedValues = Readonly<Record<string, WantedValue>>;
/** What was last written successfully, as the strings sent. */
export type WrittenValues = Readonly<Record<string, string>>;

export type ContactUpdate = { id: string; properties: Record<string, string> };

/** HubSpot's batch limit (NOTES §4.1: "limited to 100 inputs per request"). */
export const BATCH_INPUT_LIMIT = 100;

/**
 * The string written for a value: numbers rounded to WRITE_PRECISION (half away from zero, via toFixed on
 * the scaled value), dates as ISO strings, null as "".
 * Example: formatPropertyValue('clv_p_alive', 0.123456) → "0.1235"
 */
export function formatPropertyValue(name: string, value: Exclude<WantedValue, undefined>): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    const digits = WRITE_PRECISION[name];
    return String(digits === undefined ? value : roundTo(value, digits));
  }
  return value;
}

function roundTo(value: number, digits: number): number {
  const rounded = Number((Math.abs(value) * 10 ** digits + 1e-9).toFixed(0)) / 10 ** digits;
  const signed = value < 0 ? -rounded : rounded;
  return Object.is(signed, -0) ? 0 : signed;
}

function sameValue(name: string, next: string, previous: string | undefined): boolean {
  if (previous === undefined) return next === '';
  if (next === previous) return true;
  if (WRITE_PRECISION[name] !== undefined && next !== '' && previous.trim() !== '') {
    const a = Number(next);
    const b = Number(previous);
    if (Number.isFinite(a) && Number.isFinite(b)) return a === roundTo(b, WRITE_PRECISION[name]);
  }
  return false;
}

/**
 * The properties of one contact whose formatted value differs from the last written one; {} when nothing
 * changed. Companion properties are added only when something else changed.
 */
export function changedProperties(
  wanted: WantedValues,
  lastWritten: WrittenValues | undefined,
): Record<string, string> {
  const changed: Record<string, string> = {};
  let anyChange = false;
  for (const [name, value] of Object.entries(wanted)) {
    if (value === undefined || COMPANION_PROPERTIES.has(name)) continue;
    const next = formatPropertyValue(name, value);
    if (sameValue(name, next, lastWritten?.[name])) continue;
    changed[name] = next;
    anyChange = true;
  }
  if (!anyChange) return {};
  for (const name of COMPANION_PROPERTIES) {
    const value = wanted[name];
    if (value !== undefined) changed[name] = formatPropertyValue(name, value);
  }
  return changed;
}

/** Batch-update inputs for the contacts with at least one changed value, in input order. */
export function contactUpdates(
  wanted: Iterable<readonly [contactId: string, values: WantedValues]>,
  lastWritten: (contactId: string) => WrittenValues | undefined,
): ContactUpdate[] {
  const updates: ContactUpdate[] = [];
  for (const [id, values] of wanted) {
    const properties = changedProperties(values, lastWritten(id));
    if (Object.keys(properties).length > 0) updates.push({ id, properties });
  }
  return updates;
}

/** Splits inputs into batches of at most `size` (default 100, NOTES §4.1). */
export function chunk<T>(items: readonly T[], size = BATCH_INPUT_LIMIT): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batch size must be a whole number ≥ 1, got ${size}`);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/** Last-written values after a successful batch: merge what was sent into what was known. */
export function mergeWritten(
  previous: WrittenValues | undefined,
  sent: Readonly<Record<string, string>>,
): WrittenValues {
  return { ...(previous ?? {}), ...sent };
}

const CONTRACT_TYPES: ReadonlyMap<string, PropertyType> = new Map(
  CLV_PROPERTIES.map((p) => [p.name, p.type]),
);

/**
 * A value HubSpot holds, in the text a write of it is recorded as (formatPropertyValue's form): numbers
 * rounded to WRITE_PRECISION, datetimes as ISO strings, dates as YYYY-MM-DD, an absent value as "". HubSpot
 * may hand back "12.50" for "12.5" or epoch ms for a datetime, so comparing raw text would call a write
 * that landed a different value. A value that does not parse as its type is returned as held (and so
 * compares unequal to anything written).
 * Example: heldAsWritten('clv_p_alive', '0.12340') → "0.1234"
 */
export function heldAsWritten(name: string, held: string | null | undefined): string {
  if (held === undefined || held === null || held.trim() === '') return '';
  switch (CONTRACT_TYPES.get(name)) {
    case 'number': {
      const value = Number(held);
      return Number.isFinite(value) ? formatPropertyValue(name, value) : held;
    }
    case 'datetime':
      return toIsoDateTime(held.trim()) ?? held;
    case 'date': {
      const trimmed = held.trim();
      if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return trimmed;
      return toIsoDateTime(trimmed)?.slice(0, 10) ?? held;
    }
    default:
      return held;
  }
}
