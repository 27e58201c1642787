import { createDecipheriv, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EncryptedTokenStore,
  TokenFileError,
  TokenKeyMissingError,
  type StoredTokens,
} from '../../../../connectors/hubspot/oauth';

const TOKENS: StoredTokens = {
  accessToken: 'access-3b9f1c0d7e2a4f6b8c1d3e5f7a9b0c2d',
  refreshToken: 'refresh-8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b',
  expiresAt: Date.parse('2026-11-20T09:30:00.000Z'),
};

let dataDir: string;
let key: Buffer;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'crm-clv-token-store-'));
  key = randomBytes(32);
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Every encoding in which a token could plausibly sit in a file by mistake. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')];
}

describe('EncryptedTokenStore', () => {
  it('stores a portal’s tokens at <dataDir>/hubspot-<portal>/oauth-tokens.enc and reads them back', async () => {
    const store = new EncryptedTokenStore(dataDir, key);
    await store.save('1000', TOKENS);

    expect(store.tokenPath('1000')).toBe(join(dataDir, 'hubspot-1000', 'oauth-tokens.enc'));
    await expect(store.load('1000')).resolves.toEqual(TOKENS);
    await expect(store.load('2000')).resolves.toBeUndefined();
    expect((await stat(store.tokenPath('1000'))).mode & 0o777).toBe(0o600);
  });

  it('writes neither token, nor their base64, base64url or hex, into the file', async () => {
    const store = new EncryptedTokenStore(dataDir, key);
    await store.save('1000', TOKENS);
    const file = await readFile(store.tokenPath('1000'), 'utf8');
    for (const secret of [TOKENS.accessToken, TOKENS.refreshToken]) {
      for (const encoded of encodings(secret)) expect(file).not.toContain(encoded);
    }
    expect(file).not.toContain(key.toString('base64'));
    expect(file).not.toContain(key.toString('hex'));
  });

  it('is AES-256-GCM with a fresh 12-byte IV per write, decryptable by hand with the key and portal', async () => {
    const store = new EncryptedTokenStore(dataDir, key);
    await store.save('1000', TOKENS);
    const first = JSON.parse(await readFile(store.tokenPath('1000'), 'utf8'));
    await store.save('1000', TOKENS);
    const second = JSON.parse(await readFile(store.tokenPath('1000'), 'utf8'));

    expect(Buffer.from(first.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(first.tag, 'base64')).toHaveLength(16);
    expect(second.iv).not.toBe(first.iv);
    expect(second.data).not.toBe(first.data);

    // Independent decryption with node:crypto, from the file format alone (AAD = the portal's tenant id).
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(second.iv, 'base64'));
    decipher.setAAD(Buffer.from('hubspot-1000'));
    decipher.setAuthTag(Buffer.from(second.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(second.data, 'base64')), decipher.final()]);
    expect(JSON.parse(plain.toString('utf8'))).toEqual(TOKENS);
  });

  it('refuses a file written with another key with a typed error saying what to do', async () => {
    await new EncryptedTokenStore(dataDir, key).save('1000', TOKENS);
    const other = new EncryptedTokenStore(dataDir, randomBytes(32));

    const error = await other.load('1000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenFileError);
    expect(error).toMatchObject({ code: 'TOKEN_FILE_UNREADABLE' });
    expect((error as Error).message).toMatch(/another CRM_CLV_TOKEN_KEY or changed; .*reinstall the app/);
    expect((error as Error).stack).not.toMatch(/Unsupported state|authenticate data/);
  });

  it.each([
    ['a flipped bit in the ciphertext', 'data'],
    ['a flipped bit in the tag', 'tag'],
    ['a flipped bit in the IV', 'iv'],
  ])('refuses %s', async (_label, field) => {
    const store = new EncryptedTokenStore(dataDir, key);
    await store.save('1000', TOKENS);
    const file = JSON.parse(await readFile(store.tokenPath('1000'), 'utf8'));
    const bytes = Buffer.from(file[field], 'base64');
    bytes[0] ^= 0x01;
    file[field] = bytes.toString('base64');
    await writeFile(store.tokenPath('1000'), JSON.stringify(file));

    await expect(store.load('1000')).rejects.toMatchObject({ code: 'TOKEN_FILE_UNREADABLE' });
  });

  it('refuses a file that is not a token file, and one copied into another portal’s folder', async () => {
    const store = new EncryptedTokenStore(dataDir, key);
    await store.save('1000', TOKENS);
    await cp(join(dataDir, 'hubspot-1000'), join(dataDir, 'hubspot-2000'), { recursive: true });
    await expect(store.load('2000')).rejects.toBeInstanceOf(TokenFileError);

    await writeFile(store.tokenPath('1000'), 'not json at all');
    await expect(store.load('1000')).rejects.toBeInstanceOf(TokenFileError);
  });

  it('takes its key from CRM_CLV_TOKEN_KEY and names the variable when it is missing', async () => {
    const saved = process.env.CRM_CLV_TOKEN_KEY;
    try {
      delete process.env.CRM_CLV_TOKEN_KEY;
      expect(() => new EncryptedTokenStore(dataDir)).toThrow(TokenKeyMissingError);
      expect(() => new EncryptedTokenStore(dataDir)).toThrow(/CRM_CLV_TOKEN_KEY.*openssl rand -base64 32/);

      process.env.CRM_CLV_TOKEN_KEY = key.toString('base64');
      await new EncryptedTokenStore(dataDir).save('1000', TOKENS);
      await expect(new EncryptedTokenStore(dataDir, key).load('1000')).resolves.toEqual(TOKENS);
    } finally {
      if (saved === undefined) delete process.env.CRM_CLV_TOKEN_KEY;
      else process.env.CRM_CLV_TOKEN_KEY = saved;
    }
  });
});
