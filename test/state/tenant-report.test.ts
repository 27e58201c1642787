/** Derived reports stored per tenant (putTenantReport / getTenantReport), in the file and the Redis store. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRecordStore, RedisRecordStore, type RecordStore } from '../../worker/state';
import { testRedis, type TestRedis } from '../helpers/test-redis';

let dir: string;
let t: TestRedis;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenant-report-'));
  t = await testRedis();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.cleanup();
});

describe.each([
  ['file', () => new FileRecordStore(dir) as RecordStore],
  ['redis', () => new RedisRecordStore({ redis: t.redis, prefix: t.prefix }) as RecordStore],
])('%s store', (_name, open) => {
  it('keeps the latest report per tenant and name, apart from other tenants', async () => {
    const store = open();
    expect(await store.getTenantReport('hubspot-1', 'sales-performance')).toBeUndefined();
    await store.putTenantReport('hubspot-1', 'sales-performance', '{"runId":"a"}');
    await store.putTenantReport('hubspot-1', 'sales-performance', '{"runId":"b"}');
    await store.putTenantReport('hubspot-2', 'sales-performance', '{"runId":"c"}');
    expect(await store.getTenantReport('hubspot-1', 'sales-performance')).toBe('{"runId":"b"}');
    expect(await store.getTenantReport('hubspot-2', 'sales-performance')).toBe('{"runId":"c"}');
    expect(await store.getTenantReport('hubspot-1', 'campaigns')).toBeUndefined();
  });

  it('refuses a name that could reach another file or key', async () => {
    await expect(open().putTenantReport('hubspot-1', '../model', '{}')).rejects.toThrow(
      /report name must be letters, digits and '-', got '..\/model'/,
    );
  });
});
