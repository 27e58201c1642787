/**
 * Hand-written ISO 8601 parser for the import's hot path (Date.parse is slower and accepts too much).
 * Accepts yyyy-mm-dd, yyyymmdd (CDNOW), and a time `THH:MM[:SS[.fff]]` (or a space instead of T) with an
 * optional zone `Z`, `±HH:MM` or `±HHMM`. A time without a zone is taken as UTC. Returns epoch ms, NaN when
 * the text is not such a date or not a real calendar day.
 */

export const MS_PER_DAY = 86_400_000;

export function parseTimestamp(raw: string): number {
  let s = raw;
  if (s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32)) s = s.trim();
  const n = s.length;
  if (n < 8) return NaN;
  const y = digits(s, 0, 4);
  let m: number;
  let d: number;
  let i: number;
  if (s.charCodeAt(4) === 45) {
    if (n < 10 || s.charCodeAt(7) !== 45) return NaN;
    m = digits(s, 5, 2);
    d = digits(s, 8, 2);
    i = 10;
  } else {
    m = digits(s, 4, 2);
    d = digits(s, 6, 2);
    i = 8;
  }
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  let ms = daysFromCivil(y, m, d) * MS_PER_DAY;
  if (i === n) return ms;

  const sep = s.charCodeAt(i);
  if ((sep !== 84 && sep !== 32) || i + 6 > n || s.charCodeAt(i + 3) !== 58) return NaN;
  const hh = digits(s, i + 1, 2);
  const mm = digits(s, i + 4, 2);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return NaN;
  ms += (hh * 60 + mm) * 60_000;
  i += 6;
  if (i < n && s.charCodeAt(i) === 58) {
    const ss = digits(s, i + 1, 2);
    if (ss < 0 || ss > 59) return NaN;
    ms += ss * 1000;
    i += 3;
    if (i < n && s.charCodeAt(i) === 46) {
      i++;
      let scale = 100;
      const start = i;
      while (i < n) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return NaN;
      ms = Math.floor(ms);
    }
  }
  if (i === n) return ms;
  const z = s.charCodeAt(i);
  if (z === 90) return i + 1 === n ? ms : NaN;
  if (z !== 43 && z !== 45) return NaN;
  const oh = digits(s, i + 1, 2);
  let j = i + 3;
  if (j < n && s.charCodeAt(j) === 58) j++;
  const om = digits(s, j, 2);
  if (oh < 0 || oh > 23 || om < 0 || om > 59 || j + 2 !== n) return NaN;
  // Local time = UTC + offset, so UTC = local − offset.
  return ms - (z === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
}

/** UTC calendar day number (days since 1970-01-01) of an epoch-ms instant. */
export function utcDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** Civil date → days since 1970-01-01 (proleptic Gregorian; H. Hinnant, "chrono-compatible date algorithms"). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Value of `len` decimal digits at `at`, or -1 when any is not a digit (or out of range). */
function digits(s: string, at: number, len: number): number {
  if (at + len > s.length) return -1;
  let v = 0;
  for (let k = at; k < at + len; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
