/**
 * Totals of a previous run, from the report.json in its output directory, for the summary's "change since the
 * previous run". Reports written before the summary existed still give customers, revenue and predicted value.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export type PreviousTotals = {
  observationEnd: string | null;
  scoredAt: string | null;
  currency: string | null;
  customers: number;
  revenue: number;
  predictedValue: number;
  revenueAtRisk: number | null;
  expectedOrdersNextMonth: number | null;
};

const amount = z.number().nullable().optional();
const PreviousReport = z.object({
  scoredAt: z.string().optional(),
  run: z.object({ currency: z.string().optional() }).partial().optional(),
  input: z.object({ observationEnd: z.string() }).partial().optional(),
  customers: z.object({ scored: z.number() }),
  clv: z.object({ totalHistoric: z.number(), totalPredicted: z.number() }),
  summary: z
    .object({
      currency: z.string(),
      revenueAtRisk: amount,
      expectedOrdersNextMonth: amount,
    })
    .partial()
    .optional(),
});

/** The totals of a report.json's content; null when it is not a crm-clv score report. */
export function previousTotalsOf(json: unknown): PreviousTotals | null {
  const parsed = PreviousReport.safeParse(json);
  if (!parsed.success) return null;
  const r = parsed.data;
  return {
    observationEnd: r.input?.observationEnd ?? null,
    scoredAt: r.scoredAt ?? null,
    currency: r.summary?.currency ?? r.run?.currency ?? null,
    customers: r.customers.scored,
    revenue: r.clv.totalHistoric,
    predictedValue: r.clv.totalPredicted,
    revenueAtRisk: r.summary?.revenueAtRisk ?? null,
    expectedOrdersNextMonth: r.summary?.expectedOrdersNextMonth ?? null,
  };
}

/** Reads DIR/report.json; null when it is absent or not a score report (the summary then leaves totals out). */
export async function readPreviousTotals(dir: string): Promise<PreviousTotals | null> {
  try {
    return previousTotalsOf(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')));
  } catch {
    return null;
  }
}
