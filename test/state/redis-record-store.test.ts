import type { Redis } from 'ioredis';
import { tenantKey } from '../../domain/tenant';
import { RedisPrefixError, RedisRecordStore, StoreError } from '../../worker/state';
import { listKeys, testRedis, type TestRedis } from '../helpers/test-redis';
import { bucketRange, customerBucket } from '../../worker/state/customer-buckets';
import { customer, describeRecordStore, order, score, scoreRun } from './record-store-contract';

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
    await store.putRunScratch(tenant, 'run:2', 'model', Buffer.from('m'));
    await store.putScoreShard(tenant, 'run:2', 0, [score('c1')]);

    const base = `${test.prefix}:{${tenantKey(tenant)}}`;
    expect(base).toBe(`${test.prefix}:{hubspot-1%3ax%2fy}`);
    // The run id is escaped like the tenant: it adds no key segment. No temp key is left behind.
    expect(await listKeys(redis, `${test.prefix}:*`)).toEqual(
      [
        'by-customer',
        `by-customer:customer:${customerBucket('c1')}`,
        'cursors',
        'intents',
        'model',
        'order:customer',
        'records:customer',
        'score-run',
        'scores:run%3a2:0:pending',
        'scores:run%3a2:pending',
        'scores:run-1:0',
        'scratch:run%3a2',
        'segments:run%3a2:pending',
        'segments:run-1',
        'written',
      ].map((k) => `${base}:${k}`),
    );
    // The pending shard's expiry must not follow it onto the committed run.
    expect(await redis.ttl(`${base}:score-run`)).toBe(-1);
    expect(await redis.ttl(`${base}:scores:run-1:0`)).toBe(-1);
    expect(await redis.ttl(`${base}:segments:run-1`)).toBe(-1);
    for (const pending of ['scores:run%3a2:0:pending', 'scores:run%3a2:pending', 'segments:run%3a2:pending'])
      expect(await redis.ttl(`${base}:${pending}`)).toBeGreaterThan(6 * 3600 - 60);
    expect(await redis.ttl(`${base}:scratch:run%3a2`)).toBeGreaterThan(24 * 3600 - 60);
    expect(await redis.ttl(`${base}:scratch:run%3a2`)).toBeLessThanOrEqual(24 * 3600);

    // A commit renames the pending shards and segment index to the run's and removes the previous run's.
    await store.commitScoreRun(tenant, scoreRun('run:2', 1, tenant), 1);
    expect((await listKeys(redis, `${base}:s[ce][og]*`)).map((k) => k.slice(base.length + 1))).toEqual([
      'score-run',
      'scores:run%3a2:0',
      'segments:run%3a2',
    ]);
    expect(await redis.ttl(`${base}:scores:run%3a2:0`)).toBe(-1);
    expect(await redis.ttl(`${base}:segments:run%3a2`)).toBe(-1);
  });

  it("lists a tenant's records by customer bucket as they are stored, and unlists deleted ones", async () => {
    const base = `${test.prefix}:{${tenantKey('t')}}`;
    await store.putRecords('t', 'order', [order('o1', 'c1'), order('o2', 'c2'), order('o3', 'c1')]);
    // Stored from the first record on: the type is indexed without a pass over the tenant.
    expect(await redis.smembers(`${base}:by-customer`)).toEqual(['order']);
    expect((await redis.smembers(`${base}:by-customer:order:${customerBucket('c1')}`)).sort()).toEqual([
      'o1',
      'o3',
    ]);
    await store.deleteRecords('t', 'order', ['o1', 'o2']);
    expect(await redis.smembers(`${base}:by-customer:order:${customerBucket('c1')}`)).toEqual(['o3']);
    expect(await redis.exists(`${base}:by-customer:order:${customerBucket('c2')}`)).toBe(0);
  });

  it('lists records stored before the bucket sets existed once, on the first read by customer', async () => {
    const base = `${test.prefix}:{${tenantKey('t')}}`;
    const orders = Array.from({ length: 2500 }, (_, i) => order(`o${i}`, `c${i % 700}`));
    await store.putRecords('t', 'order', orders);
    // What a tenant stored by the version before looks like: the records and their order, no bucket sets.
    for (const key of await listKeys(redis, `${base}:by-customer*`)) await redis.unlink(key);
    const range = bucketRange(1, 4);
    const expected = orders.filter((o) => {
      const b = customerBucket(o.customerId);
      return b >= range.from && b < range.to;
    });
    expect((await store.readCustomerRecords('t', 'order', range)).records).toEqual(expected);
    expect(await redis.smembers(`${base}:by-customer`)).toEqual(['order']);
    // indexCustomerRecords lists the other types (none stored) and leaves the listed one alone.
    await store.indexCustomerRecords('t');
    expect((await redis.smembers(`${base}:by-customer`)).sort()).toEqual([
      'customer',
      'order',
      'serviceCase',
    ]);
    expect((await store.readCustomerRecords('t', 'order', range)).records).toEqual(expected);
  });

  it('names the stored order without a customer when it is read by customer', async () => {
    const base = `${test.prefix}:{${tenantKey('t')}}`;
    await store.putRecords('t', 'order', [order('o1', 'c1')]);
    await redis.hset(`${base}:records:order`, 'o1', JSON.stringify({ id: 'o1', amount: 1 }));
    await expect(store.readCustomerRecords('t', 'order', bucketRange(0, 1))).rejects.toThrow(
      /records:order field 'o1' has no customerId; run a full sync/,
    );
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

  it('writes a large score run in chunks and shards and reads it back whole', async () => {
    const scores = Array.from({ length: 12_000 }, (_, i) => score(`c${i}`, i));
    const writes = jest.spyOn(redis.stream, 'write');
    try {
      await store.putScoreRun('t', scoreRun('big', scores.length), scores);
      // 12 chunks of 1,000, 3 shard renames, the header read and the commit script.
      expect(writes.mock.calls.length).toBeLessThan(25);
    } finally {
      writes.mockRestore();
    }
    const keys = store.keys('t');
    expect(await Promise.all([0, 1, 2, 3].map((i) => redis.llen(keys.scoreShard('big', i))))).toEqual([
      5_000, 5_000, 2_000, 0,
    ]);
    expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('big', scores.length), scores });
  });

  it('never lets a reader see a mix of two runs while commits replace them', async () => {
    // 40 shards of 5: three round trips per read (16 shards each), so commits land between them.
    const runOf = (runId: string, clv: number) => ({
      run: scoreRun(runId, 200),
      scores: Array.from({ length: 200 }, (_, i) => score(`c${i}`, clv)),
    });
    const commits = async () => {
      for (let k = 0; k < 12; k++) {
        const { run, scores } = runOf(`run-${k}`, k);
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            store.putScoreShard('t', run.runId, i, scores.slice(i * 5, i * 5 + 5)),
          ),
        );
        await store.commitScoreRun('t', run, 40);
      }
    };
    const reads = async () => {
      const seen = new Set<string>();
      for (let k = 0; k < 60; k++) {
        const read = await store.readScoreRun('t');
        if (read === undefined) continue;
        expect(read.scores).toEqual(runOf(read.run.runId, Number(read.run.runId.slice(4))).scores);
        seen.add(read.run.runId);
      }
      return seen;
    };
    const [, ...seen] = await Promise.all([commits(), reads(), reads(), reads()]);
    expect(new Set(seen.flatMap((s) => [...s])).size).toBeGreaterThan(1);
    // Only the last run's shards are left.
    expect(
      await listKeys(redis, `${store.keys('t').scoreRun.slice(0, -'score-run'.length)}scores:*`),
    ).toEqual(Array.from({ length: 40 }, (_, i) => store.keys('t').scoreShard('run-11', i)).sort());
  });

  it('reads a run stored before shards (one LIST), and the next commit removes that LIST', async () => {
    const keys = store.keys('t');
    const run = scoreRun('old-layout', 2);
    await redis.rpush(keys.legacyScores, ...[run, score('c1'), score('c2')].map((v) => JSON.stringify(v)));
    expect(await store.readScoreRun('t')).toEqual({ run, scores: [score('c1'), score('c2')] });
    await store.putScoreRun('t', scoreRun('new', 1), [score('c3')]);
    expect(await redis.exists(keys.legacyScores)).toBe(0);
    expect(await store.readScoreRun('t')).toEqual({ run: scoreRun('new', 1), scores: [score('c3')] });
  });

  it('names the shard a stored run lost Scores from (hand-edited keys)', async () => {
    await store.putScoreRun('t', scoreRun('run-1', 2), [score('c1'), score('c2')]);
    await redis.rpop(store.keys('t').scoreShard('run-1', 0));
    await expect(store.readScoreRun('t')).rejects.toThrow(
      `${store.keys('t').scoreRun}: the shards of run-1 hold 1 scores but its run has 2; rescore the tenant`,
    );
  });

  it('names a pending shard as missing once its list expired apart from its count', async () => {
    await store.putScoreShard('t', 'run-1', 0, [score('c1')]);
    await store.putScoreShard('t', 'run-1', 1, [score('c2')]);
    await redis.del(store.keys('t').pendingShard('run-1', 0));
    await expect(store.commitScoreRun('t', scoreRun('run-1', 2), 2)).rejects.toThrow(
      /: shard 0 of 2 is missing/,
    );
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
      `${store.keys('t').scoreShard('run-1', 0)} item 0 is invalid: pAlive: must be at most 1, got 1.5; rescore the tenant`,
    );
  });

  it("reads the last run's segments from its segment index, without its Scores", async () => {
    const keys = store.keys('t');
    const withSegment = (id: string, segmentId?: string) => ({ ...score(id), segmentId });
    await store.putScoreShard('t', 'run-1', 0, [withSegment('c1', 'seg-2'), withSegment('c2')]);
    await store.putScoreShard('t', 'run-1', 1, [withSegment('c3', 'seg-1')]);
    await store.putScoreShard('t', 'run-1', 2, [withSegment('c4', 'seg-2')]);
    await store.commitScoreRun('t', scoreRun('run-1', 4), 3);
    // The Scores made unreadable: a read that went to them would fail.
    for (let shard = 0; shard < 3; shard++) await redis.lset(keys.scoreShard('run-1', shard), 0, '{not json');
    const expected = new Map([
      ['c1', 'seg-2'],
      ['c3', 'seg-1'],
      ['c4', 'seg-2'],
    ]);
    expect(await store.readScoreSegments('t')).toEqual(expected);
    const parts = await Promise.all([0, 1].map((part) => store.readScoreSegmentsPart('t', part, 2)));
    expect(parts.map((p) => [...p!.segments.keys()])).toEqual([['c1'], ['c3', 'c4']]);

    // An index whose counts disagree with the run (a hand-edited key) is refused, naming it.
    await redis.hset(keys.segments('run-1'), '1', '[2,"c3","seg-1"]');
    await expect(store.readScoreSegments('t')).rejects.toThrow(
      `${keys.segments('run-1')}: the shards of run-1 hold 5 scores but its run has 4; rescore the tenant`,
    );
    // A shard without an entry (stored before the index) has its Scores read: here the broken one.
    await redis.hdel(keys.segments('run-1'), '1');
    await expect(store.readScoreSegments('t')).rejects.toThrow(
      `${keys.scoreShard('run-1', 0)} item 0 is not valid JSON`,
    );
    // The next commit removes this run's index with its shards.
    await store.putScoreRun('t', scoreRun('run-2', 1), [withSegment('c9', 'seg-3')]);
    expect(await redis.exists(keys.segments('run-1'))).toBe(0);
    expect(await store.readScoreSegments('t')).toEqual(new Map([['c9', 'seg-3']]));
  });

  it('names the Score a segment read finds bad: its shard, its item and the field', async () => {
    await store.putScoreRun('t', scoreRun('run-1', 2), [score('c1'), { ...score('c2'), customerId: '' }]);
    const shard = store.keys('t').scoreShard('run-1', 0);
    await expect(store.readScoreSegments('t')).rejects.toThrow(`${shard} item 1 is invalid: customerId:`);
    await redis.lset(shard, 0, '{not json');
    await expect(store.readScoreSegments('t')).rejects.toThrow(
      `${shard} item 0 is not valid JSON; rescore the tenant`,
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
