/**
 * The rate limit shared through Redis, against the rule it must keep (HubSpot NOTES §4.6: at most `limit`
 * requests in any rolling window per account) with two limiter instances on two connections standing in
 * for two worker processes. Times are wall-clock, so bounds carry a few ms of slack for the round trips.
 */
import { Redis } from 'ioredis';
import { CallThrottledError } from '../../connectors/call-limiter';
import { RedisCallLimiter, rateLimitKeys } from '../../worker/limits/redis-call-limiter';
import { testRedis, type TestRedis } from '../helpers/test-redis';

let t: TestRedis;
let second: Redis;
const SLACK_MS = 15;

beforeAll(async () => {
  t = await testRedis();
  second = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  second.disconnect();
  await t.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function limiter(tenant: string, window: { limit: number; windowMs: number }, redis = t.redis) {
  return new RedisCallLimiter({ redis, prefix: t.prefix, tenant, name: 'general', window });
}

describe('RedisCallLimiter', () => {
  it('keeps two processes of one account inside one window together', async () => {
    const window = { limit: 4, windowMs: 400 };
    const a = limiter('hubspot-1', window);
    const b = limiter('hubspot-1', window, second);
    const starts: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const settle = await (i % 2 === 0 ? a : b).acquire();
        starts.push(Date.now());
        settle();
      }),
    );
    starts.sort((x, y) => x - y);
    // The fifth call after any call starts a full window later; twelve calls need three windows.
    for (let i = 0; i + 4 < starts.length; i++)
      expect(starts[i + 4] - starts[i]).toBeGreaterThanOrEqual(window.windowMs - SLACK_MS);
    expect(starts[11] - t0).toBeGreaterThanOrEqual(2 * window.windowMs - SLACK_MS);
    expect(starts[11] - t0).toBeLessThan(3 * window.windowMs);
  });

  it('counts a call until its response + window, not its start + window', async () => {
    const one = limiter('hubspot-2', { limit: 1, windowMs: 300 });
    const settle = await one.acquire();
    const started = Date.now();
    await sleep(200); // the request is out for 200 ms
    settle();
    await one.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(500 - SLACK_MS);
  });

  it('does not hold another account', async () => {
    const busy = limiter('hubspot-3', { limit: 1, windowMs: 5_000 });
    const other = limiter('hubspot-4', { limit: 1, windowMs: 5_000 });
    await busy.acquire();
    const started = Date.now();
    await other.acquire();
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('pauses every process of the account after a 429', async () => {
    const a = limiter('hubspot-5', { limit: 100, windowMs: 1_000 });
    const b = limiter('hubspot-5', { limit: 100, windowMs: 1_000 }, second);
    const started = Date.now();
    a.pauseUntil(started + 300);
    await sleep(20); // the pause is written by a's process; b learns it from Redis only
    await b.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300 - SLACK_MS);
  });

  it('gives the turn away when asked, counting nothing for the call it did not make', async () => {
    const waits: number[] = [];
    const yielding = new RedisCallLimiter({
      redis: t.redis,
      prefix: t.prefix,
      tenant: 'hubspot-6',
      name: 'general',
      window: { limit: 1, windowMs: 10_000 },
      yieldWhen: (waitMs) => {
        waits.push(waitMs);
        return waitMs > 1_000;
      },
    });
    await yielding.acquire();
    const asked = Date.now();
    const error = await yielding.acquire().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CallThrottledError);
    const resumeAt = (error as CallThrottledError).resumeAt;
    expect(resumeAt - asked).toBeGreaterThan(10_000 - 200);
    expect(resumeAt - asked).toBeLessThanOrEqual(10_000 + SLACK_MS);
    expect(waits).toHaveLength(1);
    const keys = rateLimitKeys(t.prefix, 'hubspot-6', 'general');
    expect(await t.redis.zcard(keys.calls)).toBe(1);
    // A later call in the same process is not stuck behind the refused one.
    const again = await yielding.acquire().catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CallThrottledError);
  });

  it('keeps its keys in the tenant hash slot and lets them expire', async () => {
    const keys = rateLimitKeys(t.prefix, 'hubspot-7', 'search');
    expect(keys.calls).toBe(`${t.prefix}:{hubspot-7}:rate:search`);
    expect(keys.pause.startsWith(keys.calls)).toBe(true);
    const l = new RedisCallLimiter({
      redis: t.redis,
      prefix: t.prefix,
      tenant: 'hubspot-7',
      name: 'search',
      window: { limit: 5, windowMs: 1_000 },
    });
    (await l.acquire())();
    const ttl = await t.redis.pttl(keys.calls);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2_000);
    expect(() => l.resize({ limit: 0, windowMs: 1_000 })).toThrow(RangeError);
  });
});
