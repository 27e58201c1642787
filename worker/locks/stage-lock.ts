/**
 * One run of a stage per tenant at a time. Two write-backs of one tenant at once both read the same "last
 * written" values and send every changed value twice; two syncs at once interleave pages and leave older
 * records over newer ones. A stage takes its tenant's lock before it reads anything and gives it back when
 * done; a second run waits for it or stops with a StageLockHeldError.
 *
 * Three holders share this interface: Redis for workers (redis-stage-locks.ts), a lock file for one-off CLI
 * runs on a folder store (file-stage-locks.ts), and a map in this process for the inline runner.
 */
import { CrmClvError } from '../../domain/errors';
import type { TenantId } from '../../domain/tenant';
import type { Stage } from '../queue/stages';

export type StageLock = {
  readonly tenant: TenantId;
  readonly stage: Stage;
  /**
   * Aborted, with a StageLockLostError as its reason, when the lock is no longer ours (it expired while the
   * event loop was blocked, or someone deleted it): the holder must stop before writing anything more.
   */
  readonly signal: AbortSignal;
  /** Gives the lock back if it is still ours; false when it was not (lost, or already released). */
  release(): Promise<boolean>;
};

export type AcquireOptions = {
  /** How long to wait for a held lock before giving up with StageLockHeldError; 0 (default) fails at once. */
  waitMs?: number;
};

export interface StageLocks {
  acquire(tenant: TenantId, stage: Stage, options?: AcquireOptions): Promise<StageLock>;
}

/** Who holds a lock, as far as the holder said when it took it. */
export type LockHolder = { owner: string; since: string };

/** The lock is held by another run; `remedy` says what to do about it in the holder's terms. */
export class StageLockHeldError extends CrmClvError<'STAGE_LOCK_HELD'> {
  constructor(
    readonly tenant: TenantId,
    readonly stage: Stage,
    readonly holder: LockHolder | undefined,
    remedy: string,
  ) {
    const who = holder ? `${holder.owner} since ${holder.since}` : 'another run';
    super('STAGE_LOCK_HELD', `${stage} of ${tenant} is already running (${who}): ${remedy}`);
  }
}

/** The lock was lost while the stage ran: it stopped before writing more, and a later run does the rest. */
export class StageLockLostError extends CrmClvError<'STAGE_LOCK_LOST'> {
  constructor(
    readonly tenant: TenantId,
    readonly stage: Stage,
    why: string,
  ) {
    super(
      'STAGE_LOCK_LOST',
      `${stage} of ${tenant} lost its lock (${why}) and stopped before writing more; run it again (a queued job is retried)`,
    );
  }
}

/**
 * Polls `attempt` until it gives a lock or `waitMs` has passed. The pause grows from 25 ms to 1 s with
 * jitter, so waiters that started together do not all ask again at the same moment.
 */
export async function pollForLock<T>(
  attempt: () => Promise<T | undefined>,
  waitMs: number,
  heldError: () => Promise<Error>,
): Promise<T> {
  const deadline = Date.now() + Math.max(0, waitMs);
  let pause = 25;
  for (;;) {
    const got = await attempt();
    if (got !== undefined) return got;
    const left = deadline - Date.now();
    if (left <= 0) throw await heldError();
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, pause * (0.5 + Math.random()))));
    pause = Math.min(1000, pause * 2);
  }
}

/**
 * Locks held in this process only: for the inline runner, where every stage runs in one process and another
 * process cannot reach the same store.
 */
export function inProcessStageLocks(): StageLocks {
  const held = new Map<string, { token: symbol; holder: LockHolder }>();
  return {
    acquire(tenant, stage, options = {}) {
      const key = `${tenant}\u0000${stage}`;
      return pollForLock(
        async () => {
          if (held.has(key)) return undefined;
          const token = Symbol(key);
          held.set(key, { token, holder: { owner: `this process`, since: new Date().toISOString() } });
          const controller = new AbortController();
          const lock: StageLock = {
            tenant,
            stage,
            signal: controller.signal,
            release: async () => {
              if (held.get(key)?.token !== token) return false;
              held.delete(key);
              return true;
            },
          };
          return lock;
        },
        options.waitMs ?? 0,
        async () =>
          new StageLockHeldError(
            tenant,
            stage,
            held.get(key)?.holder,
            'wait for that run to finish, then run it again',
          ),
      );
    },
  };
}
