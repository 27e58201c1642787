/**
 * Redis connections per BullMQ's rules: a worker's connection retries forever (maxRetriesPerRequest null,
 * or BullMQ refuses it), a web or CLI connection fails fast so a request or a command never hangs. Keys are
 * namespaced with BullMQ's `prefix`, never ioredis' `keyPrefix` (BullMQ's Lua scripts build keys themselves).
 */
import { Redis } from 'ioredis';
import { redactUrl } from '../../connectors/hubspot/redact-url';
import { DEFAULT_REDIS_PREFIX } from '../state/redis-record-store';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function redisForWorker(url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export function redisForClient(url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  // A refused connection is reported once, by connectClient's rejection; without a listener ioredis would
  // also print an "Unhandled error event" stack.
  redis.on('error', () => {});
  return redis;
}

/** Connects a client connection, or says in one line that Redis does not answer (and where). */
export async function connectClient(redis: Redis, url: string): Promise<Redis> {
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis does not answer at ${redactUrl(url)} (${error instanceof Error ? error.message : String(error)}): start redis-server or set REDIS_URL`,
    );
  }
}

/**
 * BullMQ needs `noeviction`: under any other policy Redis may drop job keys when full and runs break
 * silently. Returns a warning to print, or undefined when the policy is right (or cannot be read).
 */
export async function evictionPolicyWarning(redis: Redis): Promise<string | undefined> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown as string[];
    const policy = reply[1];
    return policy && policy !== 'noeviction'
      ? `Redis maxmemory-policy is '${policy}': BullMQ needs 'noeviction' or jobs may vanish (redis-cli config set maxmemory-policy noeviction)`
      : undefined;
  } catch {
    return undefined; // managed Redis services often forbid CONFIG; nothing to say then
  }
}

/**
 * The key namespace of one deployment (CRM_CLV_REDIS_PREFIX, default `crm-clv`): the state store and the
 * tenant registry use it as is, the queues inside a hash tag so BullMQ's multi-key scripts stay in one
 * Redis Cluster slot.
 */
export function redisPrefix(): string {
  return process.env.CRM_CLV_REDIS_PREFIX || DEFAULT_REDIS_PREFIX;
}

export function queuePrefix(prefix = redisPrefix()): string {
  return `{${prefix}}`;
}
