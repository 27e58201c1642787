/** The Redis stage lock on a real Redis: one holder per tenant and stage, waiting, loss and release. */
import { redisStageLocks, stageLockKey } from '../../worker/locks/redis-stage-locks';
import { StageLockHeldError, StageLockLostError, type StageLock } from '../../worker/locks/stage-lock';
import { testRedis, type TestRedis } from '../helpers/test-redis';

let t: TestRedis;
beforeAll(async () => {
  t = await testRedis();
});
afterAll(async () => {
  await t.cleanup();
});

const held: StageLock[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((lock) => lock.release()));
});
const keep = (lock: StageLock) => (held.push(lock), lock);

describe('redisStageLocks', () => {
  it('keys the lock in the tenant hash tag under the prefix', () => {
    expect(stageLockKey('crm-clv', 'hubspot-1000', 'writeback')).toBe(
      'crm-clv:{hubspot-1000}:lock:writeback',
    );
    expect(stageLockKey('p', 'csv a:b', 'sync')).toBe('p:{csv%20a%3ab}:lock:sync');
  });

  it('refuses a second holder at once with a typed error naming tenant, stage, holder and what to do', async () => {
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix });
    keep(await locks.acquire('hubspot-1', 'writeback'));
    const second = locks.acquire('hubspot-1', 'writeback');
    await expect(second).rejects.toBeInstanceOf(StageLockHeldError);
    await expect(second).rejects.toMatchObject({ code: 'STAGE_LOCK_HELD', tenant: 'hubspot-1' });
    const message = ((await second.catch((e: unknown) => e)) as Error).message;
    expect(message).toMatch(/^writeback of hubspot-1 is already running \(pid \d+ on .+ since \d{4}-/);
    expect(message).toMatch(/expires by itself 60 s after/);
  });

  it('lets a waiting acquire take the lock once the holder releases it', async () => {
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix });
    const first = await locks.acquire('hubspot-2', 'sync');
    const order: string[] = [];
    const waiting = locks.acquire('hubspot-2', 'sync', { waitMs: 5_000 }).then((lock) => {
      order.push('second acquired');
      return keep(lock);
    });
    await new Promise((r) => setTimeout(r, 150));
    order.push('first released');
    expect(await first.release()).toBe(true);
    await waiting;
    expect(order).toEqual(['first released', 'second acquired']);
  });

  it('gives up waiting after waitMs with the typed error', async () => {
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix });
    keep(await locks.acquire('hubspot-3', 'score'));
    const started = Date.now();
    await expect(locks.acquire('hubspot-3', 'score', { waitMs: 300 })).rejects.toBeInstanceOf(
      StageLockHeldError,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('does not block other tenants or other stages', async () => {
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix });
    keep(await locks.acquire('hubspot-4', 'writeback'));
    keep(await locks.acquire('hubspot-5', 'writeback'));
    keep(await locks.acquire('hubspot-4', 'sync'));
    keep(await locks.acquire('hubspot-4', 'score'));
  });

  it('keeps the lock past its TTL while the holder runs (renewal)', async () => {
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix, ttlMs: { sync: 300 } });
    const lock = keep(await locks.acquire('hubspot-6', 'sync'));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(lock.signal.aborted).toBe(false);
    expect(await t.redis.pttl(stageLockKey(t.prefix, 'hubspot-6', 'sync'))).toBeGreaterThan(0);
    await expect(locks.acquire('hubspot-6', 'sync')).rejects.toBeInstanceOf(StageLockHeldError);
  });

  it('tells the holder when its lock is lost, and does not then delete the next holder’s lock', async () => {
    const lost: StageLockLostError[] = [];
    const locks = redisStageLocks({
      redis: t.redis,
      prefix: t.prefix,
      ttlMs: { writeback: 300 },
      onLost: (e) => lost.push(e),
    });
    const first = await locks.acquire('hubspot-7', 'writeback');
    const aborted = new Promise((resolve) => first.signal.addEventListener('abort', resolve));
    await t.redis.del(stageLockKey(t.prefix, 'hubspot-7', 'writeback'));
    // Another run takes it before the first notices.
    const second = keep(await locks.acquire('hubspot-7', 'writeback'));
    await aborted;
    expect(first.signal.reason).toBeInstanceOf(StageLockLostError);
    expect((first.signal.reason as Error).message).toMatch(
      /writeback of hubspot-7 lost its lock .* stopped before writing more/,
    );
    expect(lost).toHaveLength(1);
    expect(await first.release()).toBe(false);
    expect(second.signal.aborted).toBe(false);
    await expect(locks.acquire('hubspot-7', 'writeback')).rejects.toBeInstanceOf(StageLockHeldError);
  });

  it('only the owner releases: a holder whose key expired and was retaken leaves the new lock alone', async () => {
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix });
    const key = stageLockKey(t.prefix, 'hubspot-8', 'sync');
    const first = await locks.acquire('hubspot-8', 'sync');
    const second = redisStageLocks({ redis: t.redis, prefix: t.prefix });
    // The first's key is replaced behind its back (as if it expired and another worker took it).
    await t.redis.set(key, JSON.stringify({ id: 'other', owner: 'another worker', since: 'now' }));
    expect(await first.release()).toBe(false);
    expect(await t.redis.get(key)).toMatch(/another worker/);
    await expect(second.acquire('hubspot-8', 'sync')).rejects.toThrow(/\(another worker since now\)/);
    await t.redis.del(key);
  });

  it('expires by itself when the holder never renews (a crashed worker)', async () => {
    const key = stageLockKey(t.prefix, 'hubspot-9', 'sync');
    await t.redis.set(key, JSON.stringify({ id: 'x', owner: 'a crashed worker', since: 'then' }), 'PX', 200);
    const locks = redisStageLocks({ redis: t.redis, prefix: t.prefix });
    keep(await locks.acquire('hubspot-9', 'sync', { waitMs: 2_000 }));
  });
});
