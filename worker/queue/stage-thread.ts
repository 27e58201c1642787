/**
 * A CPU-heavy stage (score, retrain) in a worker thread. Fitting and scoring a large tenant keeps the event
 * loop busy for many seconds; in the worker's own thread that would stall BullMQ's lock renewal and the stage
 * lock's, and the job would be taken as stalled and run twice. Here the thread does the work on its own Redis
 * connection and the worker's loop stays free: locks renew, progress and shutdown are handled as usual.
 *
 * The parent holds the tenant's stage lock; when the lock is lost, the parent terminates the thread, so the
 * stage writes nothing more. The thread's side is this same file, run as the thread's entry.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { CrmClvError } from '../../domain/errors';
import type { TenantId } from '../../domain/tenant';
import { RedisRecordStore } from '../state/redis-record-store';
import { RedisTenantRegistry } from '../tenants/redis-tenant-registry';
import { processScoreFit, QUEUE_PROCESSORS, type StageContext } from './stage-processors';
import type { Stage } from './stages';

/** `score-fit` is the score job's first step (./score-flow); `score` is the whole stage in one thread. */
export type ThreadedStage = 'score' | 'score-fit' | 'retrain';
export const THREADED_STAGES: readonly ThreadedStage[] = ['score', 'score-fit', 'retrain'];

const THREAD_PROCESSORS = {
  score: QUEUE_PROCESSORS.score,
  'score-fit': processScoreFit,
  retrain: QUEUE_PROCESSORS.retrain,
} as const;

export type ThreadSettings = { redisUrl: string; redisPrefix: string; engineVersion: string };

type ThreadInput = ThreadSettings & { stage: ThreadedStage; data: unknown };
type ThreadMessage =
  | { kind: 'progress'; value: number | Record<string, number | string> }
  | { kind: 'done'; result: unknown }
  | { kind: 'failed'; name: string; message: string; code?: string; stack?: string };

/** An error from the thread, with its code kept so an input error is still not retried. */
export class StageThreadError extends CrmClvError {
  constructor(name: string, code: string | undefined, message: string) {
    super(code ?? 'STAGE_FAILED', message);
    this.name = name;
  }
}

/** The compiled entry: next to this file in dist, or dist's copy when this file runs from source (tests). */
function threadEntry(): string {
  const here = join(__dirname, 'stage-thread.js');
  return existsSync(here) ? here : resolve(__dirname, '../../dist/worker/queue/stage-thread.js');
}

export function runStageInThread(
  stage: ThreadedStage,
  data: unknown,
  settings: ThreadSettings,
  options: { signal?: AbortSignal; onProgress?: (value: ThreadMessage & { kind: 'progress' }) => void } = {},
): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    const input: ThreadInput = { ...settings, stage, data };
    const thread = new Worker(threadEntry(), { workerData: input });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      void thread.terminate();
      finish(() => reject(options.signal?.reason));
    };
    options.signal?.addEventListener('abort', onAbort);
    thread.on('message', (message: ThreadMessage) => {
      if (message.kind === 'progress') options.onProgress?.(message);
      else if (message.kind === 'done') finish(() => resolvePromise(message.result));
      else {
        const error = new StageThreadError(message.name, message.code, message.message);
        if (message.stack) error.stack = message.stack;
        finish(() => reject(error));
      }
    });
    thread.on('error', (error) => finish(() => reject(error)));
    thread.on('exit', (code) =>
      finish(() => reject(new Error(`the ${stage} thread exited with code ${code} before it answered`))),
    );
  });
}

/** The thread's side: one stage on its own Redis connection, the lock held by the parent. */
async function serveThread(input: ThreadInput): Promise<void> {
  const port = parentPort!;
  const redis = new Redis(input.redisUrl, { maxRetriesPerRequest: null });
  try {
    const heldByParent = async (stage: Stage, tenant: TenantId) => ({
      tenant,
      stage,
      signal: new AbortController().signal,
      release: async () => true,
    });
    const context: StageContext = {
      store: new RedisRecordStore({ redis, prefix: input.redisPrefix }),
      engineVersion: input.engineVersion,
      progress: async (value) => port.postMessage({ kind: 'progress', value } satisfies ThreadMessage),
      adapterFor: () => {
        throw new Error(`the ${input.stage} stage does not call the CRM`);
      },
      lock: heldByParent,
      // The worker's registry lives under the same prefix as its store (cli/commands/worker.ts).
      acquisitionSpend: async (tenant) =>
        (await new RedisTenantRegistry({ redis, prefix: input.redisPrefix }).get(tenant))?.acquisitionSpend,
    };
    const result = await THREAD_PROCESSORS[input.stage](input.data, context);
    port.postMessage({ kind: 'done', result } satisfies ThreadMessage);
  } catch (error) {
    const e = error as { name?: string; message?: string; code?: unknown; stack?: string };
    port.postMessage({
      kind: 'failed',
      name: e.name ?? 'Error',
      message: e.message ?? String(error),
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(e.stack ? { stack: e.stack } : {}),
    } satisfies ThreadMessage);
  } finally {
    redis.disconnect();
  }
}

if (!isMainThread && (workerData as ThreadInput | undefined)?.stage !== undefined)
  void serveThread(workerData as ThreadInput);
