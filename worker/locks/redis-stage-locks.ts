/**
 * Stage locks in Redis, for workers on any number of machines. One key per tenant and stage,
 * `<prefix>:{<tenantKey>}:lock:<stage>`, in the tenant's hash tag like its state (redis-record-store.ts).
 *
 * Taken with SET NX PX: the key expires by itself if the holder dies, so a crashed worker blocks the stage
 * for one TTL at most. While held, a timer renews it every ttl/3; renewal and release are compare-and-act
 * scripts on the holder's token, so a holder whose key expired and was taken by another never extends or
 * deletes the other's lock. A renewal that finds the key gone or someone else's aborts the holder's signal.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { tenantKey, type TenantId } from '../../domain/tenant';
import type { Stage } from '../queue/stages';
import {
  pollForLock,
  StageLockHeldError,
  StageLockLostError,
  type LockHolder,
  type StageLock,
  type StageLocks,
} from './stage-lock';

/**
 * Long enough that a busy event loop (scoring fits the model on it) still renews in time: a renewal that
 * runs later than the TTL finds the lock lost. Scoring gets the same span as its BullMQ job lock.
 */
export const DEFAULT_LOCK_TTL_MS: Record<Stage, number> = {
  sync: 60_000,
  score: 10 * 60_000,
  writeback: 60_000,
};

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export function stageLockKey(prefix: string, tenant: TenantId, stage: Stage): string {
  return `${prefix}:{${tenantKey(tenant)}}:lock:${stage}`;
}

export type RedisStageLocksOptions = {
  redis: Redis;
  /** The deployment's key prefix (redisPrefix()), without braces. */
  prefix: string;
  ttlMs?: Partial<Record<Stage, number>>;
  /** Called once when a held lock is found lost, besides aborting its signal (for a log line). */
  onLost?: (error: StageLockLostError) => void;
};

type Token = { id: string } & LockHolder;

export function redisStageLocks(options: RedisStageLocksOptions): StageLocks {
  const { redis, prefix } = options;
  const ttlFor = (stage: Stage) => options.ttlMs?.[stage] ?? DEFAULT_LOCK_TTL_MS[stage];

  async function holderOf(key: string): Promise<LockHolder | undefined> {
    const value = await redis.get(key);
    if (value === null) return undefined;
    try {
      const { owner, since } = JSON.parse(value) as Token;
      return { owner, since };
    } catch {
      return { owner: 'an unknown holder', since: 'unknown' };
    }
  }

  function hold(tenant: TenantId, stage: Stage, key: string, token: string, ttlMs: number): StageLock {
    const controller = new AbortController();
    let renewedAt = Date.now();
    let done = false;
    const lose = (why: string) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      const error = new StageLockLostError(tenant, stage, why);
      controller.abort(error);
      options.onLost?.(error);
    };
    const timer = setInterval(() => {
      // A worker's connection queues commands while Redis is away instead of failing them, so a renewal may
      // never answer: the clock, not the reply, says when the key has surely expired.
      if (Date.now() - renewedAt >= ttlMs) return lose('it was not renewed within its TTL');
      redis.eval(RENEW, 1, key, token, String(ttlMs)).then(
        (renewed) => {
          if (done) return;
          if (renewed === 1) renewedAt = Date.now();
          else lose('its Redis key expired or was deleted');
        },
        () => {}, // the next tick tries again; the check above ends it once the TTL has passed
      );
    }, ttlMs / 3);
    // The timer only keeps a lock alive; it must not keep a finished process running.
    timer.unref();
    return {
      tenant,
      stage,
      signal: controller.signal,
      release: async () => {
        if (done) return false;
        done = true;
        clearInterval(timer);
        return (await redis.eval(RELEASE, 1, key, token)) === 1;
      },
    };
  }

  return {
    acquire(tenant, stage, acquireOptions = {}) {
      const key = stageLockKey(prefix, tenant, stage);
      const ttlMs = ttlFor(stage);
      return pollForLock(
        async () => {
          const token = JSON.stringify({
            id: randomUUID(),
            owner: `pid ${process.pid} on ${hostname()}`,
            since: new Date().toISOString(),
          } satisfies Token);
          const set = await redis.set(key, token, 'PX', ttlMs, 'NX');
          return set === 'OK' ? hold(tenant, stage, key, token, ttlMs) : undefined;
        },
        acquireOptions.waitMs ?? 0,
        async () =>
          new StageLockHeldError(
            tenant,
            stage,
            await holderOf(key),
            `it runs once that one ends; the lock (Redis key ${key}) expires by itself ${Math.round(ttlMs / 1000)} s after its holder stops renewing it`,
          ),
      );
    },
  };
}
