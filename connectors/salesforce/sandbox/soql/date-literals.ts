/**
 * SOQL date literals as ranges of whole days, in UTC (the sandbox's users all live in GMT): TODAY is
 * [today 00:00, tomorrow 00:00); LAST_N_DAYS:n "starts with the current day and continues for the past n
 * days" (SOQL reference, date formats and date literals), so it is [today − n days, tomorrow). A comparison
 * against a range: `=` inside, `>` after its end, `>=` from its start, `<` before its start, `<=` before its end.
 */

const DAY_MS = 86_400_000;

export type DayRange = { startMs: number; endMs: number };

export function dateLiteralRange(name: string, n: number | undefined, nowMs: number): DayRange {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  switch (name) {
    case 'TODAY':
      return { startMs: today, endMs: today + DAY_MS };
    case 'YESTERDAY':
      return { startMs: today - DAY_MS, endMs: today };
    case 'TOMORROW':
      return { startMs: today + DAY_MS, endMs: today + 2 * DAY_MS };
    case 'LAST_N_DAYS':
      return { startMs: today - (n ?? 0) * DAY_MS, endMs: today + DAY_MS };
    case 'NEXT_N_DAYS':
      return { startMs: today + DAY_MS, endMs: today + (1 + (n ?? 0)) * DAY_MS };
    default:
      throw new RangeError(`unknown date literal ${name}`);
  }
}

/** `YYYY-MM-DD` of a UTC instant. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Milliseconds of a datetime in any form the sandbox stores or SOQL accepts (`…Z`, `…+0000`, `…+01:00`). */
export function datetimeMs(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
