/**
 * The canonical Score (../shared/DESIGN.md, "Scores"): one per customer per run. The score stage writes them
 * to the worker's store, write-back and the card read them from there; scores.csv is an export of them.
 * Fields a run did not produce (a CLV-only run has no segments; playbooks add next best actions) are absent,
 * never empty strings, so a writer can tell "not computed" from "cleared".
 */
import { z } from 'zod';
import { RECORD_SOURCES } from './records';

const finite = z.number().finite();
const probability = z.number().min(0).max(1);
const isoDate = z.string().date();
const isoDateTime = z.string().datetime({ offset: true });

export const CHURN_RISKS = ['low', 'medium', 'high'] as const;
export type ChurnRisk = (typeof CHURN_RISKS)[number];

export const RETENTION_GROUPS = ['treatment', 'control', 'none'] as const;
export type RetentionGroup = (typeof RETENTION_GROUPS)[number];

export const churnDriverSchema = z.object({
  /** Stable feature key (for dashboards and tests); `text` is what a person reads. */
  feature: z.string().min(1),
  /** Signed contribution to the churn log-odds relative to comparable customers. */
  contribution: finite,
  text: z.string().min(1),
});
export type ChurnDriver = z.infer<typeof churnDriverSchema>;

export const productRecommendationSchema = z.object({
  productId: z.string().min(1),
  productName: z.string().min(1),
  score: finite,
  reason: z.string(),
});
export type ProductRecommendation = z.infer<typeof productRecommendationSchema>;

export const nextBestActionSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  reason: z.string(),
  priority: z.number().int(),
});
export type NextBestAction = z.infer<typeof nextBestActionSchema>;

export const scoreSchema = z.object({
  customerId: z.string().min(1),
  segmentId: z.string().min(1).optional(),
  segmentName: z.string().min(1).optional(),
  rfmScore: z
    .string()
    .regex(/^[1-5]{3}$/, 'expected three digits 1–5 such as 545')
    .optional(),
  rfmSegment: z.string().min(1).optional(),
  interest: z.string().min(1).optional(),
  clvHistoric: finite,
  /** Discounted, margin-adjusted, over the run's horizon (ScoreRun.clvMonths). */
  clvPredicted: finite,
  clvNet: finite.optional(),
  expectedOrders: finite.nonnegative(),
  expectedOrderValue: finite.optional(),
  /** Absent where the chosen model cannot say (e.g. a fit with no drop-out). */
  pAlive: probability.optional(),
  churnProbability: probability.optional(),
  churnRisk: z.enum(CHURN_RISKS).optional(),
  churnDrivers: z.array(churnDriverSchema).optional(),
  /** Absent when no next order is expected. */
  nextOrderDate: isoDate.optional(),
  recommendations: z.array(productRecommendationSchema).optional(),
  nextBestActions: z.array(nextBestActionSchema).optional(),
  retentionGroup: z.enum(RETENTION_GROUPS).optional(),
  modelVersion: z.string().min(1),
  scoredAt: isoDateTime,
});
export type Score = z.infer<typeof scoreSchema>;

/** What a set of Scores was made from and for: write-back refuses a run of another tenant or source. */
export const scoreRunSchema = z.object({
  runId: z.string().min(1),
  tenant: z.string().min(1),
  source: z.enum(RECORD_SOURCES),
  scoredAt: isoDateTime,
  modelVersion: z.string().min(1),
  /** Horizon of clvPredicted and expectedOrders. */
  clvMonths: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  customers: z.number().int().nonnegative(),
});
export type ScoreRun = z.infer<typeof scoreRunSchema>;

/**
 * True only when scoreSchema accepts `score`; false means "ask the schema" (it has the message). Millions of
 * Scores are checked per run and the schema's parse copies each one, so the common case is checked here by
 * hand, field for field as the schema reads it; anything unusual (a class instance, a retention group) is left
 * to the schema. Keep it in step with scoreSchema.
 */
export function plainlyValidScore(score: Score): boolean {
  if (!isPlainObject(score)) return false;
  const s = score as Record<string, unknown>;
  if (s.retentionGroup !== undefined) return false;
  return (
    nonEmpty(s.customerId) &&
    optional(s.segmentId, nonEmpty) &&
    optional(s.segmentName, nonEmpty) &&
    optional(s.rfmScore, (v) => typeof v === 'string' && /^[1-5]{3}$/.test(v)) &&
    optional(s.rfmSegment, nonEmpty) &&
    optional(s.interest, nonEmpty) &&
    finiteNumber(s.clvHistoric) &&
    finiteNumber(s.clvPredicted) &&
    optional(s.clvNet, finiteNumber) &&
    finiteNumber(s.expectedOrders) &&
    (s.expectedOrders as number) >= 0 &&
    optional(s.expectedOrderValue, finiteNumber) &&
    optional(s.pAlive, isProbability) &&
    optional(s.churnProbability, isProbability) &&
    optional(s.churnRisk, (v) => (CHURN_RISKS as readonly unknown[]).includes(v)) &&
    optional(s.churnDrivers, (v) => everyPlain(v, plainlyValidDriver)) &&
    optional(s.nextOrderDate, (v) => typeof v === 'string' && knownValid(isoDate, v)) &&
    optional(s.recommendations, (v) => everyPlain(v, plainlyValidRecommendation)) &&
    optional(s.nextBestActions, (v) => everyPlain(v, plainlyValidNextBestAction)) &&
    nonEmpty(s.modelVersion) &&
    typeof s.scoredAt === 'string' &&
    knownValid(isoDateTime, s.scoredAt)
  );
}

function plainlyValidDriver(d: Record<string, unknown>): boolean {
  return nonEmpty(d.feature) && finiteNumber(d.contribution) && nonEmpty(d.text);
}

function plainlyValidRecommendation(r: Record<string, unknown>): boolean {
  return (
    nonEmpty(r.productId) && nonEmpty(r.productName) && finiteNumber(r.score) && typeof r.reason === 'string'
  );
}

function plainlyValidNextBestAction(a: Record<string, unknown>): boolean {
  return nonEmpty(a.id) && nonEmpty(a.title) && typeof a.reason === 'string' && Number.isInteger(a.priority);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function everyPlain(v: unknown, ok: (item: Record<string, unknown>) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (const item of v) if (!isPlainObject(item) || !ok(item)) return false;
  return true;
}

function optional(v: unknown, ok: (v: unknown) => boolean): boolean {
  return v === undefined || ok(v);
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.length >= 1;
}

function finiteNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

function isProbability(v: unknown): boolean {
  return typeof v === 'number' && v >= 0 && v <= 1;
}

/** The schema's own verdict on a date text, remembered: a run has a few thousand distinct dates at most. */
const dateVerdicts = new Map<string, boolean>();
function knownValid(schema: z.ZodString, text: string): boolean {
  const key = `${schema === isoDate ? 'd' : 't'}${text}`;
  let ok = dateVerdicts.get(key);
  if (ok === undefined) {
    ok = schema.safeParse(text).success;
    if (dateVerdicts.size < 100_000) dateVerdicts.set(key, ok);
  }
  return ok;
}
