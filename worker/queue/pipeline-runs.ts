/**
 * Enqueues a tenant's pipeline run as one BullMQ flow and reads its status back. The last stage asked for is
 * the flow's root; each earlier stage is the child of the next, so they run in pipeline order on whichever
 * workers are free, and a failed stage fails the stages after it.
 */
import { FlowProducer, Queue, type FlowJob, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { tenantKey, type TenantId } from '../../domain/tenant';
import type { RunData } from './stage-data';
import { KEEP_JOBS, QUEUE_NAMES, stageJobId, type RunStage } from './stages';

export type RunRequest = {
  tenant: TenantId;
  runId: string;
  stages: readonly RunStage[];
  data?: Partial<RunData>;
  /**
   * How long the first stage waits before a worker may take it (BullMQ's delay), e.g. a webhook run that
   * gathers the changes of a time window and starts once the window is over; the later stages follow it.
   */
  delayMs?: number;
};

/** Retries with backoff for what fails for a while (a CRM's 5xx, a limit): a stage's work is idempotent. */
const STAGE_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 30_000 },
  ...KEEP_JOBS,
} as const;

export function runFlow(request: RunRequest): FlowJob {
  const { tenant, runId, stages } = request;
  if (stages.length === 0) throw new RangeError('a run needs at least one stage');
  const delay = request.delayMs !== undefined && request.delayMs > 0 ? Math.ceil(request.delayMs) : 0;
  let node: FlowJob | undefined;
  for (const stage of stages) {
    const job: FlowJob = {
      name: stage,
      queueName: QUEUE_NAMES[stage],
      data: { ...request.data, tenant, runId },
      opts: {
        jobId: stageJobId(tenant, runId, stage),
        ...STAGE_JOB_OPTIONS,
        failParentOnFailure: true,
        ...(node === undefined && delay > 0 ? { delay } : {}),
      },
      ...(node ? { children: [node] } : {}),
    };
    node = job;
  }
  return node!;
}

/** The runs of a tenant, newest first, for `crm-clv status` (the last 50). */
const RUNS_KEPT = 50;
const runsKey = (prefix: string, tenant: TenantId) => `${prefix}:runs:${tenantKey(tenant)}`;

export type RunEntry = { runId: string; stages: RunStage[]; enqueuedAt: string };

/** Adds the run; adding the same tenant, run id and stages again adds nothing (deterministic job ids). */
export async function enqueueRun(connection: Redis, prefix: string, request: RunRequest): Promise<void> {
  const flows = new FlowProducer({ connection, prefix });
  try {
    await flows.add(runFlow(request));
  } finally {
    await flows.close();
  }
  const known = await recentRuns(connection, prefix, request.tenant);
  if (known.some((r) => r.runId === request.runId)) return;
  const entry: RunEntry = {
    runId: request.runId,
    stages: [...request.stages],
    enqueuedAt: new Date().toISOString(),
  };
  await connection
    .multi()
    .lpush(runsKey(prefix, request.tenant), JSON.stringify(entry))
    .ltrim(runsKey(prefix, request.tenant), 0, RUNS_KEPT - 1)
    .exec();
}

export async function recentRuns(
  connection: Redis,
  prefix: string,
  tenant: TenantId,
  count = RUNS_KEPT,
): Promise<RunEntry[]> {
  const raw = await connection.lrange(runsKey(prefix, tenant), 0, count - 1);
  return raw.map((text) => JSON.parse(text) as RunEntry);
}

export type StageStatus = {
  stage: RunStage;
  state: string;
  progress: unknown;
  attempts: number;
  failedReason?: string;
  result?: unknown;
  startedAt?: string;
  finishedAt?: string;
};

export type RunStatus = {
  tenant: TenantId;
  runId: string;
  stages: StageStatus[];
  /** 'completed' when every stage is; 'failed' when any failed; else 'running' (or 'unknown' with no job). */
  state: 'completed' | 'failed' | 'running' | 'unknown';
};

export async function runStatus(
  connection: Redis,
  prefix: string,
  tenant: TenantId,
  runId: string,
  stages: readonly RunStage[],
): Promise<RunStatus> {
  const out: StageStatus[] = [];
  for (const stage of stages) {
    const queue = new Queue(QUEUE_NAMES[stage], { connection, prefix });
    try {
      const id = stageJobId(tenant, runId, stage);
      // The state first: a job read before it could predate a 'completed' read after, and lack its result.
      const state = await queue.getJobState(id);
      const job: Job | undefined = await queue.getJob(id);
      out.push(
        job === undefined
          ? { stage, state: 'unknown', progress: 0, attempts: 0 }
          : {
              stage,
              state,
              progress: state === 'waiting-children' ? await shardProgress(job) : job.progress,
              attempts: job.attemptsMade,
              ...(job.failedReason ? { failedReason: job.failedReason } : {}),
              ...(job.returnvalue !== undefined && job.returnvalue !== null
                ? { result: job.returnvalue }
                : {}),
              ...(job.processedOn ? { startedAt: new Date(job.processedOn).toISOString() } : {}),
              ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
            },
      );
    } finally {
      await queue.close();
    }
  }
  const states = out.map((s) => s.state);
  const state = states.every((s) => s === 'completed')
    ? 'completed'
    : states.includes('failed')
      ? 'failed'
      : states.every((s) => s === 'unknown')
        ? 'unknown'
        : 'running';
  return { tenant, runId, stages: out, state };
}

/**
 * A score job waiting for its children (./score-flow) shows how many are done: its prepare shards, then its
 * score shards. Its children also hold the run's earlier stage (sync), so they are counted from the totals
 * the plan and the fit set.
 */
async function shardProgress(job: Job): Promise<unknown> {
  const { prepareShards = 0, shards } = job.data as { prepareShards?: number; shards?: number };
  if (prepareShards === 0 && shards === undefined) return job.progress;
  const { processed = 0, unprocessed = 0 } = await job.getDependenciesCount({
    processed: true,
    unprocessed: true,
  });
  const others = processed + unprocessed - prepareShards - (shards ?? 0);
  const done = Math.max(0, processed - others);
  if (shards === undefined) return { stage: 'preparing shards', done, of: prepareShards };
  return { stage: 'scoring shards', done: Math.max(0, done - prepareShards), of: shards };
}
