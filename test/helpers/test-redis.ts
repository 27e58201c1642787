/**
 * A Redis client for one test file and a key prefix no other file uses, so files can share one server while
 * jest runs them in parallel. Cleanup deletes only that prefix's keys (and its hash-tagged queue keys): never
 * FLUSHDB on a shared server.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { keysMatching } from '../../bench/private-redis';
import { REDIS_NEEDED } from '../setup/redis-global-setup';

export type TestRedis = {
  redis: Redis;
  prefix: string;
  /** Deletes every key under `prefix` and closes the client. */
  cleanup(): Promise<void>;
};

export async function testRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL;
  if (url === undefined || url === '')
    throw new Error(`REDIS_URL is not set (see jest.config.js). ${REDIS_NEEDED}`);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `test-${process.pid}-${randomBytes(6).toString('hex')}`;
  return {
    redis,
    prefix,
    async cleanup() {
      await deleteKeys(redis, `${prefix}:*`);
      // Queue keys of the file too: BullMQ prefixes are hash-tagged, `{<prefix>…}:<queue>:…`.
      await deleteKeys(redis, `{${prefix}*`);
      await redis.quit();
    },
  };
}

/** SCAN + UNLINK of the keys matching `pattern`. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Every key matching `pattern`, sorted. */
export async function listKeys(redis: Redis, pattern: string): Promise<string[]> {
  return [...new Set(await keysMatching(redis, pattern))].sort();
}
