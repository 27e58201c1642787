/**
 * Reading HubSpot property strings (NOTES §4.1: "All property values are strings"; §4.5: dates as
 * `YYYY-MM-DD` or midnight-UTC epoch ms, datetimes ISO-8601 or epoch ms). Each reader returns a tagged result
 * instead of throwing, so a mapper can turn a bad value into a rejection or a warning.
 */
export type Read<T> = { ok: true; value: T | undefined } | { ok: false; problem: string };

type Props = Record<string, string | null | undefined>;

/** Trimmed value, or undefined when absent or empty ("" clears a value in HubSpot, NOTES §4.5). */
export function text(props: Props, name: string): string | undefined {
  const raw = props[name];
  if (raw === undefined || raw === null) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** First non-empty of several property names (portals differ in which one they use). */
export function firstText(
  props: Props,
  names: readonly string[],
): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = text(props, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

export function readNumber(props: Props, name: string): Read<number> {
  const raw = text(props, name);
  if (raw === undefined) return { ok: true, value: undefined };
  const value = Number(raw);
  if (!Number.isFinite(value)) return { ok: false, problem: `${name}: expected a number, got '${raw}'` };
  return { ok: true, value };
}

/** Counters such as hs_analytics_num_visits; HubSpot may send "3.0". */
export function readCount(props: Props, name: string): Read<number> {
  const read = readNumber(props, name);
  if (!read.ok || read.value === undefined) return read;
  if (read.value < 0 || !Number.isInteger(read.value))
    return { ok: false, problem: `${name}: expected a whole number ≥ 0, got '${text(props, name)}'` };
  return read;
}

/** Datetime as ISO string (normalised through Date), from ISO-8601 or epoch ms. */
export function readDateTime(props: Props, name: string): Read<string> {
  const raw = text(props, name);
  if (raw === undefined) return { ok: true, value: undefined };
  const iso = toIsoDateTime(raw);
  if (iso === undefined)
    return {
      ok: false,
      problem: `${name}: expected an ISO-8601 datetime or epoch milliseconds, got '${raw}'`,
    };
  return { ok: true, value: iso };
}

/** Calendar date YYYY-MM-DD from `YYYY-MM-DD`, an ISO datetime, or midnight-UTC epoch ms. */
export function readDate(props: Props, name: string): Read<string> {
  const raw = text(props, name);
  if (raw === undefined) return { ok: true, value: undefined };
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00Z`)))
    return { ok: true, value: raw };
  const iso = toIsoDateTime(raw);
  if (iso === undefined) return { ok: false, problem: `${name}: expected a date YYYY-MM-DD, got '${raw}'` };
  return { ok: true, value: iso.slice(0, 10) };
}

export function toIsoDateTime(raw: string | Date | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw.toISOString();
  const ms = /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
