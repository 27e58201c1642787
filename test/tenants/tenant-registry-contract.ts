/**
 * The behaviour every TenantRegistry shares, run against each implementation (file, Redis) so they cannot drift
 * apart. The storage hooks (raw entries, everything stored as text) let the tests do what an attacker or a
 * careless hand would: copy a ciphertext to another tenant, break an entry, look for the token in the clear.
 */
import { randomBytes } from 'node:crypto';
import {
  InvalidTenantConnectionError,
  TenantNotFoundError,
  TenantRegistryCorruptError,
  TenantSecretUnavailableError,
  TenantSecretUnreadableError,
  type TenantConnection,
  type TenantRegistry,
} from '../../worker/tenants';

export type RegistryUnderTest = {
  /** A fresh, empty registry whose tokens are sealed under `key`. */
  registry: TenantRegistry;
  /** A registry over the same storage with another key. */
  withKey(key: Buffer): TenantRegistry;
  /** The stored entry of a tenant, parsed (undefined when absent). */
  readRaw(tenant: string): Promise<unknown>;
  /** Stores `value` as the tenant's entry, unchecked (an object is stored as the registry stores entries). */
  writeRaw(tenant: string, value: unknown): Promise<void>;
  /** Everything the registry keeps, as text (the file; every value under the Redis prefix). */
  storedText(): Promise<string>;
  cleanup(): Promise<void>;
};

export const connection = (
  portalId: string,
  overrides: Partial<TenantConnection> = {},
): TenantConnection => ({
  tenant: `hubspot-${portalId}`,
  crm: 'hubspot',
  accountId: portalId,
  auth: 'token',
  schedule: { syncEveryMinutes: 15, rescoreCron: '0 2 * * *', retrainCron: '0 3 * * 0' },
  addedAt: '2026-01-02T03:04:05.000Z',
  ...overrides,
});

/** A token shaped like a HubSpot private-app token, different in every test. */
export const newToken = () => `pat-na1-${randomBytes(16).toString('hex')}`;

type Raw = { version: number; connection: Record<string, unknown>; secret?: Record<string, string> };

export function describeTenantRegistry(
  name: string,
  setup: (key: Buffer) => Promise<RegistryUnderTest>,
): void {
  describe(`${name} (TenantRegistry contract)`, () => {
    const key = randomBytes(32);
    let t: RegistryUnderTest;
    let registry: TenantRegistry;
    beforeEach(async () => {
      t = await setup(key);
      registry = t.registry;
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('puts, gets, lists by tenant id and removes tenants', async () => {
      const sandbox = connection('2000', { baseUrl: 'http://127.0.0.1:4010', tier: 'professional' });
      const oauth = connection('1000', { auth: 'oauth' });
      await registry.put(sandbox, newToken());
      await registry.put(oauth);
      expect(await registry.get('hubspot-2000')).toEqual(sandbox);
      expect(await registry.get('hubspot-1000')).toEqual(oauth);
      expect(await registry.get('hubspot-3000')).toBeUndefined();
      expect(await registry.list()).toEqual([oauth, sandbox]);
      expect(await registry.remove('hubspot-2000')).toBe(true);
      expect(await registry.remove('hubspot-2000')).toBe(false);
      expect(await registry.get('hubspot-2000')).toBeUndefined();
      expect(await registry.list()).toEqual([oauth]);
    });

    it('lists nothing when nothing is registered', async () => {
      expect(await registry.list()).toEqual([]);
      expect(await registry.remove('hubspot-1')).toBe(false);
    });

    it('replaces a tenant put again, token included', async () => {
      await registry.put(connection('5'), 'first-token');
      const changed = connection('5', {
        schedule: { syncEveryMinutes: 60, rescoreCron: '30 1 * * *', retrainCron: '0 4 * * SUN' },
      });
      await registry.put(changed, 'second-token');
      expect(await registry.list()).toEqual([changed]);
      expect(await registry.secret('hubspot-5')).toBe('second-token');
    });

    it('sets and removes settings of a registered tenant, keeping its sealed token and needing no key', async () => {
      const token = newToken();
      await registry.put(connection('5', { ownerTasks: { enabled: true } }), token);
      const sealed = ((await t.readRaw('hubspot-5')) as Raw).secret;
      const spend = [
        { channel: 'PAID_SEARCH', month: '2026-03', spend: 1250 },
        { channel: 'ORGANIC_SEARCH', month: '2026-03', spend: 0 },
      ];
      // Another key opens nothing, so a change through it shows the token is never unsealed and sealed again.
      const updated = await t
        .withKey(randomBytes(32))
        .updateSettings('hubspot-5', { acquisitionSpend: spend });
      expect(updated).toEqual(connection('5', { ownerTasks: { enabled: true }, acquisitionSpend: spend }));
      expect(await registry.get('hubspot-5')).toEqual(updated);
      expect(((await t.readRaw('hubspot-5')) as Raw).secret).toEqual(sealed);
      expect(await registry.secret('hubspot-5')).toBe(token);
      await registry.updateSettings('hubspot-5', { acquisitionSpend: undefined });
      expect(await registry.get('hubspot-5')).toEqual(connection('5', { ownerTasks: { enabled: true } }));
    });

    it('refuses settings for a tenant not registered, and settings that are not valid', async () => {
      const missing = registry.updateSettings('hubspot-9', { acquisitionSpend: [] });
      await expect(missing).rejects.toThrow(TenantNotFoundError);
      await expect(missing).rejects.toMatchObject({ tenant: 'hubspot-9' });
      expect(await registry.list()).toEqual([]);
      await registry.put(connection('5'), newToken());
      const refused = registry.updateSettings('hubspot-5', {
        acquisitionSpend: [{ channel: 'PAID_SEARCH', month: '2026-13', spend: -1 }],
      });
      await expect(refused).rejects.toThrow(InvalidTenantConnectionError);
      await expect(refused).rejects.toThrow(/acquisitionSpend\.0\.month: must be YYYY-MM/);
      expect(await registry.get('hubspot-5')).toEqual(connection('5'));
    });

    it('round-trips the token, and gives it to no one else', async () => {
      const token = newToken();
      await registry.put(connection('7'), token);
      await registry.put(connection('8', { auth: 'oauth' }));
      expect(await registry.secret('hubspot-7')).toBe(token);
      // Listings and gets never carry it.
      expect(JSON.stringify(await registry.list())).not.toContain(token);
      expect(JSON.stringify(await registry.get('hubspot-7'))).not.toContain(token);
      await expect(registry.secret('hubspot-8')).rejects.toThrow(TenantSecretUnavailableError);
      await expect(registry.secret('hubspot-9')).rejects.toThrow(TenantNotFoundError);
      await expect(registry.secret('hubspot-9')).rejects.toMatchObject({ tenant: 'hubspot-9' });
    });

    it('refuses a token under another key, naming the tenant, but still lists it', async () => {
      await registry.put(connection('7'), newToken());
      const other = t.withKey(randomBytes(32));
      const refused = other.secret('hubspot-7');
      await expect(refused).rejects.toThrow(TenantSecretUnreadableError);
      await expect(refused).rejects.toMatchObject({ tenant: 'hubspot-7', code: 'TENANT_SECRET_UNREADABLE' });
      await expect(refused).rejects.toThrow(/hubspot-7.*CRM_CLV_TOKEN_KEY/);
      expect(await other.list()).toEqual([connection('7')]);
      // The same key over the same storage reads it.
      expect(await t.withKey(key).secret('hubspot-7')).toEqual(await registry.secret('hubspot-7'));
    });

    it("refuses a ciphertext copied into another tenant's entry", async () => {
      const tokenA = newToken();
      await registry.put(connection('100'), tokenA);
      await registry.put(connection('200'), newToken());
      const a = (await t.readRaw('hubspot-100')) as Raw;
      const b = (await t.readRaw('hubspot-200')) as Raw;
      await t.writeRaw('hubspot-200', { ...b, secret: a.secret });
      // The entry itself is well-formed: only the authenticated tenant id gives the copy away.
      expect(await registry.get('hubspot-200')).toEqual(connection('200'));
      await expect(registry.secret('hubspot-200')).rejects.toThrow(TenantSecretUnreadableError);
      await expect(registry.secret('hubspot-200')).rejects.toMatchObject({ tenant: 'hubspot-200' });
      expect(await registry.secret('hubspot-100')).toBe(tokenA);
    });

    it('refuses a ciphertext with one byte changed', async () => {
      await registry.put(connection('7'), newToken());
      const raw = (await t.readRaw('hubspot-7')) as Raw;
      const data = Buffer.from(raw.secret!.data, 'base64');
      data[0] ^= 1;
      await t.writeRaw('hubspot-7', { ...raw, secret: { ...raw.secret, data: data.toString('base64') } });
      await expect(registry.secret('hubspot-7')).rejects.toThrow(TenantSecretUnreadableError);
    });

    it('names the tenant of a corrupt entry, and can still remove it', async () => {
      await registry.put(connection('1'), newToken());
      const raw = (await t.readRaw('hubspot-1')) as Raw;
      await t.writeRaw('hubspot-2', {
        ...raw,
        connection: { ...connection('2'), auth: 'hunter2-not-an-auth', schedule: { syncEveryMinutes: 0 } },
      });
      for (const read of [
        () => registry.get('hubspot-2'),
        () => registry.list(),
        () => registry.secret('hubspot-2'),
      ]) {
        const failed = read();
        await expect(failed).rejects.toThrow(TenantRegistryCorruptError);
        await expect(failed).rejects.toMatchObject({ tenant: 'hubspot-2', code: 'TENANT_REGISTRY_CORRUPT' });
        await expect(failed).rejects.toThrow(/tenant 'hubspot-2'.*connection\.auth.*connection\.schedule/);
      }
      // The message names fields and rules, never the value found (it could be a token in the wrong place).
      await expect(registry.get('hubspot-2')).rejects.not.toThrow(/hunter2/);
      expect(await registry.get('hubspot-1')).toEqual(connection('1'));
      expect(await registry.remove('hubspot-2')).toBe(true);
      expect(await registry.list()).toEqual([connection('1')]);
    });

    it('treats a whole entry moved under another tenant id as corrupt', async () => {
      await registry.put(connection('1'), newToken());
      await t.writeRaw('hubspot-2', await t.readRaw('hubspot-1'));
      await expect(registry.get('hubspot-2')).rejects.toThrow(TenantRegistryCorruptError);
      await expect(registry.secret('hubspot-2')).rejects.toMatchObject({ tenant: 'hubspot-2' });
    });

    it('stores no token in the clear, nor base64 or hex of it', async () => {
      const tokens = [newToken(), newToken()];
      await registry.put(connection('1'), tokens[0]);
      await registry.put(connection('2', { baseUrl: 'https://api.example.test/crm' }), tokens[1]);
      await registry.put(connection('3', { auth: 'oauth' }));
      const stored = await t.storedText();
      expect(stored).toContain('hubspot-2'); // the hooks do see the entries
      for (const token of tokens)
        for (const form of [
          token,
          Buffer.from(token).toString('base64'),
          Buffer.from(token).toString('base64url'),
          Buffer.from(token).toString('hex'),
          token.slice('pat-na1-'.length),
        ])
          expect(stored).not.toContain(form);
    });

    it('seals with a fresh IV every time', async () => {
      await registry.put(connection('1'), 'same-token');
      const first = ((await t.readRaw('hubspot-1')) as Raw).secret!;
      await registry.put(connection('1'), 'same-token');
      const second = ((await t.readRaw('hubspot-1')) as Raw).secret!;
      expect(Buffer.from(first.iv, 'base64')).toHaveLength(12);
      expect(second.iv).not.toBe(first.iv);
      expect(second.data).not.toBe(first.data);
      expect(first.cipher).toBe('aes-256-gcm');
    });

    it('refuses connections it must not store, and stores nothing for them', async () => {
      const refusals: [TenantConnection, string | undefined, RegExp][] = [
        [
          connection('1', { baseUrl: 'http://user:s3cret-pass@127.0.0.1:4010' }),
          't',
          /must not carry credentials/,
        ],
        [connection('1', { baseUrl: 'http://127.0.0.1:4010/?hapikey=abc' }), 't', /query or fragment/],
        [connection('1', { baseUrl: 'not a url' }), 't', /not a URL/],
        [connection('1', { tenant: 'hubspot-2' }), 't', /must be 'hubspot-1'/],
        [connection('1', { accountId: 'a:b', tenant: 'hubspot-a:b' }), 't', /accountId/],
        [connection('1'), undefined, /needs its token/],
        [connection('1'), '   ', /needs its token/],
        [connection('1', { auth: 'oauth' }), 't', /OAuth tenant takes no token/],
        [
          connection('1', {
            schedule: { syncEveryMinutes: 15, rescoreCron: '0 2 * *', retrainCron: '0 3 * * 0' },
          }),
          't',
          /rescoreCron.*5 fields/,
        ],
      ];
      for (const [bad, secret, message] of refusals) {
        const refused = registry.put(bad, secret);
        await expect(refused).rejects.toThrow(InvalidTenantConnectionError);
        await expect(refused).rejects.toThrow(message);
      }
      await expect(
        registry.put(connection('1', { baseUrl: 'http://u:s3cret-pass@h' }), 't'),
      ).rejects.not.toThrow(/s3cret-pass/);
      expect(await registry.list()).toEqual([]);
      expect(await t.storedText()).not.toContain('s3cret-pass');
    });
  });
}
