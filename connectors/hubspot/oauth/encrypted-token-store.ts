/**
 * OAuth tokens per portal, encrypted at rest: `<dataDir>/<tenantKey('hubspot-<portalId>')>/oauth-tokens.enc`
 * beside the portal's synced records (the file store). AES-256-GCM with a fresh random 12-byte IV for every write
 * (the IV length NIST SP 800-38D §5.2.1.1 recommends;
 * random IVs per §8.2.2) and the 16-byte tag checked on read, so another key or a
 * changed byte is refused instead of yielding garbage. The portal's tenant name is bound in as additional
 * authenticated data, so a file copied into another portal's folder is refused too. Files are replaced atomically
 * (writeFileAtomic) and readable by the owner only.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { crmTenantId, tenantKey } from '../../../domain/tenant';
import { writeFileAtomic, type FileOps } from '../../files/write-file-atomic';
import { TokenFileError } from './oauth-errors';
import { tokenKeyFromEnv } from './token-key';

export const TOKEN_FILE_NAME = 'oauth-tokens.enc';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type StoredTokens = {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
};

const storedTokens = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.number().finite(),
});

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** The file is JSON so it can go through writeFileAtomic (text) and say what it is; only `data` is secret. */
const envelope = z.object({
  format: z.literal('crm-clv-oauth-tokens'),
  version: z.literal(1),
  cipher: z.literal(CIPHER),
  iv: base64,
  tag: base64,
  data: base64,
});

/** Owner-only file mode: the tokens are encrypted, but the file need not be readable by anyone else. */
const privateFileOps: FileOps = {
  writeFile: (path, content) => writeFile(path, content, { encoding: 'utf8', mode: 0o600 }),
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true }),
};

export type TokenStore = {
  load(portalId: string): Promise<StoredTokens | undefined>;
  save(portalId: string, tokens: StoredTokens): Promise<void>;
};

export class EncryptedTokenStore implements TokenStore {
  private readonly key: Buffer;

  /** `key`: 32 bytes, e.g. from tokenKeyFromEnv(); when absent it is read from CRM_CLV_TOKEN_KEY now. */
  constructor(
    readonly dataDir: string,
    key: Buffer = tokenKeyFromEnv(),
  ) {
    if (key.length !== 32) throw new RangeError('the token key must be 32 bytes (use parseTokenKey)');
    this.key = Buffer.from(key);
  }

  tokenPath(portalId: string): string {
    return join(this.dataDir, tenantKey(tenantOf(portalId)), TOKEN_FILE_NAME);
  }

  async save(portalId: string, tokens: StoredTokens): Promise<void> {
    const plain = Buffer.from(JSON.stringify(storedTokens.parse(tokens)), 'utf8');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(tenantOf(portalId), 'utf8'));
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    const content = JSON.stringify({
      format: 'crm-clv-oauth-tokens',
      version: 1,
      cipher: CIPHER,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    });
    const path = this.tokenPath(portalId);
    const dir = join(this.dataDir, tenantKey(tenantOf(portalId)));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, `${content}\n`, privateFileOps);
    // writeFile's mode is masked by the umask; make sure the final file is owner-only whatever the umask.
    await chmod(path, 0o600);
  }

  async load(portalId: string): Promise<StoredTokens | undefined> {
    const path = this.tokenPath(portalId);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return this.decrypt(path, text, portalId);
  }

  private decrypt(path: string, text: string, portalId: string): StoredTokens {
    // Every failure below (bad JSON, other key, changed byte, wrong portal) becomes one typed error: crypto's own
    // errors say nothing useful to a user and their stacks are noise.
    try {
      const file = envelope.parse(JSON.parse(text));
      const iv = Buffer.from(file.iv, 'base64');
      const tag = Buffer.from(file.tag, 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('bad sizes');
      const decipher = createDecipheriv(CIPHER, this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(tenantOf(portalId), 'utf8'));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]);
      return storedTokens.parse(JSON.parse(plain.toString('utf8')));
    } catch {
      throw new TokenFileError(path);
    }
  }
}

/** The tenant id of a HubSpot portal. */
export function tenantOf(portalId: string): string {
  return crmTenantId('hubspot', portalId);
}
