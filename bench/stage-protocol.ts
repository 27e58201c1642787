/**
 * How the benchmark runs a stage: each stage is its own Node process (forked from dist/bench/stages/<stage>.js)
 * so its peak RSS (getrusage's ru_maxrss) belongs to that stage alone. The child posts one StageMessage.
 */

import { fork } from 'node:child_process';
import path from 'node:path';

export type StageName =
  | 'fit'
  | 'generate'
  | 'hubspot-writeback'
  | 'hubspot-read'
  | 'hubspot-sync-store'
  | 'hubspot-writeback-redis'
  | 'boundary'
  | 'redis-memory'
  | 'salesforce-sync-writeback';

export type StageMessage<R> = { ok: true; result: R } | { ok: false; error: string };

/** Peak resident set size of this process so far, in MiB (process.resourceUsage reports KiB). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Current resident set size in MiB. */
export function rssMiB(): number {
  return process.memoryUsage().rss / 1048576;
}

/** Inside a stage: run `work`, post its result (or the error) to the parent, exit. */
export function runAsStage<R>(work: (args: string[]) => Promise<R> | R): void {
  const send = (message: StageMessage<R>): Promise<void> =>
    new Promise((resolve) => {
      if (process.send) process.send(message, () => resolve());
      else {
        process.stdout.write(JSON.stringify(message, null, 2) + '\n');
        resolve();
      }
    });
  Promise.resolve()
    .then(() => work(process.argv.slice(2)))
    .then(
      (result) => send({ ok: true, result }),
      (error: unknown) => send({ ok: false, error: describe(error) }),
    )
    .then(() => process.exit(0));
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
  }
  return String(error);
}

export class StageFailedError extends Error {
  readonly code = 'STAGE_FAILED';
  constructor(stage: string, detail: string) {
    super(`bench stage "${stage}" failed: ${detail}`);
    this.name = 'StageFailedError';
  }
}

/** Forks dist/bench/stages/<stage>.js with `args` and resolves with its result. */
export function runStage<R>(stage: StageName, args: string[]): Promise<R> {
  return runInChild(path.join(__dirname, 'stages', `${stage}.js`), stage, args);
}

/**
 * Forks `script` (a compiled module that calls runAsStage) and resolves with its result: a stage's own helper
 * processes, e.g. a syncing or writing worker whose peak RSS must not include the stage's.
 */
export function runInChild<R>(script: string, stage: string, args: string[]): Promise<R> {
  return new Promise((resolve, reject) => {
    let message: StageMessage<R> | undefined;
    let stderr = '';
    const child = fork(script, args, {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    child.on('message', (m) => (message = m as StageMessage<R>));
    child.on('error', (error) => reject(new StageFailedError(stage, error.message)));
    child.on('exit', (code, signal) => {
      if (message?.ok) return resolve(message.result);
      if (message && !message.ok) return reject(new StageFailedError(stage, explain(message.error)));
      reject(
        new StageFailedError(
          stage,
          explain(errorLine(stderr)) || `exited with ${code ?? signal} without a result`,
        ),
      );
    });
  });
}

/** The first line that names an error (the child's stderr also carries stack frames and source excerpts). */
function errorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines.find((l) => /^\w*Error\b/.test(l.trim())) ?? lines.slice(-3).join('\n');
}

/** Turns a missing-module error into what to do about it. */
function explain(error: string): string {
  const missing = /Cannot find module '([^']+)'/.exec(error);
  if (missing) {
    return (
      `${error}\n  → a module the stage needs (${missing[1]}) is not built. Run \`npm run bench\` (it builds ` +
      'first); if the module is not in the tree yet, the stage cannot run until it lands.'
    );
  }
  return error;
}
