/**
 * The score job as steps (BullMQ's step-job pattern):
 * - `plan` decides what every shard of the run shares (observation end, base currency, number of prepare shards);
 * - `prepare` adds one `prepare` child per range of customer buckets (jobs/score-prepare), which any worker
 *   takes: each reads its customers' records and leaves them cleaned as the run's scratch;
 * - `fit` waits for them (moveToWaitingChildren), merges the parts, fits and stages the run's score shards
 *   (jobs/score-shards);
 * - `shards` adds one `score-shard` child per staged slice;
 * - `commit` waits for those and makes the run current, then queues the run's report job (./report-processors)
 *   outside the flow, so the write-back after it does not wait for the report.
 * Both kinds of children go to the score-shard queue with this job as parent and deterministic ids. The step is
 * kept in the job's data, so a job taken over after a crash resumes at the step it reached: children already
 * added are not added twice, a fit that finished is not redone (the staged run is found), and a commit is
 * idempotent. A child that fails for good fails this job (failParentOnFailure), and so the pipeline run.
 */
import { Queue, WaitingChildrenError, type Job } from 'bullmq';
import { z } from 'zod';
import type { PlanOutcome, ScoreOutcome } from './stage-processors';
import type { PrepareShardJobData, ReportJobData, ScoreShardJobData } from './stage-data';
import { KEEP_JOBS, QUEUE_NAMES } from './stages';

const stepData = z.object({
  step: z.enum(['plan', 'prepare', 'fit', 'shards', 'commit']).default('plan'),
  prepareShards: z.number().int().positive().optional(),
  shards: z.number().int().positive().optional(),
  tenant: z.string(),
  runId: z.string(),
  observationEnd: z.string().optional(),
  baseCurrency: z.string().optional(),
  rates: z.record(z.number()).optional(),
});

/** A shard's retries: what fails for a while (Redis restarting) passes on a later attempt. */
const SHARD_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  ...KEEP_JOBS,
} as const;

export type ScoreSteps = {
  plan(data: unknown): Promise<PlanOutcome>;
  /** The fit step (in a worker thread when the worker has them). */
  fit(data: unknown): Promise<ScoreOutcome>;
  commit(data: unknown): Promise<ScoreOutcome>;
  shardQueue: Queue;
  reportQueue: Queue;
};

export const reportJobId = (parentId: string) => `${parentId}.report`;

export const shardJobId = (parentId: string, shard: number) => `${parentId}.shard-${shard}`;
export const prepareJobId = (parentId: string, shard: number) => `${parentId}.prepare-${shard}`;

/** This job as the parent of its children: a child that fails for good fails it. */
const childOf = (job: Job) => ({
  parent: { id: job.id!, queue: job.queueQualifiedName },
  failParentOnFailure: true,
  ...SHARD_JOB_OPTIONS,
});

export async function processScoreSteps(
  job: Job,
  token: string | undefined,
  steps: ScoreSteps,
): Promise<ScoreOutcome> {
  let data = stepData.parse(job.data);
  for (;;) {
    switch (data.step) {
      case 'plan': {
        const plan = await steps.plan(job.data);
        data = { ...data, step: 'prepare', ...plan };
        await job.updateData({ ...job.data, step: data.step, ...plan });
        break;
      }
      case 'prepare': {
        const { prepareShards = 1, observationEnd, baseCurrency } = data;
        if (observationEnd === undefined || baseCurrency === undefined)
          throw new Error(`score job ${job.id} reached its prepare step without a plan`);
        await steps.shardQueue.addBulk(
          Array.from({ length: prepareShards }, (_, shard) => ({
            name: 'prepare',
            data: {
              tenant: data.tenant,
              runId: data.runId,
              task: 'prepare',
              shard,
              shards: prepareShards,
              observationEnd,
              baseCurrency,
              ...(data.rates ? { rates: data.rates } : {}),
            } satisfies PrepareShardJobData,
            opts: { jobId: prepareJobId(job.id!, shard), ...childOf(job) },
          })),
        );
        data = { ...data, step: 'fit' };
        await job.updateData({ ...job.data, step: data.step });
        break;
      }
      case 'fit': {
        // The prepare shards first (a job enqueued before them has none to wait for).
        await waitForChildren(job, token);
        const fitted = await steps.fit(job.data);
        data = { ...data, step: 'shards', shards: fitted.shards ?? 1 };
        await job.updateData({
          ...job.data,
          step: data.step,
          shards: data.shards,
          scoreRunId: fitted.runId,
          ...(fitted.cleanedWhole ? { cleanedWhole: fitted.cleanedWhole } : {}),
        });
        break;
      }
      case 'shards': {
        const shards = data.shards ?? 1;
        await steps.shardQueue.addBulk(
          Array.from({ length: shards }, (_, shard) => ({
            name: 'score-shard',
            data: { tenant: data.tenant, runId: data.runId, shard } satisfies ScoreShardJobData,
            opts: { jobId: shardJobId(job.id!, shard), ...childOf(job) },
          })),
        );
        data = { ...data, step: 'commit' };
        await job.updateData({ ...job.data, step: data.step });
        break;
      }
      case 'commit': {
        await waitForChildren(job, token);
        const committed = await steps.commit(job.data);
        // A commit retried after a crash adds the same job id again, which BullMQ ignores.
        await steps.reportQueue.add(
          'report',
          {
            tenant: data.tenant,
            runId: data.runId,
            ...(data.rates ? { rates: data.rates } : {}),
          } satisfies ReportJobData,
          {
            jobId: reportJobId(job.id!),
            attempts: 3,
            backoff: { type: 'exponential', delay: 5_000 },
            ...KEEP_JOBS,
          },
        );
        return committed;
      }
    }
  }
}

/** Parks the job until its children are done (BullMQ resumes it at the same step), or returns when they are. */
async function waitForChildren(job: Job, token: string | undefined): Promise<void> {
  if (token === undefined) throw new Error('a score job needs its lock token to wait for its shards');
  if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
}

export const SHARD_QUEUE = QUEUE_NAMES.scoreShard;
