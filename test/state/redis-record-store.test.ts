import type { Redis } from 'ioredis';
import { tenantKey } from '../../domain/tenant';
import { RedisPrefixError, RedisRecordStore, StoreError } from '../../worker/state';
import { listKeys, testRedis, type TestRedis } from '../helpers/test-redis';
import { customer, describeRecordStore, score, scoreRun } from './record-store-contract';

describeRecordStore('RedisRecordStore', async () => {
  const { redis, prefix, cleanup } = await testRedis();
  return { store: new RedisRecordStore({ redis, prefix }), cleanup };
});

describe('RedisRecordStore (Redis specifics)', () => {
  let test: TestRedis;
  let redis: Redis;
  let store: RedisRecordStore;
  beforeEach(async () => {
    test = await testRedis();
    redis = test.redis;
    store = new RedisRecordStore({ redis, prefix: test.prefix });
  });
  afterEach(async () => {
    await test.cleanup();
  });

  it("keeps all of a tenant's keys under one hash tag holding the escaped tenant id", async () => {
    const tenant = 'hubspot-1:x/y';
    await store.putRecords(tenant, 'customer', [customer('c1')]);
    await store.setCursor(tenant, 'hubspot:contacts', '1');
    await store.setWrittenValues(tenant, { c1: { crm_clv: '10' } });
    await store.setWriteIntents(tenant, { c1: { crm_clv: '11' } });
    await store.putScoreRun(tenant, scoreRun('run-1', 1, tenant), [score('c1')]);
    await store.putModel(tenant, { version: 'v1', trainedAt: '2026-01-01T00:00:00.000Z' });

    const base = `${test.prefix}:{${tenantKey(tenant)}}`;
    expect(base).toBe(`${test.prefix}:{hubspot-1%3ax%2fy}`);
    // Only the final keys: the score run's pending key was renamed away, not left behind.
    expect(await listKeys(redis, `${test.prefix}:*`)).toEqual(
      ['cursors', 'intents', 'model', 'order:customer', 'records:customer', 'scores', 'written'].map(
        (k) => `${base}:${k}`,
      ),
    );
    // The pending key's expiry must not follow it onto the current run.
    expect(await redis.ttl(`${base}:scores`)).toBe(-1);
  });

  it('stores 20,000 records in fewer than 100 round trips, in order', async () => {
    const records = Array.from({ length: 20_000 }, (_, i) => customer(`c${19_999 - i}`));
    // Every request the client sends is one write on its socket (a pipeline or MULTI is one write).
    const writes = jest.spyOn(redis.stream, 'write');
    try {
      await store.putRecords('t', 'customer', records);
      expect(writes.mock.calls.length).toBeGreaterThan(0);
      expect(writes.mock.calls.length).toBeLessThan(100);
    } finally {
      writes.mockRestore();
    }
    expect(await store.readRecords('t', 'customer')).toEqual(records);
    expect(
      await store.deleteRecords(
        't',
        'customer',
        records.slice(0, 15_000).map((r) => r.id),
      ),
    ).toBe(15_000);
    expect((await store.readRecords('t', 'customer')).map((r) => r.id)).toEqual(
      records.slice(15_000).map((r) => r.id),
    );
  });

  it('writes a large score run in chunks and reads it back whole', async () => {
    const scores = Array.from({ length: 5_000 }, (_, i) => score(`c${i}`, i));
    const writes = jest.spyOn(redis.stream, 'write');
    try {
      await store.putScoreRun('t', scoreRun('big', scores.length), scores);
      expect(writes.mock.calls.length).toBeLessThan(20);
    } finally {
      writes.mockRestore();
    }
    expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('big', scores.length), scores });
  });

  it('names the key and the field when a stored value is not valid', async () => {
    const keys = store.keys('t');
    await store.putRecords('t', 'customer', [customer('c1')]);
    await redis.hset(keys.records('customer'), 'c1', '{not json');
    await expect(store.readRecords('t', 'customer')).rejects.toThrow(
      new StoreError(`${keys.records('customer')} field 'c1' is not valid JSON; run a full sync`),
    );

    await redis.hset(keys.written, 'c9', 'nope');
    await expect(store.setWrittenValues('t', { c9: { a: '1' } })).rejects.toMatchObject({
      code: 'STORE_INVALID',
      message: `${keys.written} field 'c9' is not valid JSON; delete the field`,
    });
    await expect(store.getWrittenValues('t')).rejects.toThrow(`${keys.written} field 'c9' is not valid JSON`);

    await redis.set(keys.model, '{"version":1}');
    await expect(store.getModel('t')).rejects.toThrow(`${keys.model} is invalid: version: expected a string`);
  });

  it("names the Score's bad field", async () => {
    await store.putScoreRun('t', scoreRun('run-1', 1), [{ ...score('c1'), pAlive: 1.5 }]);
    await expect(store.readScoreRun('t')).rejects.toThrow(
      `${store.keys('t').scores} item 1 is invalid: pAlive: must be at most 1, got 1.5; rescore the tenant`,
    );
  });

  it('merges written values in chunks atomically: a bad stored contact fails the chunk with no partial merge', async () => {
    const keys = store.keys('t');
    await redis.hset(keys.written, 'c2', 'nope');
    await expect(store.setWrittenValues('t', { c1: { a: '1' }, c2: { a: '1' } })).rejects.toBeInstanceOf(
      StoreError,
    );
    expect(await redis.hget(keys.written, 'c1')).toBeNull();
  });

  it('refuses a prefix that would break the hash tag', () => {
    expect(() => new RedisRecordStore({ redis, prefix: 'a{b' })).toThrow(RedisPrefixError);
    expect(() => new RedisRecordStore({ redis, prefix: '' })).toThrow(RedisPrefixError);
    expect(new RedisRecordStore({ redis }).prefix).toBe('crm-clv');
  });
});
