/**
 * The parts of a store key or path that a score flow names: a run id, a shard number, a scratch name. Checked
 * here once for both stores, so a run id cannot climb out of its directory or end a Redis hash tag.
 */
import { CrmClvError } from '../../domain/errors';

/** A run id, shard number or scratch name a store cannot use; a programming error, not bad stored data. */
export class RunKeyError extends CrmClvError<'RUN_KEY_INVALID'> {
  constructor(message: string) {
    super('RUN_KEY_INVALID', message);
  }
}

const SCRATCH_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * A run id as one key segment or file name: anything outside `[A-Za-z0-9_-]` %-escaped, like `tenantKey`, so
 * `run-1:x/..` cannot add a key segment or a path step. `runIdPart('run-1.5')` is `run-1%2e5`.
 */
export function runIdPart(runId: string): string {
  if (runId === '') throw new RunKeyError('a run id must not be empty');
  return runId.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function assertScratchName(name: string): void {
  if (!SCRATCH_NAME.test(name))
    throw new RunKeyError(
      `scratch name '${name}' must be one or more letters, digits, '-' or '_'; rename it in the caller`,
    );
}

export function assertShardNumber(shard: number): void {
  if (!Number.isSafeInteger(shard) || shard < 0)
    throw new RunKeyError(`shard number ${shard} must be a whole number from 0`);
}

export function assertShardCount(shards: number): void {
  if (!Number.isSafeInteger(shards) || shards < 0)
    throw new RunKeyError(`shard count ${shards} must be a whole number from 0`);
}

/** A commit that found shards missing: "shards 0, 2 and 5 of 6 are missing", and what to do. */
export function missingShardsMessage(
  tenant: string,
  runId: string,
  shards: number,
  missing: readonly number[],
): string {
  const which =
    missing.length === 1
      ? `shard ${missing[0]} of ${shards} is`
      : `shards ${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]} of ${shards} are`;
  return (
    `score run ${runId} of ${tenant} was not committed: ${which} missing (never stored, or expired); ` +
    'store them again, then commit'
  );
}

/** A commit whose shards hold another number of Scores than the run says. */
export function shardCountMessage(
  tenant: string,
  run: { runId: string; customers: number },
  shards: number,
  scores: number,
): string {
  return (
    `score run ${run.runId} of ${tenant} was not committed: its ${shards === 1 ? 'shard holds' : `${shards} shards hold`} ` +
    `${scores} scores but the run has ${run.customers}; score the run again`
  );
}
