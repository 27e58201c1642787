/**
 * A worker process: one BullMQ Worker per stage queue, each running the plain stage processor. Shutdown on
 * SIGTERM/SIGINT is bounded: running jobs get `graceMs` to finish, then the process exits and BullMQ's
 * stalled-job check hands them to another worker (their writes are idempotent, so nothing is written twice).
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isInputError } from '../../domain/errors';
import { StageLockHeldError } from '../locks/stage-lock';
import { STAGE_PROCESSORS, type StageContext } from './stage-processors';
import { QUEUE_NAMES, STAGES } from './stages';

export type WorkerOptions = {
  connection: Redis;
  prefix: string;
  /** Jobs per stage queue at once in this process. */
  concurrency: number;
  /** The context for one job (its progress goes to that job). */
  context(job: Job): StageContext;
  log?: (line: string) => void;
  /**
   * When another run of the same tenant and stage holds its lock, the job waits this long (plus up to half
   * again, so jobs that met the same lock do not all come back at once) and is tried again.
   */
  lockRetryMs?: number;
};

export type RunningWorkers = { workers: Worker[]; close(graceMs?: number): Promise<void> };

/**
 * Scoring runs the engine on the event loop: a long fit must not let the job's lock lapse and the job be
 * taken as stalled, so locks are long (BullMQ renews them at half the duration while the loop is free).
 */
const LOCK_MS = { sync: 60_000, score: 10 * 60_000, writeback: 60_000 } as const;

const LOCK_RETRY_MS = 15_000;

export function startWorkers(options: WorkerOptions): RunningWorkers {
  const log = options.log ?? (() => {});
  const workers = STAGES.map((stage) => {
    const worker = new Worker(
      QUEUE_NAMES[stage],
      async (job: Job, token?: string) => {
        try {
          return await STAGE_PROCESSORS[stage](job.data, options.context(job));
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
          throw error;
        }
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        lockDuration: LOCK_MS[stage],
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
    },
  };
}
