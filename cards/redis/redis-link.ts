/**
 * The web process's one Redis connection. It is a client connection (redisForClient: no offline queue, no
 * automatic reconnect), so a request never waits on a Redis that is down; instead every probe, scrape or admin
 * request that needs Redis connects it again on demand, so the process recovers by itself once Redis is back.
 * Nothing connects at start-up: the web process starts, and answers /health, while Redis is down.
 */
import type { Redis } from 'ioredis';
import { redactUrl } from '../../connectors/hubspot/redact-url';
import { redisForClient } from '../../worker/queue/redis-connection';

export type RedisLink = {
  /** The shared client; connected only while `connected()` has succeeded and Redis has not gone away since. */
  readonly redis: Redis;
  /** The URL with any password masked, for messages. */
  readonly where: string;
  /** Resolves once the client is connected (connecting it when needed), or rejects within `timeoutMs`. */
  connected(timeoutMs: number): Promise<Redis>;
  /** Connects when needed and PINGs; rejects within `timeoutMs` with a message that says what failed. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
};

export class RedisNotReadyError extends Error {
  readonly code = 'REDIS_NOT_READY';
  constructor(message: string) {
    super(message);
    this.name = 'RedisNotReadyError';
  }
}

/** Rejects with `RedisNotReadyError(message)` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisNotReadyError(message)), ms);
  });
  // race() subscribes to both, so the loser's later rejection is handled, not reported as unhandled.
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createRedisLink(url: string): RedisLink {
  const redis = redisForClient(url);
  const where = redactUrl(url);
  let lastError: string | undefined;
  // Without a listener ioredis prints every refused connection as an "Unhandled error event".
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  let connecting: Promise<void> | undefined;
  let closed = false;

  function connect(): Promise<void> {
    if (closed) return Promise.reject(new RedisNotReadyError('the server is shutting down'));
    if (redis.status === 'ready') return Promise.resolve();
    if (connecting === undefined) {
      lastError = undefined;
      connecting = (
        redis.status === 'wait' || redis.status === 'end' ? redis.connect() : readyOrEnd(redis)
      ).finally(() => {
        connecting = undefined;
      });
    }
    return connecting;
  }

  const reason = (error: unknown) =>
    redactUrl(lastError ?? (error instanceof Error ? error.message : String(error)));

  async function connected(timeoutMs: number): Promise<Redis> {
    // The common case (every card request asks): no timer, no race.
    if (!closed && redis.status === 'ready') return redis;
    try {
      await withTimeout(connect(), timeoutMs, `no connection within ${timeoutMs} ms`);
      return redis;
    } catch (error) {
      throw new RedisNotReadyError(`Redis at ${where} does not answer (${reason(error)})`);
    }
  }

  return {
    redis,
    where,
    connected,
    async ping(timeoutMs) {
      const started = Date.now();
      await connected(timeoutMs);
      const left = Math.max(1, timeoutMs - (Date.now() - started));
      try {
        await withTimeout(redis.ping(), left, `no PONG within ${timeoutMs} ms`);
      } catch (error) {
        throw new RedisNotReadyError(`Redis at ${where} does not answer PING (${reason(error)})`);
      }
    },
    async close() {
      closed = true;
      if (redis.status === 'ready') {
        try {
          await redis.quit();
          return;
        } catch {
          // fall through: drop the connection instead
        }
      }
      // Already ended: ioredis' disconnect() would arm a 2 s timer on the closed socket that nothing clears,
      // holding the process open that long after SIGTERM.
      if (redis.status !== 'end') redis.disconnect();
    },
  };
}

/** For a connection some other code started: resolves on 'ready', rejects when it ends instead. */
function readyOrEnd(redis: Redis): Promise<void> {
  return new Promise((resolve, reject) => {
    const onReady = () => {
      redis.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      redis.off('ready', onReady);
      reject(new Error('connection closed'));
    };
    redis.once('ready', onReady);
    redis.once('end', onEnd);
  });
}
