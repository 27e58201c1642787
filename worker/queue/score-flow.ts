/**
 * The score job as steps (BullMQ's step-job pattern): `fit` stages the run's shards (jobs/score-shards),
 * `shards` adds one `score-shard` child job per shard with this job as their parent, and `commit` waits for
 * the children (moveToWaitingChildren) and then makes the run current. The step is kept in the job's data,
 * so a job taken over after a crash resumes at the step it reached: a fit that finished is not redone (the
 * staged run is found), children already added are not added twice (deterministic ids), and a commit is
 * idempotent. A shard that fails for good fails this job (failParentOnFailure), and so the pipeline run.
 */
import { Queue, WaitingChildrenError, type Job } from 'bullmq';
import { z } from 'zod';
import type { ScoreOutcome } from './stage-processors';
import type { ScoreShardJobData } from './stage-data';
import { KEEP_JOBS, QUEUE_NAMES } from './stages';

const stepData = z.object({
  step: z.enum(['fit', 'shards', 'commit']).default('fit'),
  shards: z.number().int().positive().optional(),
  tenant: z.string(),
  runId: z.string(),
});

/** A shard's retries: what fails for a while (Redis restarting) passes on a later attempt. */
const SHARD_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  ...KEEP_JOBS,
} as const;

export type ScoreSteps = {
  /** The fit step (in a worker thread when the worker has them). */
  fit(data: unknown): Promise<ScoreOutcome>;
  commit(data: unknown): Promise<ScoreOutcome>;
  shardQueue: Queue;
};

export const shardJobId = (parentId: string, shard: number) => `${parentId}.shard-${shard}`;

export async function processScoreSteps(
  job: Job,
  token: string | undefined,
  steps: ScoreSteps,
): Promise<ScoreOutcome> {
  let data = stepData.parse(job.data);
  for (;;) {
    switch (data.step) {
      case 'fit': {
        const fitted = await steps.fit(job.data);
        data = { ...data, step: 'shards', shards: fitted.shards ?? 1 };
        await job.updateData({ ...job.data, step: data.step, shards: data.shards, scoreRunId: fitted.runId });
        break;
      }
      case 'shards': {
        const shards = data.shards ?? 1;
        const parent = { id: job.id!, queue: job.queueQualifiedName };
        await steps.shardQueue.addBulk(
          Array.from({ length: shards }, (_, shard) => ({
            name: 'score-shard',
            data: { tenant: data.tenant, runId: data.runId, shard } satisfies ScoreShardJobData,
            opts: {
              jobId: shardJobId(job.id!, shard),
              parent,
              failParentOnFailure: true,
              ...SHARD_JOB_OPTIONS,
            },
          })),
        );
        data = { ...data, step: 'commit' };
        await job.updateData({ ...job.data, step: data.step });
        break;
      }
      case 'commit': {
        if (token === undefined) throw new Error('a score job needs its lock token to wait for its shards');
        if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
        return steps.commit(job.data);
      }
    }
  }
}

export const SHARD_QUEUE = QUEUE_NAMES.scoreShard;
