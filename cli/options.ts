/** zod schemas for CLI option values: every option is validated before any work starts. */
import { z } from 'zod';
import { TEXT_ENCODINGS } from '../connectors/csv/text-encoding';

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'is not a real calendar date');

export const numberText = (what: string) =>
  z
    .string()
    .trim()
    .refine((s) => s !== '' && Number.isFinite(Number(s)), `${what} must be a number`)
    .transform(Number);

/** Common spellings of the encodings --encoding takes. */
const ENCODING_ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'iso-8859-1': 'latin1',
  'latin-1': 'latin1',
  cp1252: 'windows-1252',
};

/** `--encoding`: auto | utf-8 | latin1 | windows-1252, case-insensitive, with the spellings above. */
export const textEncoding = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => ENCODING_ALIASES[s] ?? s)
  .pipe(
    z.enum(TEXT_ENCODINGS, {
      errorMap: () => ({ message: `encoding must be one of ${TEXT_ENCODINGS.join(', ')}` }),
    }),
  );

export const timeUnit = z.enum(['week', 'day']);
export const transactionModelName = z.enum(['bgnbd', 'pareto-nbd', 'mbgnbd']);
export const modelName = z.enum(['bgnbd', 'pareto-nbd', 'mbgnbd', 'gamma-gamma']);

/** Parses a YYYY-MM-DD calendar day to epoch ms at 00:00 UTC. */
export function dayToEpochMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}
