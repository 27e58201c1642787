/**
 * The registry a command uses: Redis when REDIS_URL is set (the worker's registry), else
 * `<dataDir>/tenants.json` (one-off CLI runs). A Redis that does not answer fails the command within a couple
 * of seconds with a message that says where it looked, rather than hanging on ioredis' reconnect loop.
 */
import { Redis } from 'ioredis';
import { redactUrl } from '../../connectors/hubspot/redact-url';
import { DEFAULT_REDIS_PREFIX, RedisPrefixError } from '../state/redis-record-store';
import { RedisUrlError, TenantRegistryUnavailableError } from './errors';
import { FileTenantRegistry } from './file-tenant-registry';
import { RedisTenantRegistry } from './redis-tenant-registry';
import type { TenantRegistry } from './tenant-registry';

export const DEFAULT_CONNECT_TIMEOUT_MS = 2000;

export type OpenTenantRegistryOptions = {
  /** Where the file registry lives when there is no Redis (`data` in the CLI). */
  dataDir: string;
  /** REDIS_URL; unset or blank means the file registry. */
  redisUrl?: string;
  /** Redis key prefix (default `crm-clv`, the record store's). */
  redisPrefix?: string;
  /** The token key; read from CRM_CLV_TOKEN_KEY when a token is first sealed or opened if absent. */
  key?: Buffer;
  /** How long Redis has to connect and answer PING. */
  connectTimeoutMs?: number;
};

export type OpenedTenantRegistry = {
  registry: TenantRegistry;
  /** Where the registry is, for messages: a file path, or the Redis URL (credentials masked) and key. */
  location: string;
  /** Closes the Redis connection, if any; the file registry holds nothing open. */
  close(): Promise<void>;
};

/**
 * Opens the registry the environment asks for.
 * Example: `const { registry, close } = await openTenantRegistry({ dataDir: 'data', redisUrl: process.env.REDIS_URL })`.
 */
export async function openTenantRegistry(options: OpenTenantRegistryOptions): Promise<OpenedTenantRegistry> {
  const url = options.redisUrl?.trim() ?? '';
  if (url === '') {
    const registry = new FileTenantRegistry({ dataDir: options.dataDir, key: options.key });
    return { registry, location: registry.path, close: async () => undefined };
  }
  const prefix = options.redisPrefix ?? DEFAULT_REDIS_PREFIX;
  // Both checked before connecting: a typo should not cost a connect timeout.
  if (prefix === '' || /[{}]/.test(prefix)) throw new RedisPrefixError(prefix);
  if (!isRedisUrl(url)) throw new RedisUrlError();
  const redis = await connectRedis(url, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  const registry = new RedisTenantRegistry({ redis, prefix, key: options.key });
  return {
    registry,
    location: `${redactUrl(url)} (key ${registry.hashKey})`,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function isRedisUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'redis:' || protocol === 'rediss:';
  } catch {
    return false;
  }
}

/** A connected client that has answered PING, or TenantRegistryUnavailableError within `timeoutMs`. */
async function connectRedis(url: string, timeoutMs: number): Promise<Redis> {
  let connected = false;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    // How long disconnect() waits for a half-open socket to close before destroying it (default 2 s).
    disconnectTimeout: 500,
    maxRetriesPerRequest: 1,
    // No retries until the first connection (fail fast); after it, reconnect like any long-lived client.
    retryStrategy: (times) => (connected ? Math.min(times * 200, 2000) : null),
  });
  // Failures reach the caller through the connect below or the command that hit them; without a listener
  // ioredis would also report each as an unhandled 'error' event.
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than connect()'s "Connection is closed.".
  let socketError: unknown;
  redis.on('error', (error) => {
    socketError ??= error;
  });
  let timer: NodeJS.Timeout | undefined;
  // ioredis' connectTimeout covers the TCP connect only: a server that accepts and never answers (not Redis,
  // or a stuck one) would hang the ready check, hence a timer over connect and PING together.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectTimeout()), timeoutMs);
  });
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), timeout]);
    connected = true;
    return redis;
  } catch (error) {
    // Not on a client already ended: its timer for a socket that has closed would hold the process 0.5 s.
    if (redis.status !== 'end') redis.disconnect();
    const reason = unavailableReason(
      error instanceof ConnectTimeout ? error : (socketError ?? error),
      timeoutMs,
    );
    throw new TenantRegistryUnavailableError(redactUrl(url), reason);
  } finally {
    clearTimeout(timer);
  }
}

class ConnectTimeout extends Error {}

function unavailableReason(error: unknown, timeoutMs: number): string {
  if (error instanceof ConnectTimeout) return `did not answer within ${timeoutMs / 1000} s`;
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  // A reply error (WRONGPASS, NOAUTH…) is Redis answering: the URL's password or user is wrong.
  if (error instanceof Error && error.name === 'ReplyError') return `refused the connection (${message})`;
  return `cannot be reached (${redactUrl(message)})`;
}
