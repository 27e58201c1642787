import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileTenantRegistry, TenantRegistryCorruptError } from '../../worker/tenants';
import { tempDir } from '../helpers/run-cli';
import { connection, describeTenantRegistry, newToken } from './tenant-registry-contract';

describeTenantRegistry('FileTenantRegistry', async (key) => {
  const dataDir = tempDir('tenants');
  const path = join(dataDir, 'tenants.json');
  const readFile = () => JSON.parse(readFileSync(path, 'utf8'));
  return {
    registry: new FileTenantRegistry({ dataDir, key }),
    withKey: (other) => new FileTenantRegistry({ dataDir, key: other }),
    readRaw: async (tenant) => readFile().tenants[tenant],
    writeRaw: async (tenant, value) => {
      const file = readFile();
      file.tenants[tenant] = value;
      writeFileSync(path, JSON.stringify(file));
    },
    storedText: async () => (existsSync(path) ? readFileSync(path, 'utf8') : ''),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
});

describe('FileTenantRegistry (file specifics)', () => {
  const key = randomBytes(32);
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDir('tenants');
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('writes <dataDir>/tenants.json owner-only, atomically, creating the directory', async () => {
    const nested = join(dataDir, 'a', 'b');
    const registry = new FileTenantRegistry({ dataDir: nested, key });
    expect(registry.path).toBe(join(nested, 'tenants.json'));
    await registry.put(connection('1'), newToken());
    await registry.put(connection('2', { auth: 'oauth' }));
    expect(statSync(registry.path).mode & 0o777).toBe(0o600);
    // No temp file left behind by the atomic replace.
    expect(readdirSync(nested)).toEqual(['tenants.json']);
    const file = JSON.parse(readFileSync(registry.path, 'utf8'));
    expect(file).toMatchObject({ format: 'crm-clv-tenants', version: 1 });
    expect(Object.keys(file.tenants)).toEqual(['hubspot-1', 'hubspot-2']);
  });

  it('keeps every put of concurrent calls in one process', async () => {
    const registry = new FileTenantRegistry({ dataDir, key });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => registry.put(connection(String(i)), `token-${i}`)),
    );
    expect((await registry.list()).map((c) => c.tenant)).toHaveLength(12);
    expect(await registry.secret('hubspot-11')).toBe('token-11');
  });

  it('names the file when the whole file is unreadable, and does not overwrite it', async () => {
    const registry = new FileTenantRegistry({ dataDir, key });
    writeFileSync(registry.path, '{"format":"crm-clv-tenants", truncated');
    await expect(registry.list()).rejects.toThrow(TenantRegistryCorruptError);
    await expect(registry.list()).rejects.toMatchObject({ tenant: undefined });
    await expect(registry.list()).rejects.toThrow(registry.path);
    await expect(registry.put(connection('1'), 't')).rejects.toThrow(TenantRegistryCorruptError);
    expect(readFileSync(registry.path, 'utf8')).toBe('{"format":"crm-clv-tenants", truncated');
    writeFileSync(registry.path, '{"tenants":{}}');
    await expect(registry.get('hubspot-1')).rejects.toThrow(/not a crm-clv-tenants version 1 file/);
  });

  it('reads the key from CRM_CLV_TOKEN_KEY only when a token is sealed or opened', async () => {
    const saved = process.env.CRM_CLV_TOKEN_KEY;
    try {
      process.env.CRM_CLV_TOKEN_KEY = key.toString('base64');
      await new FileTenantRegistry({ dataDir }).put(connection('1'), 'tok-from-env-key');
      delete process.env.CRM_CLV_TOKEN_KEY;
      const keyless = new FileTenantRegistry({ dataDir });
      expect(await keyless.list()).toEqual([connection('1')]);
      await keyless.put(connection('2', { auth: 'oauth' }));
      await expect(keyless.secret('hubspot-1')).rejects.toMatchObject({ code: 'TOKEN_KEY_MISSING' });
      await expect(keyless.put(connection('3'), 't')).rejects.toMatchObject({ code: 'TOKEN_KEY_MISSING' });
      expect(await new FileTenantRegistry({ dataDir, key }).secret('hubspot-1')).toBe('tok-from-env-key');
    } finally {
      if (saved === undefined) delete process.env.CRM_CLV_TOKEN_KEY;
      else process.env.CRM_CLV_TOKEN_KEY = saved;
    }
  });
});
