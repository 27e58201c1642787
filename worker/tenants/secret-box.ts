/**
 * A tenant's connection secret (a private-app token) encrypted at rest, the way the OAuth token files are
 * (connectors/hubspot/oauth/encrypted-token-store.ts): AES-256-GCM under CRM_CLV_TOKEN_KEY, a fresh random
 * 12-byte IV for every seal (the IV length NIST SP 800-38D §5.2.1.1 recommends; random IVs per §8.2.2) and the
 * 16-byte tag checked on open, so another key or a changed byte is refused instead of yielding garbage.
 *
 * The tenant id is bound in as additional authenticated data, behind a label naming this use: a sealed secret
 * copied into another tenant's entry is refused, and so is an OAuth token file's ciphertext (same key, AAD the
 * bare tenant id) moved into the registry.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { tokenKeyFromEnv } from '../../connectors/hubspot/oauth/token-key';
import type { TenantId } from '../../domain/tenant';

const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Domain separation from the other ciphertexts under the same key; NUL cannot occur in a tenant id's text. */
const AAD_LABEL = 'crm-clv tenant secret v1\0';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** What is stored in place of the secret: all base64, none of it secret without the key. */
export const sealedSecretSchema = z.object({
  cipher: z.literal(CIPHER),
  iv: base64,
  tag: base64,
  data: base64,
});
export type SealedSecret = z.infer<typeof sealedSecretSchema>;

/** The secret could not be opened: the caller names the tenant and the place in its own typed error. */
export class SecretBoxOpenError extends Error {
  constructor() {
    super('the sealed secret failed authentication (other key, changed bytes, or another tenant)');
    this.name = 'SecretBoxOpenError';
  }
}

function additionalData(tenant: TenantId): Buffer {
  if (tenant === '') throw new RangeError('a sealed secret needs a tenant id');
  return Buffer.from(AAD_LABEL + tenant, 'utf8');
}

export class SecretBox {
  private readonly key: Buffer;

  /** `key`: 32 bytes, e.g. from parseTokenKey(); when absent it is read from CRM_CLV_TOKEN_KEY now. */
  constructor(key: Buffer = tokenKeyFromEnv()) {
    if (key.length !== KEY_BYTES) throw new RangeError('the token key must be 32 bytes (use parseTokenKey)');
    this.key = Buffer.from(key);
  }

  /** Encrypts `secret` for `tenant`; two seals of one secret differ (fresh IV each time). */
  seal(tenant: TenantId, secret: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(tenant));
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return {
      cipher: CIPHER,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /** The secret sealed for `tenant`; throws SecretBoxOpenError for any other key, tenant or changed byte. */
  open(tenant: TenantId, sealed: SealedSecret): string {
    // crypto's own errors say nothing useful to a user: every failure becomes the one error above.
    try {
      const iv = Buffer.from(sealed.iv, 'base64');
      const tag = Buffer.from(sealed.tag, 'base64');
      if (sealed.cipher !== CIPHER || iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
        throw new Error('bad sizes');
      const decipher = createDecipheriv(CIPHER, this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(tenant));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return plain.toString('utf8');
    } catch {
      throw new SecretBoxOpenError();
    }
  }
}
