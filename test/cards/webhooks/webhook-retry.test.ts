/**
 * When a run cannot be enqueued, the delivery is answered 503 and its events are forgotten, so HubSpot's retry
 * is taken as new and enqueues the run: no event is lost to a failure between the dedupe and the queue.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { Registry } from 'prom-client';
import { createLogger } from '../../../cards/http/request-log';
import { createRedisLink, type RedisLink } from '../../../cards/redis/redis-link';
import { hubspotWebhookRoute, type RunCoalescer } from '../../../cards/webhooks';
import { RedisTenantRegistry } from '../../../worker/tenants';
import { testRedis, type TestRedis } from '../../helpers/test-redis';
import { buildEvent, dedupeCount, registerPortals, signedDelivery } from './webhook-harness';

const SECRET = `s-${randomBytes(8).toString('hex')}`;
let t: TestRedis;
let link: RedisLink;
let server: Server;
let base: string;
let failNext = 0;
const runs: string[] = [];

beforeAll(async () => {
  t = await testRedis();
  await registerPortals(t.redis, t.prefix, [1000]);
  link = createRedisLink(process.env.REDIS_URL!);
  const coalescer: RunCoalescer = {
    async ensureRun(tenant) {
      if (failNext > 0) {
        failNext--;
        throw new Error('Connection is closed.');
      }
      runs.push(tenant);
      return { tenant, runId: 'webhook-0' };
    },
  };
  const app = express();
  app.use(
    hubspotWebhookRoute({
      clientSecret: SECRET,
      redis: link,
      statePrefix: t.prefix,
      registry: (redis) => new RedisTenantRegistry({ redis, prefix: t.prefix }),
      runs: coalescer,
      metrics: new Registry(),
      logger: createLogger({ level: 'silent' }),
      redisTimeoutMs: 1000,
    }),
  );
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await link.close();
  await t.cleanup();
});

it('forgets the events of a delivery whose run failed to enqueue, and takes the retry', async () => {
  const events = [buildEvent({ portalId: 1000, eventId: 1 }), buildEvent({ portalId: 1000, eventId: 2 })];
  const send = (attempt: number) =>
    fetch(
      `http://${base}/webhooks/hubspot`,
      signedDelivery(JSON.stringify(events.map((e) => ({ ...e, attemptNumber: attempt }))), {
        secret: SECRET,
        host: base,
      }),
    );
  failNext = 1;
  const failed = await send(0);
  expect(failed.status).toBe(503);
  expect(((await failed.json()) as { error: string }).error).toBe('WEBHOOK_NOT_TAKEN');
  expect(await dedupeCount(t.redis, t.prefix, 1000)).toBe(0);
  expect(runs).toEqual([]);

  const retry = await send(1);
  expect(retry.status).toBe(200);
  expect(await retry.json()).toEqual({ received: 2, new: 2, duplicates: 0, ignored: 0 });
  expect(runs).toEqual(['hubspot-1000']);
  expect(await dedupeCount(t.redis, t.prefix, 1000)).toBe(2);
});
