/**
 * Read-only handles on the worker's queues (worker/queue/stages.ts) for the metrics and the admin
 * board. They share the web process's client connection and are built so that constructing them does no
 * I/O: no wait for a connection, no version check (the worker does that on its own connection), and no queue
 * metadata written (the web process only reads). So they exist from start-up whether or not Redis is up, and
 * every read fails fast while it is down.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES } from '../../worker/queue/stages';

/** Every queue the workers take jobs from: the pipeline's stages, the retrain, and the schedules' ticks. */
type Stage = keyof typeof QUEUE_NAMES;
const STAGES = Object.keys(QUEUE_NAMES) as Stage[];

/** The job states reported per queue (BullMQ's getJobCounts names). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export type StageQueueCounts = Record<Stage, Record<QueueState, number>>;

export type StageQueues = {
  readonly queues: ReadonlyMap<Stage, Queue>;
  /** Job counts per stage queue and state; the caller bounds the time (the connection fails fast when down). */
  counts(): Promise<StageQueueCounts>;
  close(): Promise<void>;
};

export function createStageQueues(connection: Redis, prefix: string): StageQueues {
  const queues = new Map<Stage, Queue>();
  for (const stage of STAGES) {
    const queue = new Queue(QUEUE_NAMES[stage], {
      connection,
      prefix,
      skipWaitingForReady: true,
      skipVersionCheck: true,
      skipMetasUpdate: true,
    });
    // A Queue re-emits its connection's errors; with no listener an 'error' event would throw.
    queue.on('error', () => undefined);
    queues.set(stage, queue);
  }
  return {
    queues,
    async counts() {
      const entries = await Promise.all(
        STAGES.map(async (stage) => {
          const raw = await queues.get(stage)!.getJobCounts(...QUEUE_STATES);
          const counts = Object.fromEntries(QUEUE_STATES.map((state) => [state, raw[state] ?? 0])) as Record<
            QueueState,
            number
          >;
          return [stage, counts] as const;
        }),
      );
      return Object.fromEntries(entries) as StageQueueCounts;
    },
    async close() {
      // The connection is shared (the link closes it); closing a queue only releases its listeners.
      await Promise.all([...queues.values()].map((queue) => queue.close().catch(() => undefined)));
    },
  };
}
