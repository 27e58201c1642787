import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisPrefixError } from '../../worker/state';
import { RedisTenantRegistry, TenantRegistryCorruptError } from '../../worker/tenants';
import { listKeys, testRedis, type TestRedis } from '../helpers/test-redis';
import { connection, describeTenantRegistry, newToken } from './tenant-registry-contract';

/** Every value stored under `prefix`, whatever the key's type, as text. */
async function dumpValues(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await listKeys(redis, `${prefix}:*`)) {
    const type = await redis.type(key);
    if (type === 'hash') parts.push(key, JSON.stringify(await redis.hgetall(key)));
    else if (type === 'string') parts.push(key, (await redis.get(key)) ?? '');
    else if (type === 'list') parts.push(key, ...(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(key, ...(await redis.smembers(key)));
    else if (type === 'zset') parts.push(key, ...(await redis.zrange(key, 0, -1)));
    else parts.push(key, `(unread ${type})`);
  }
  return parts.join('\n');
}

describeTenantRegistry('RedisTenantRegistry', async (key) => {
  const { redis, prefix, cleanup } = await testRedis();
  const hash = `${prefix}:tenants`;
  return {
    registry: new RedisTenantRegistry({ redis, prefix, key }),
    withKey: (other) => new RedisTenantRegistry({ redis, prefix, key: other }),
    readRaw: async (tenant) => {
      const text = await redis.hget(hash, tenant);
      return text === null ? undefined : JSON.parse(text);
    },
    writeRaw: async (tenant, value) => {
      await redis.hset(hash, tenant, typeof value === 'string' ? value : JSON.stringify(value));
    },
    storedText: () => dumpValues(redis, prefix),
    cleanup,
  };
});

describe('RedisTenantRegistry (Redis specifics)', () => {
  let test: TestRedis;
  let registry: RedisTenantRegistry;
  const key = randomBytes(32);
  beforeEach(async () => {
    test = await testRedis();
    registry = new RedisTenantRegistry({ redis: test.redis, prefix: test.prefix, key });
  });
  afterEach(() => test.cleanup());

  it('keeps every tenant in one HASH, <prefix>:tenants, field = tenant id', async () => {
    await registry.put(connection('1'), newToken());
    await registry.put(connection('2', { auth: 'oauth' }));
    expect(registry.hashKey).toBe(`${test.prefix}:tenants`);
    expect(await listKeys(test.redis, `${test.prefix}:*`)).toEqual([`${test.prefix}:tenants`]);
    expect(await test.redis.type(registry.hashKey)).toBe('hash');
    expect((await test.redis.hkeys(registry.hashKey)).sort()).toEqual(['hubspot-1', 'hubspot-2']);
    await registry.remove('hubspot-1');
    await registry.remove('hubspot-2');
    expect(await listKeys(test.redis, `${test.prefix}:*`)).toEqual([]);
  });

  it('uses the record store prefix rule and default', () => {
    expect(new RedisTenantRegistry({ redis: test.redis }).hashKey).toBe('crm-clv:tenants');
    expect(() => new RedisTenantRegistry({ redis: test.redis, prefix: 'a{b}' })).toThrow(RedisPrefixError);
    expect(() => new RedisTenantRegistry({ redis: test.redis, prefix: '' })).toThrow(RedisPrefixError);
  });

  it('names the tenant whose entry is not JSON', async () => {
    await test.redis.hset(registry.hashKey, 'hubspot-4', '{"version":1,');
    const failed = registry.list();
    await expect(failed).rejects.toThrow(TenantRegistryCorruptError);
    await expect(failed).rejects.toMatchObject({ tenant: 'hubspot-4' });
    await expect(registry.get('hubspot-4')).rejects.toThrow(/tenant 'hubspot-4'.*not JSON/);
  });
});
