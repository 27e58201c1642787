/**
 * A CRM account's rate limit shared by every worker process through Redis: the same sliding-window rule as
 * the connector's in-process limiter (at most `limit` calls counted in any `windowMs`, a call counting from
 * its start until its response is back, then until response + window), kept as a sorted set of calls scored
 * by the time they count from. Each step is one Lua script, so two workers never both take the last slot,
 * and time is Redis' own clock (TIME), so workers on machines whose clocks differ still agree.
 *
 * Keys: `<prefix>:{<tenant>}:rate:<limit>` and its `:pause`, hash-tagged by tenant like the record store, so
 * a script's keys share one Redis Cluster slot and tenants never share a count.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  CallThrottledError,
  checkWindow,
  type CallLimiter,
  type CallLimiterFactory,
  type WindowLimit,
} from '../../connectors/call-limiter';
import { tenantKey, type TenantId } from '../../domain/tenant';

const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: calls, pause. ARGV: limit, windowMs, call id. Returns the wait in ms: 0 when the call was counted.
 * A call counted from t counts until t + window (exclusive), so scores ≤ now − window are gone.
 */
const ACQUIRE = `${NOW_MS}
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return paused - now end
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)`;

/** KEYS: calls. ARGV: call id, windowMs. The response is back: the call counts from now (never earlier). */
const SETTLE = `${NOW_MS}
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) < now then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
end
return 0`;

/** KEYS: pause. ARGV: ms from now. Extends the pause, never shortens it. */
const PAUSE = `${NOW_MS}
local untilMs = now + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]))
end
return 0`;

export type RedisCallLimiterOptions = {
  redis: Redis;
  prefix: string;
  tenant: TenantId;
  name: string;
  window: WindowLimit;
  /**
   * Asked when a call would have to wait `waitMs`: true gives the turn away (acquire rejects with
   * CallThrottledError) instead of waiting in this process. A worker says true when other jobs are queued.
   */
  yieldWhen?: (waitMs: number) => boolean | Promise<boolean>;
};

const WAIT_SLICE_MS = 500;

/** This process's id in call ids: calls of two processes never collide in the sorted set. */
const PROCESS_ID = randomBytes(6).toString('hex');
let callCounter = 0;

export function rateLimitKeys(prefix: string, tenant: TenantId, name: string) {
  const calls = `${prefix}:{${tenantKey(tenant)}}:rate:${name}`;
  return { calls, pause: `${calls}:pause` };
}

export class RedisCallLimiter implements CallLimiter {
  private current: WindowLimit;
  private readonly keys: { calls: string; pause: string };
  /** Calls of this process are served in the order they asked, as in the in-process limiter. */
  private tail: Promise<unknown> = Promise.resolve();
  /** A pause being written: the next acquire waits for it, so a 429 is never followed by a call. */
  private pausing: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RedisCallLimiterOptions) {
    checkWindow(options.window);
    this.current = { ...options.window };
    this.keys = rateLimitKeys(options.prefix, options.tenant, options.name);
  }

  get window(): WindowLimit {
    return { ...this.current };
  }

  resize(window: WindowLimit): void {
    checkWindow(window);
    this.current = { ...window };
  }

  pauseUntil(until: number): void {
    const ms = Math.ceil(until - Date.now());
    if (ms <= 0) return;
    this.pausing = Promise.all([this.pausing, this.options.redis.eval(PAUSE, 1, this.keys.pause, ms)]);
  }

  acquire(): Promise<() => void> {
    const turn = this.tail.then(() => this.take());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<() => void> {
    const { redis, yieldWhen } = this.options;
    const id = `${PROCESS_ID}-${++callCounter}`;
    for (;;) {
      await this.pausing;
      const wait = Number(
        await redis.eval(
          ACQUIRE,
          2,
          this.keys.calls,
          this.keys.pause,
          this.current.limit,
          this.current.windowMs,
          id,
        ),
      );
      if (wait <= 0) {
        let settled = false;
        return () => {
          if (settled) return;
          settled = true;
          // Best effort: a lost settle only leaves the call counted from its start, which under-counts by
          // one round trip; it must not fail the call whose response is already here.
          redis.eval(SETTLE, 1, this.keys.calls, id, this.current.windowMs).catch(() => undefined);
        };
      }
      if (yieldWhen !== undefined && (await yieldWhen(wait)))
        throw new CallThrottledError(this.options.name, Date.now() + wait);
      // In slices, so a job queued meanwhile is noticed (yieldWhen) and a shortened window is seen.
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, WAIT_SLICE_MS)));
    }
  }
}

/** Limiters of one tenant's account in Redis, for a connection's limiterFactory. */
export function redisLimiterFactory(
  options: Omit<RedisCallLimiterOptions, 'name' | 'window'>,
): CallLimiterFactory {
  return (name, window) => new RedisCallLimiter({ ...options, name, window });
}
