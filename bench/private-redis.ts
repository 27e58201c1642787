/**
 * A Redis for a bench stage: a private `redis-server` on a free port (no persistence), so other clients' keys
 * and traffic stay out of the figures; when the binary cannot be started, REDIS_URL (default 127.0.0.1:6379)
 * with a unique key prefix, whose keys are deleted at the end, and the reason why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export type BenchRedisInfo =
  { private: true; version: string; port: number } | { private: false; url: string; reason: string };

export type BenchRedis = {
  redis: Redis;
  info: BenchRedisInfo;
  /** Where another process connects (ioredis accepts the URL). */
  url: string;
  /** Key prefix for the stage's own keys: the store's default on a private server, a unique one otherwise. */
  prefix: string;
  /** Queue (BullMQ) prefix, hash-tagged like the worker's. */
  queuePrefix: string;
  stop(): Promise<void>;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `redis-server` on a free port; the reason as a string when it cannot be started or does not answer. */
async function privateServer(): Promise<BenchRedis | string> {
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const started = await new Promise<true | string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('spawn', () => resolve(true));
  });
  if (started !== true) return `redis-server could not be started (${started})`;
  let redis: Redis;
  for (let attempt = 0; ; attempt++) {
    // A fresh client per attempt, without its own retries: the server may still be starting.
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
      probe.disconnect();
      break;
    } catch (error) {
      probe.disconnect();
      if (attempt >= 50) {
        child.kill();
        return `redis-server on port ${port} did not answer (${error instanceof Error ? error.message : String(error)})`;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const version = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
  return {
    redis,
    info: { private: true, version, port },
    url: `redis://127.0.0.1:${port}`,
    prefix: 'crm-clv',
    queuePrefix: '{crm-clv}',
    async stop() {
      await redis.quit().catch(() => undefined);
      child.kill();
    },
  };
}

export async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

async function deleteMatching(redis: Redis, pattern: string): Promise<void> {
  for (const key of await keysMatching(redis, pattern)) await redis.unlink(key);
}

/** A private redis-server when possible, else REDIS_URL under a unique prefix (named after `stage`). */
export async function benchRedis(stage: string): Promise<BenchRedis> {
  const own = await privateServer();
  if (typeof own !== 'string') return own;
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const prefix = `crm-clv-bench-${stage}-${randomBytes(4).toString('hex')}`;
  const queuePrefix = `{${prefix}-queues}`;
  return {
    redis,
    info: { private: false, url, reason: own },
    url,
    prefix,
    queuePrefix,
    async stop() {
      await deleteMatching(redis, `${prefix}:*`);
      await deleteMatching(redis, `${queuePrefix}:*`);
      await redis.quit();
    },
  };
}
