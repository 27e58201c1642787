/**
 * The web process's Redis connection: it fails fast, within the caller's timeout, and connects again on demand
 * after Redis went away, so a Redis restart needs no restart of the web process.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createRedisLink, RedisNotReadyError } from '../../cards/redis/redis-link';

describe('createRedisLink', () => {
  it('pings the test Redis, and connects again on demand after the connection ended', async () => {
    const link = createRedisLink(process.env.REDIS_URL!);
    try {
      expect(link.redis.status).toBe('wait'); // nothing connects before it is needed
      await link.ping(1000);
      expect(link.redis.status).toBe('ready');

      const ended = new Promise((resolve) => link.redis.once('end', resolve));
      link.redis.disconnect();
      await ended;
      await expect(link.redis.ping()).rejects.toThrow(); // a client connection never queues offline

      await link.ping(1000);
      expect(link.redis.status).toBe('ready');
    } finally {
      await link.close();
    }
  });

  it('rejects with RedisNotReadyError naming the URL (password masked) when nothing answers', async () => {
    const link = createRedisLink('redis://:hunter2@127.0.0.1:1');
    try {
      const error = await link.ping(1000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisNotReadyError);
      expect((error as Error).message).toMatch(/^Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1 does not answer/);
      expect((error as Error).message).not.toContain('hunter2');
    } finally {
      await link.close();
    }
  });

  it('gives up within the timeout on a server that accepts the connection and never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const link = createRedisLink(`redis://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    try {
      const started = Date.now();
      await expect(link.ping(300)).rejects.toThrow(RedisNotReadyError);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await link.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      // The closed connection fails ioredis' pending ready check, and its recovery arms a 2 s disconnect timer
      // on the already closed socket that nothing clears; let it run out so jest exits cleanly.
      await new Promise((resolve) => setTimeout(resolve, 2100));
    }
  });
});
