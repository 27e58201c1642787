/**
 * Worker threads for the CPU-heavy parts of a score run that split into independent pieces (rendering the
 * export's slices, the churn stage beside the segments): the run's process has one event loop, and a 2-core
 * machine has a second core for them. Each thread runs ./pipeline-thread.ts; a task is a name and a
 * structured-clonable input, answered by one message. The threads hold what a run shares (share()) so it is
 * sent once, not with every piece.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker, type Transferable } from 'node:worker_threads';
import { CrmClvError } from '../../../domain/errors';
import type { PipelineTaskName, ThreadAnswer, ThreadRequest } from './thread-protocol';

/** The compiled entry: next to this file in dist, or dist's copy when this file runs from source (tests). */
function threadEntry(): string {
  const here = join(__dirname, 'pipeline-thread.js');
  return existsSync(here)
    ? here
    : resolve(__dirname, '../../../dist/worker/pipeline/parallel/pipeline-thread.js');
}

/**
 * Threads worth starting for work on `rows` customers: none below `minRows` (starting a thread and loading the
 * engine in it costs ~0.2 s), else one per core (plus `beyondCores`, for work whose own thread mostly waits on
 * them) up to `max`. CRM_CLV_THREADS caps it (0: everything in this thread).
 */
export function pipelineThreadCount(rows: number, minRows: number, max = 4, beyondCores = 0): number {
  const cap = Number(process.env.CRM_CLV_THREADS ?? Infinity);
  const limit = Number.isFinite(cap) && cap >= 0 ? Math.floor(cap) : Infinity;
  if (rows < minRows) return 0;
  return Math.max(0, Math.min(availableParallelism() + beyondCores, max, limit));
}

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onPiece?: (piece: unknown) => void;
};

type Thread = { worker: Worker; pending: Map<number, Pending>; failed: Error | null };

export class PipelineThreads {
  private nextId = 1;
  private closed = false;

  private constructor(private readonly threads: Thread[]) {}

  /**
   * @param youngGenerationMb the threads' young generation: a rendering thread keeps a slice's objects alive
   *   while it works on it, and a young generation that holds them spares the copying into the old one.
   */
  static start(count: number, options: { youngGenerationMb?: number } = {}): PipelineThreads {
    const threads: Thread[] = [];
    for (let i = 0; i < count; i++) {
      const worker = new Worker(threadEntry(), {
        resourceLimits:
          options.youngGenerationMb === undefined
            ? undefined
            : { maxYoungGenerationSizeMb: options.youngGenerationMb },
      });
      const thread: Thread = { worker, pending: new Map(), failed: null };
      worker.on('message', (answer: ThreadAnswer) => {
        const waiting = thread.pending.get(answer.id);
        if (waiting === undefined) return;
        if ('piece' in answer) {
          waiting.onPiece?.(answer.piece);
          return;
        }
        thread.pending.delete(answer.id);
        if (answer.ok) waiting.resolve(answer.result);
        else waiting.reject(threadError(answer.error));
      });
      const fail = (error: Error) => {
        thread.failed ??= error;
        for (const waiting of thread.pending.values()) waiting.reject(thread.failed);
        thread.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) =>
        fail(new Error(`a pipeline thread exited with code ${code} before it answered`)),
      );
      threads.push(thread);
    }
    return new PipelineThreads(threads);
  }

  get size(): number {
    return this.threads.length;
  }

  /**
   * Runs a task on the thread with the fewest tasks waiting, or on thread number `thread` (a task reading
   * what an earlier one kept there).
   */
  run<T>(
    task: PipelineTaskName,
    input: unknown,
    transfer: readonly Transferable[] = [],
    thread?: number,
  ): Promise<T> {
    let best = this.threads[thread ?? 0];
    if (thread === undefined) for (const t of this.threads) if (t.pending.size < best.pending.size) best = t;
    return this.runOn(best, task, input, transfer);
  }

  /**
   * Runs a task that sends pieces of its result as it goes (onPiece, in order) before it answers, on the
   * thread with the fewest tasks waiting.
   */
  stream<T>(task: PipelineTaskName, input: unknown, onPiece: (piece: unknown) => void): Promise<T> {
    let best = this.threads[0];
    for (const t of this.threads) if (t.pending.size < best.pending.size) best = t;
    return this.runOn<T>(best, task, input, [], onPiece);
  }

  /** Runs a task on every thread (e.g. handing each the basis of an export); resolves when all have. */
  async share(task: PipelineTaskName, input: unknown): Promise<void> {
    await Promise.all(this.threads.map((t) => this.runOn(t, task, input, [])));
  }

  /** Stops every thread; tasks still waiting are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private runOn<T>(
    thread: Thread,
    task: PipelineTaskName,
    input: unknown,
    transfer: readonly Transferable[],
    onPiece?: (piece: unknown) => void,
  ) {
    if (this.closed) return Promise.reject(new Error('the pipeline threads are closed'));
    if (thread.failed) return Promise.reject(thread.failed);
    const id = this.nextId++;
    return new Promise<T>((resolvePromise, reject) => {
      thread.pending.set(id, { resolve: resolvePromise as (value: unknown) => void, reject, onPiece });
      const request: ThreadRequest = { id, task, input };
      thread.worker.postMessage(request, transfer);
    });
  }
}

/** A thread's error as this side raises it: typed errors keep their code (an input error still exits 2). */
function threadError(e: Extract<ThreadAnswer, { ok: false }>['error']): Error {
  const error = e.code === undefined ? new Error(e.message) : new CrmClvError(e.code, e.message);
  error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}
