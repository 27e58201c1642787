/**
 * Reads a `crm-clv score` output directory back (scores.csv + report.json) as canonical Scores, for a
 * write-back of an exported run (`crm-clv writeback --scores DIR`). Every cell is checked: a bad row is
 * reported with its line and skipped, never written; a file with fewer rows than its run scored is refused.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { splitCsvRecord } from '../../connectors/csv/split-csv-record';
import { scoreRunSchema, type Score, type ScoreRun } from '../../domain/score';

export type ScoreRunExport = {
  dir: string;
  run: ScoreRun;
  scores: Score[];
  /** Rows that could not be read: line number in scores.csv and why. */
  rejected: { line: number; reason: string }[];
};

export class ScoreRunError extends Error {
  readonly code = 'INPUT_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'ScoreRunError';
  }
}

const ReportHead = z.object({ run: scoreRunSchema });

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
  interest: optionalText.optional(),
  clv_historic: finite('clv_historic'),
  clv_predicted: finite('clv_predicted'),
  clv_net: finite('clv_net').optional(),
  expected_order_value: finite('expected_order_value').optional(),
  expected_orders: finite('expected_orders'),
  // Empty when the run's models could not say who has left (see p-alive-model).
  p_alive: z.union([z.literal('').transform(() => undefined), probability('p_alive')]),
  churn_probability: probability('churn_probability').optional(),
  churn_risk: z.enum(['low', 'medium', 'high']).optional(),
  next_order_date: z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'next_order_date: expected YYYY-MM-DD')
    .transform((t) => (t === '' ? undefined : t)),
  model_version: z.string().min(1, 'model_version: is empty'),
});

export async function readScoreRunExport(dir: string): Promise<ScoreRunExport> {
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
    throw new ScoreRunError(
      `${reportPath} does not say which tenant and source its scores belong to (a report.json "run" is expected): rescore with this version of crm-clv`,
    );
  }

  const lines = scoresText.split(/\r?\n/);
  const header = splitCsvRecord(lines[0] ?? '');
  if (header.status !== 'ok' || !header.fields.includes('customer_id'))
    throw new ScoreRunError(`${scoresPath}: the first line must be the scores.csv header`);
  const columns = header.fields;

  const { run } = head;
  const scores: Score[] = [];
  const rejected: ScoreRunExport['rejected'] = [];
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
    scores.push(
      withoutUndefined({
        customerId: r.customer_id,
        segmentId: r.segment_id,
        segmentName: r.segment_name,
        rfmScore: r.rfm_score,
        rfmSegment: r.rfm_segment,
        interest: r.interest,
        clvHistoric: r.clv_historic,
        clvPredicted: r.clv_predicted,
        clvNet: r.clv_net,
        expectedOrders: r.expected_orders,
        expectedOrderValue: r.expected_order_value,
        pAlive: r.p_alive,
        churnProbability: r.churn_probability,
        churnRisk: r.churn_risk,
        nextOrderDate: r.next_order_date,
        modelVersion: r.model_version,
        scoredAt: run.scoredAt,
      }),
    );
  }
  const rows = scores.length + rejected.length;
  if (rows !== run.customers)
    throw new ScoreRunError(
      `${scoresPath} has ${rows} score rows but its run scored ${run.customers} customers (a cut or edited file?): rescore, or copy the whole directory again`,
    );
  return { dir, run, scores, rejected };
}

/** Optional fields a CSV left empty are absent in a Score, never `undefined` keys the schema would keep. */
function withoutUndefined(score: Score): Score {
  for (const key of Object.keys(score) as (keyof Score)[]) if (score[key] === undefined) delete score[key];
  return score;
}
