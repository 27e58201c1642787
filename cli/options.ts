/** zod schemas for CLI option values: every option is validated before any work starts. */
import { z } from 'zod';

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

export const timeUnit = z.enum(['week', 'day']);
export const transactionModelName = z.enum(['bgnbd', 'pareto-nbd', 'mbgnbd']);
export const modelName = z.enum(['bgnbd', 'pareto-nbd', 'mbgnbd', 'gamma-gamma']);

/** Parses a YYYY-MM-DD calendar day to epoch ms at 00:00 UTC. */
export function dayToEpochMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}
