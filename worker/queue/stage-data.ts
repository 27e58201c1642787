/** What each stage's job carries: JSON only, no secrets (a token is looked up by the worker, never queued). */
import { z } from 'zod';

const tenant = z.string().min(1);
const runId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const syncJobData = z.object({
  tenant,
  runId,
  mode: z.enum(['full', 'incremental']).default('incremental'),
});
export type SyncJobData = z.input<typeof syncJobData>;

export const scoreJobData = z.object({
  tenant,
  runId,
  /** YYYY-MM-DD; default the day before the job runs (a whole day of data). */
  observationEnd: z.string().date().optional(),
  /** Base currency and rates (units of base per unit) for tenants whose deals use several currencies. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  rates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()).optional(),
  /** Customers per score shard (default SHARD_CUSTOMERS): smaller spreads a run over more jobs. */
  shardCustomers: z.number().int().min(1).max(1_000_000).optional(),
  /** Set by the score job's fit step: the score run it staged, so a retried commit can tell it is done. */
  scoreRunId: z.string().optional(),
  /** Set by the score job's plan step: how many prepare shards clean the tenant's customers before the fit. */
  prepareShards: z.number().int().positive().optional(),
  /** Set by the fit step when it read and cleaned the tenant whole instead of merging the parts: why. */
  cleanedWhole: z.string().optional(),
  /** Set by the plan step: the base currency the prepare shards clean in (`currency`, or the tenant's main). */
  baseCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});
export type ScoreJobData = z.input<typeof scoreJobData>;

/** One shard of a run's scoring (./score-flow): which run's staged slice to score. */
export const scoreShardJobData = z.object({
  tenant,
  runId,
  shard: z.number().int().nonnegative(),
  task: z.literal('score').default('score'),
});
export type ScoreShardJobData = z.input<typeof scoreShardJobData>;

/** One prepare shard of a run (./score-flow): its range of the tenant's customers, and how to clean them. */
export const prepareShardJobData = z.object({
  tenant,
  runId,
  task: z.literal('prepare'),
  shard: z.number().int().nonnegative(),
  shards: z.number().int().positive(),
  observationEnd: z.string().date(),
  baseCurrency: z.string().regex(/^[A-Z]{3}$/),
  rates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()).optional(),
});
export type PrepareShardJobData = z.input<typeof prepareShardJobData>;

/** A retrain takes the scoring inputs plus the holdout window it is judged on. */
export const retrainJobData = scoreJobData.extend({
  holdoutDays: z.number().int().min(7).max(365).default(90),
});
export type RetrainJobData = z.input<typeof retrainJobData>;

export const writebackJobData = z.object({ tenant, runId });
export type WritebackJobData = z.input<typeof writebackJobData>;

/** The reports made from a tenant's current Scores after a score run is committed (./report-processors). */
export const reportJobData = z.object({
  tenant,
  runId,
  rates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()).optional(),
});
export type ReportJobData = z.input<typeof reportJobData>;

/** A whole run's data: each stage takes its part. */
export type RunData = SyncJobData & ScoreJobData & WritebackJobData;
