/**
 * Reads a `crm-clv score` output directory back (scores.csv + report.json) as typed per-customer scores, for
 * the write-back. Every cell is checked: a bad row is reported with its line and skipped, never written.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { splitCsvRecord } from '../../connectors/csv/split-csv-record';

export type RunScore = {
  customerId: string;
  /** Absent in a CLV-engine-only run (--no-insights). */
  segmentId?: string;
  segmentName?: string;
  rfmScore?: string;
  rfmSegment?: string;
  clvHistoric: number;
  clvPredicted: number;
  expectedOrders: number;
  pAlive: number;
  churnProbability?: number;
  churnRisk?: 'low' | 'medium' | 'high';
  /** YYYY-MM-DD; undefined when no next order is expected. */
  nextOrderDate?: string;
  modelVersion: string;
};

export type ScoreRun = {
  dir: string;
  scores: RunScore[];
  /** Rows that could not be read: line number in scores.csv and why. */
  rejected: { line: number; reason: string }[];
  clvMonths: number;
  scoredAt: string;
  modelVersion: string;
};

export class ScoreRunError extends Error {
  readonly code = 'INPUT_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'ScoreRunError';
  }
}

const ReportHead = z.object({
  clv: z.object({ months: z.number().int().positive() }),
  modelVersion: z.string().min(1),
  scoredAt: z.string().datetime().optional(),
});

const finite = (name: string) =>
  z.string().transform((text, ctx) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      ctx.addIssue({ code: 'custom', message: `${name}: expected a number, got '${text}'` });
      return z.NEVER;
    }
    return value;
  });
const probability = (name: string) =>
  finite(name).refine((v) => v >= 0 && v <= 1, `${name}: expected a probability from 0 to 1`);
const optionalText = z.string().transform((t) => (t === '' ? undefined : t));

const ScoreRow = z.object({
  customer_id: z.string().min(1, 'customer_id: is empty'),
  segment_id: optionalText.optional(),
  segment_name: optionalText.optional(),
  rfm_score: z
    .string()
    .regex(/^([1-5]{3})?$/, 'rfm_score: expected three digits 1–5 such as 545')
    .transform((t) => (t === '' ? undefined : t))
    .optional(),
  rfm_segment: optionalText.optional(),
  clv_historic: finite('clv_historic'),
  clv_predicted: finite('clv_predicted'),
  expected_orders: finite('expected_orders'),
  p_alive: probability('p_alive'),
  churn_probability: probability('churn_probability').optional(),
  churn_risk: z.enum(['low', 'medium', 'high']).optional(),
  next_order_date: z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'next_order_date: expected YYYY-MM-DD')
    .transform((t) => (t === '' ? undefined : t)),
  model_version: z.string().min(1, 'model_version: is empty'),
});

export async function readScoreRun(dir: string): Promise<ScoreRun> {
  const reportPath = join(dir, 'report.json');
  const scoresPath = join(dir, 'scores.csv');
  let reportText: string;
  let scoresText: string;
  try {
    [reportText, scoresText] = await Promise.all([
      readFile(reportPath, 'utf8'),
      readFile(scoresPath, 'utf8'),
    ]);
  } catch (error) {
    throw new ScoreRunError(
      `${dir} is not a crm-clv score output directory (${error instanceof Error ? error.message : String(error)}); run 'crm-clv score' first`,
    );
  }
  let head: z.infer<typeof ReportHead>;
  try {
    head = ReportHead.parse(JSON.parse(reportText));
  } catch {
    throw new ScoreRunError(`${reportPath} is not a crm-clv report (clv.months and modelVersion expected)`);
  }

  const lines = scoresText.split(/\r?\n/);
  const header = splitCsvRecord(lines[0] ?? '');
  if (header.status !== 'ok' || !header.fields.includes('customer_id'))
    throw new ScoreRunError(`${scoresPath}: the first line must be the scores.csv header`);
  const columns = header.fields;

  const scores: RunScore[] = [];
  const rejected: ScoreRun['rejected'] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const split = splitCsvRecord(lines[i]);
    if (split.status !== 'ok' || split.fields.length !== columns.length) {
      rejected.push({ line: i + 1, reason: `expected ${columns.length} comma-separated fields` });
      continue;
    }
    const record = Object.fromEntries(columns.map((c, j) => [c, split.fields[j]]));
    const parsed = ScoreRow.safeParse(record);
    if (!parsed.success) {
      rejected.push({ line: i + 1, reason: parsed.error.issues.map((issue) => issue.message).join('; ') });
      continue;
    }
    const r = parsed.data;
    scores.push({
      customerId: r.customer_id,
      segmentId: r.segment_id,
      segmentName: r.segment_name,
      rfmScore: r.rfm_score,
      rfmSegment: r.rfm_segment,
      clvHistoric: r.clv_historic,
      clvPredicted: r.clv_predicted,
      expectedOrders: r.expected_orders,
      pAlive: r.p_alive,
      churnProbability: r.churn_probability,
      churnRisk: r.churn_risk,
      nextOrderDate: r.next_order_date,
      modelVersion: r.model_version,
    });
  }
  return {
    dir,
    scores,
    rejected,
    clvMonths: head.clv.months,
    // Runs written before report.json carried scoredAt: the file's time is when the scores were made.
    scoredAt: head.scoredAt ?? (await stat(scoresPath)).mtime.toISOString(),
    modelVersion: head.modelVersion,
  };
}
