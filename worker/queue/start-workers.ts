/**
 * A worker process: one BullMQ Worker per stage queue, each running the plain stage processor. Shutdown on
 * SIGTERM/SIGINT is bounded: running jobs get `graceMs` to finish, then the process exits and BullMQ's
 * stalled-job check hands them to another worker (their writes are idempotent, so nothing is written twice).
 */
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { CallThrottledError } from '../../connectors/call-limiter';
import { isInputError } from '../../domain/errors';
import { StageLockHeldError } from '../locks/stage-lock';
import { z } from 'zod';
import { processReport } from './report-processors';
import { processScoreSteps } from './score-flow';
import {
  processScoreCommit,
  processScoreFit,
  processScorePlan,
  processScoreShard,
  QUEUE_PROCESSORS,
  type ScoreOutcome,
  type StageContext,
} from './stage-processors';
import { runStageInThread, THREADED_STAGES, type ThreadedStage, type ThreadSettings } from './stage-thread';
import { QUEUE_NAMES, STAGES } from './stages';

const QUEUES = [...STAGES, 'retrain', 'scoreShard', 'report'] as const;

export type WorkerOptions = {
  connection: Redis;
  prefix: string;
  /** Jobs per stage queue at once in this process. */
  concurrency: number;
  /** The context for one job (its progress goes to that job); `turn` decides when a throttled job yields. */
  context(job: Job, turn: TurnPolicy): StageContext;
  log?: (line: string) => void;
  /**
   * When another run of the same tenant and stage holds its lock, the job waits this long (plus up to half
   * again, so jobs that met the same lock do not all come back at once) and is tried again.
   */
  lockRetryMs?: number;
  /** Runs score and retrain jobs in worker threads with these settings (their own Redis connection). */
  threads?: ThreadSettings;
  /**
   * One lock duration for every stage instead of the defaults (LOCK_MS): how long a job of a process that
   * died (kill -9, a lost machine) stays taken before another worker resumes it. A lock shorter than the
   * longest event-loop block of scoring lets a healthy job be taken as stalled and run twice.
   */
  lockMs?: number;
  /** This process's name on the jobs it runs (BullMQ's processedBy): which worker did what. */
  name?: string;
};

export type RunningWorkers = { workers: Worker[]; close(graceMs?: number): Promise<void> };

/**
 * Scoring runs the engine on the event loop: a long fit must not let the job's lock lapse and the job be
 * taken as stalled, so locks are long (BullMQ renews them at half the duration while the loop is free).
 */
const LOCK_MS = {
  sync: 60_000,
  score: 10 * 60_000,
  writeback: 60_000,
  retrain: 10 * 60_000,
  scoreShard: 60_000,
  report: 5 * 60_000,
} as const;

/** BullMQ's default interval between stalled-job checks. */
const STALLED_CHECK_MS = 30_000;

/**
 * A job whose CRM account is at its limit waits in this process when nothing else is queued (the cheapest
 * wait), and gives its slot away when other jobs wait and the wait is longer than this: a tenant held at its
 * limit then never holds up another tenant's work. Shorter waits are the normal pace of a sliding window.
 */
export const YIELD_AFTER_MS = 1_000;

export type TurnPolicy = { yieldWhen(waitMs: number): Promise<boolean> };

/** How long a count of waiting jobs is trusted: a busy limiter asks many times a second. */
const WAITING_COUNT_TTL_MS = 250;

function turnPolicy(queue: Queue): TurnPolicy {
  let cached = { at: 0, waiting: 0 };
  return {
    async yieldWhen(waitMs) {
      if (waitMs < YIELD_AFTER_MS) return false;
      const now = Date.now();
      if (now - cached.at > WAITING_COUNT_TTL_MS) {
        const counts = await queue.getJobCounts('waiting', 'prioritized');
        cached = { at: now, waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) };
      }
      return cached.waiting > 0;
    },
  };
}

const LOCK_RETRY_MS = 15_000;

const isThreaded = (stage: string): stage is ThreadedStage =>
  (THREADED_STAGES as readonly string[]).includes(stage);

/**
 * A CPU-heavy stage in a worker thread (stage-thread.ts), holding the tenant's lock here, where it renews:
 * scoring and retraining share the `score` lock, since both replace the tenant's model.
 */
async function inThread(
  stage: ThreadedStage,
  job: Job,
  context: StageContext,
  threads: ThreadSettings,
): Promise<unknown> {
  const tenant = tenantOfJob.parse(job.data).tenant;
  const lock = await context.lock('score', tenant);
  try {
    return await runStageInThread(stage, job.data, threads, {
      signal: lock.signal,
      onProgress: (message) => void job.updateProgress(message.value),
    });
  } finally {
    await lock.release().catch(() => false);
  }
}

const tenantOfJob = z.object({ tenant: z.string().min(1) });

export function startWorkers(options: WorkerOptions): RunningWorkers {
  const log = options.log ?? (() => {});
  const queues: Queue[] = [];
  const lockMs = (stage: (typeof QUEUES)[number]) => options.lockMs ?? LOCK_MS[stage];
  let shards: Queue | undefined;
  let reports: Queue | undefined;
  const queueOptions = { connection: options.connection, prefix: options.prefix };
  const shardQueue = () => (shards ??= new Queue(QUEUE_NAMES.scoreShard, queueOptions));
  const reportQueue = () => (reports ??= new Queue(QUEUE_NAMES.report, queueOptions));
  const workers = QUEUES.map((stage) => {
    const queue = new Queue(QUEUE_NAMES[stage], { connection: options.connection, prefix: options.prefix });
    queues.push(queue);
    const turn = turnPolicy(queue);
    const worker = new Worker(
      QUEUE_NAMES[stage],
      async (job: Job, token?: string) => {
        try {
          const context = options.context(job, turn);
          const threads = options.threads;
          if (stage === 'score')
            return await processScoreSteps(job, token, {
              plan: (data) => processScorePlan(data, context),
              fit: (data) =>
                threads !== undefined
                  ? (inThread('score-fit', job, context, threads) as Promise<ScoreOutcome>)
                  : processScoreFit(data, context),
              commit: (data) => processScoreCommit(data, context),
              shardQueue: shardQueue(),
              reportQueue: reportQueue(),
            });
          if (stage === 'scoreShard') return await processScoreShard(job.data, context);
          if (stage === 'report') return await processReport(job.data, context);
          if (threads !== undefined && isThreaded(stage)) return await inThread(stage, job, context, threads);
          return await QUEUE_PROCESSORS[stage](job.data, context);
        } catch (error) {
          // Another worker runs this stage of this tenant: not a failure, and not an attempt used up. The
          // job goes back to the delayed set and runs when that one is likely done.
          if (error instanceof StageLockHeldError) {
            const wait = (options.lockRetryMs ?? LOCK_RETRY_MS) * (1 + Math.random() / 2);
            log(`${stage} ${job.id} delayed ${Math.ceil(wait / 1000)} s: ${error.message}`);
            await job.moveToDelayed(Date.now() + wait, token);
            throw new DelayedError();
          }
          // Bad input (a missing rate, a foreign score run) fails the same way on every attempt: stop now.
          if (isInputError(error)) throw new UnrecoverableError((error as Error).message);
          // The tenant's limit is used up and others wait: back in the queue at resumeAt, no attempt spent.
          if (error instanceof CallThrottledError && token !== undefined) {
            await job.moveToDelayed(error.resumeAt, token);
            log(`${stage} ${job.id} throttled until ${new Date(error.resumeAt).toISOString()}`);
            throw new DelayedError();
          }
          throw error;
        }
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        ...(options.name === undefined ? {} : { name: options.name }),
        lockDuration: lockMs(stage),
        // Stalled jobs are looked for at least twice per lock, so a dead worker's job waits about one lock.
        stalledInterval: Math.min(STALLED_CHECK_MS, Math.max(1_000, Math.floor(lockMs(stage) / 2))),
        maxStalledCount: 2,
      },
    );
    worker.on('completed', (job) => log(`${stage} ${job.id} completed`));
    worker.on('failed', (job, error) => log(`${stage} ${job?.id ?? '?'} failed: ${error.message}`));
    worker.on('error', (error) => log(`${stage} worker error: ${error.message}`));
    return worker;
  });
  return {
    workers,
    close: async (graceMs = 30_000) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.all(workers.map((w) => w.close())), deadline]);
      clearTimeout(timer);
      // Past the grace period, stop waiting for running jobs: their locks lapse and another worker takes them.
      await Promise.all(workers.map((w) => w.close(true)));
      await Promise.all(
        [...queues, ...(shards ? [shards] : []), ...(reports ? [reports] : [])].map((q) => q.close()),
      );
    },
  };
}
