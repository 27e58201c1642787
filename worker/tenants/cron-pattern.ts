/**
 * A check of the cron patterns a tenant's schedule holds, at registration rather than when the scheduler first
 * reads them. Standard cron syntax (Vixie cron, what BullMQ's repeat `pattern` takes): five fields, minute hour
 * day-of-month month day-of-week, or six with seconds first; each a list of `*`, `?` (day fields), values,
 * ranges `a-b` and steps `/n`; month and weekday names (JAN, MON) allowed. Quartz extensions (L, W, #) are not.
 */
import { z } from 'zod';

type Field = { name: string; min: number; max: number; names?: readonly string[]; anyDay?: boolean };

const SECOND: Field = { name: 'second', min: 0, max: 59 };
const FIVE_FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, anyDay: true },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['', 'JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  // 0 and 7 are both Sunday.
  {
    name: 'day of week',
    min: 0,
    max: 7,
    names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
    anyDay: true,
  },
];

const ITEM = /^(?:(\*)|(\?)|([A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?)(?:\/(\d+))?$/;

function valueOf(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  // Month names start at index 1 (index 0 is a blank no item can match), weekday names at 0 (SUN).
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index : undefined;
}

function itemProblem(item: string, field: Field): string | undefined {
  const match = ITEM.exec(item);
  if (match === null) return `'${item}' is not a value, range, list or step`;
  const [, star, question, from, to, step] = match;
  if (question !== undefined && !field.anyDay) return `'?' is only allowed in the day fields`;
  if (step !== undefined && (Number(step) < 1 || Number(step) > field.max))
    return `step '/${step}' must be 1–${field.max}`;
  if (star !== undefined || question !== undefined) return undefined;
  const low = valueOf(from, field);
  const high = to === undefined ? low : valueOf(to, field);
  for (const [text, value] of [
    [from, low],
    [to, high],
  ] as const) {
    if (text === undefined) continue;
    if (value === undefined || value < field.min || value > field.max)
      return `'${text}' is out of range (${field.min}–${field.max}${field.names ? ' or a name' : ''})`;
  }
  if (low !== undefined && high !== undefined && low > high) return `range '${item}' runs backwards`;
  return undefined;
}

/** What is wrong with a cron pattern, in words, or undefined when it is fine. Example: '0 2 * * *' → undefined. */
export function cronPatternProblem(pattern: string): string | undefined {
  const parts = pattern.trim().split(/\s+/);
  const fields = parts.length === 5 ? FIVE_FIELDS : parts.length === 6 ? [SECOND, ...FIVE_FIELDS] : undefined;
  if (fields === undefined)
    return `'${pattern}' must have 5 fields (minute hour day-of-month month day-of-week), not ${parts.length}`;
  for (let i = 0; i < parts.length; i++) {
    for (const item of parts[i].split(',')) {
      const problem = itemProblem(item, fields[i]);
      if (problem !== undefined) return `'${pattern}': ${fields[i].name} ${problem}`;
    }
  }
  return undefined;
}

/** A cron pattern, trimmed, with the problem in words when it is not one. */
export const cronPattern = z
  .string()
  .trim()
  .superRefine((pattern, ctx) => {
    const problem = cronPatternProblem(pattern);
    if (problem !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });
