/**
 * jest globalSetup: makes sure the Redis tests have a server. REDIS_URL wins; else a local Redis on the
 * default port; else a throwaway redis-server (no persistence) on a free port, stopped by the global
 * teardown. The URL reaches the test workers through process.env: jest starts them after this has run, and
 * they inherit the parent's environment. Setup and teardown run in the jest parent process and share only
 * globalThis, where the server handle is kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../bench/private-redis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export const REDIS_NEEDED =
  'Redis is needed for the tests: set REDIS_URL, or install redis-server (Debian: apt-get install redis-server)';

const SERVER = Symbol.for('crm-clv.test.redis-server');
type Holder = { [SERVER]?: ChildProcess };

/** True when a Redis at `url` answers PING within `timeoutMs`. */
export async function answersPing(url: string, timeoutMs = 500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Without a listener a refused connection is also reported as an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Starts a throwaway `redis-server` (no persistence) on a free port and waits until it answers; undefined
 * when redis-server is not installed or never answers.
 */
async function startRedisServer(): Promise<string | undefined> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) return undefined;
  // A crashed jest must not leave the server behind.
  process.once('exit', () => child.kill());
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (child.exitCode !== null) return undefined;
    if (await answersPing(url, 200)) {
      (globalThis as Holder)[SERVER] = child;
      return url;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  return undefined;
}

/** Stops the server startRedisServer started, if any, and waits for it to exit. */
export async function stopRedisServer(): Promise<void> {
  const holder = globalThis as Holder;
  const child = holder[SERVER];
  if (child === undefined) return;
  delete holder[SERVER];
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}

export default async function redisGlobalSetup(): Promise<void> {
  const given = process.env.REDIS_URL;
  if (given !== undefined && given !== '') {
    if (await answersPing(given, 2000)) return;
    throw new Error(`REDIS_URL=${withoutPassword(given)} does not answer PING. ${REDIS_NEEDED}`);
  }
  const url = (await answersPing(DEFAULT_REDIS_URL)) ? DEFAULT_REDIS_URL : await startRedisServer();
  if (url === undefined) throw new Error(REDIS_NEEDED);
  process.env.REDIS_URL = url;
}

/** The URL as it may be printed: a password in it is masked. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
