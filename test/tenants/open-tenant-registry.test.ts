import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FileTenantRegistry,
  openTenantRegistry,
  RedisTenantRegistry,
  RedisUrlError,
  TenantRegistryUnavailableError,
} from '../../worker/tenants';
import { RedisPrefixError } from '../../worker/state';
import { tempDir } from '../helpers/run-cli';
import { deleteKeys, testRedis } from '../helpers/test-redis';
import { connection } from './tenant-registry-contract';

const redisUrl = () => process.env.REDIS_URL ?? '';

/** A TCP server that accepts connections and never answers (a stuck or non-Redis server). */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

describe('openTenantRegistry', () => {
  const key = randomBytes(32);

  it('opens <dataDir>/tenants.json when REDIS_URL is unset or blank', async () => {
    const dataDir = tempDir('open-registry');
    try {
      for (const url of [undefined, '', '  ']) {
        const opened = await openTenantRegistry({ dataDir, redisUrl: url, key });
        expect(opened.registry).toBeInstanceOf(FileTenantRegistry);
        expect(opened.location).toBe(join(dataDir, 'tenants.json'));
        await opened.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('opens the Redis registry under the given prefix when REDIS_URL is set', async () => {
    const prefix = `test-open-${randomBytes(6).toString('hex')}`;
    const opened = await openTenantRegistry({
      dataDir: 'unused',
      redisUrl: redisUrl(),
      redisPrefix: prefix,
      key,
    });
    const check = await testRedis();
    try {
      expect(opened.registry).toBeInstanceOf(RedisTenantRegistry);
      expect(opened.location).toContain(`(key ${prefix}:tenants)`);
      await opened.registry.put(connection('1'), 'token-via-factory');
      expect(await check.redis.hkeys(`${prefix}:tenants`)).toEqual(['hubspot-1']);
      expect(await opened.registry.secret('hubspot-1')).toBe('token-via-factory');
    } finally {
      await opened.close();
      await deleteKeys(check.redis, `${prefix}:*`);
      await check.cleanup();
    }
  });

  it('fails within the timeout when nothing listens, naming the URL without its password', async () => {
    const url = `redis://someone:pa55word@127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const failed = openTenantRegistry({ dataDir: 'unused', redisUrl: url, connectTimeoutMs: 1000 });
    await expect(failed).rejects.toThrow(TenantRegistryUnavailableError);
    await expect(failed).rejects.toThrow(
      /Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+ \(REDIS_URL\) cannot be reached/,
    );
    await expect(failed).rejects.not.toThrow(/pa55word/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up on a server that accepts but never answers', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const failed = openTenantRegistry({ dataDir: 'unused', redisUrl: silent.url, connectTimeoutMs: 300 });
      await expect(failed).rejects.toThrow(/did not answer within 0.3 s/);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await silent.close();
    }
  });

  it('refuses a REDIS_URL that is not redis:// and a bad prefix before connecting, echoing neither URL', async () => {
    await expect(openTenantRegistry({ dataDir: 'd', redisUrl: 'http://u:pw@host' })).rejects.toThrow(
      RedisUrlError,
    );
    await expect(openTenantRegistry({ dataDir: 'd', redisUrl: 'http://u:pw@host' })).rejects.not.toThrow(
      /pw/,
    );
    await expect(openTenantRegistry({ dataDir: 'd', redisUrl: 'not a url' })).rejects.toThrow(RedisUrlError);
    await expect(
      openTenantRegistry({ dataDir: 'd', redisUrl: redisUrl(), redisPrefix: 'a{b' }),
    ).rejects.toThrow(RedisPrefixError);
  });
});
