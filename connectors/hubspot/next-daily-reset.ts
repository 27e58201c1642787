/**
 * The daily limit "resets at midnight in the account's time zone" (NOTES §4.6). Returns the next local
 * midnight after `now` as epoch ms, using Intl for the zone's offset (so DST days come out right).
 * Example: nextDailyReset(Date.parse('2026-11-26T12:00:00Z'), 'America/New_York') → 2026-11-27T05:00:00.000Z
 */
export function nextDailyReset(now: number, timeZone: string): number {
  const p = localParts(now, timeZone);
  const midnightAsUtc = Date.UTC(p.year, p.month - 1, p.day + 1);
  // Offset at the target instant, refined once: the first guess uses the offset at `now`, which differs
  // when a DST change falls between now and midnight.
  let guess = midnightAsUtc - offsetAt(now, timeZone);
  guess = midnightAsUtc - offsetAt(guess, timeZone);
  return guess;
}

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function localParts(t: number, timeZone: string): Parts {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const out: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(t)))
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  return {
    year: out.year,
    month: out.month,
    day: out.day,
    hour: out.hour,
    minute: out.minute,
    second: out.second,
  };
}

/** Local time minus UTC at instant t, in ms (whole seconds; HubSpot zones have no sub-second offsets). */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(t, timeZone);
  const localAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return localAsUtc - Math.floor(t / 1000) * 1000;
}
