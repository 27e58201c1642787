import { createDecipheriv, randomBytes } from 'node:crypto';
import { parseTokenKey } from '../../connectors/hubspot/oauth';
import { SecretBox } from '../../worker/tenants';
import { SecretBoxOpenError } from '../../worker/tenants/secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);

  it('round-trips a secret for its tenant, with a 12-byte IV and a 16-byte tag', () => {
    const sealed = box.seal('hubspot-1', 'pat-na1-abc');
    expect(sealed.cipher).toBe('aes-256-gcm');
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(box.open('hubspot-1', sealed)).toBe('pat-na1-abc');
    expect(new SecretBox(Buffer.from(key)).open('hubspot-1', sealed)).toBe('pat-na1-abc');
  });

  it('is plain AES-256-GCM, the tenant id (after a label) as additional authenticated data', () => {
    const sealed = box.seal('hubspot-1', 'pat-na1-abc');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from('crm-clv tenant secret v1\0hubspot-1', 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    expect(plain.toString('utf8')).toBe('pat-na1-abc');
  });

  it('uses a fresh IV for every seal', () => {
    const ivs = new Set(Array.from({ length: 50 }, () => box.seal('hubspot-1', 'same').iv));
    expect(ivs.size).toBe(50);
  });

  it('refuses another tenant, another key, and any changed part', () => {
    const sealed = box.seal('hubspot-1', 'pat-na1-abc');
    expect(() => box.open('hubspot-2', sealed)).toThrow(SecretBoxOpenError);
    expect(() => box.open('hubspot-10', sealed)).toThrow(SecretBoxOpenError);
    expect(() => new SecretBox(randomBytes(32)).open('hubspot-1', sealed)).toThrow(SecretBoxOpenError);
    for (const part of ['iv', 'tag', 'data'] as const) {
      const bytes = Buffer.from(sealed[part], 'base64');
      bytes[bytes.length - 1] ^= 0x80;
      expect(() => box.open('hubspot-1', { ...sealed, [part]: bytes.toString('base64') })).toThrow(
        SecretBoxOpenError,
      );
    }
    // A short tag would weaken GCM's check; it is refused, not accepted as a truncated tag.
    expect(() => box.open('hubspot-1', { ...sealed, tag: sealed.tag.slice(0, 8) })).toThrow(
      SecretBoxOpenError,
    );
  });

  it('takes its key from CRM_CLV_TOKEN_KEY through the OAuth key parser', () => {
    const saved = process.env.CRM_CLV_TOKEN_KEY;
    try {
      process.env.CRM_CLV_TOKEN_KEY = key.toString('hex');
      const sealed = new SecretBox().seal('hubspot-1', 'x');
      expect(new SecretBox(parseTokenKey(key.toString('base64'))).open('hubspot-1', sealed)).toBe('x');
      process.env.CRM_CLV_TOKEN_KEY = 'too-short';
      expect(() => new SecretBox()).toThrow(expect.objectContaining({ code: 'TOKEN_KEY_INVALID' }));
      delete process.env.CRM_CLV_TOKEN_KEY;
      expect(() => new SecretBox()).toThrow(expect.objectContaining({ code: 'TOKEN_KEY_MISSING' }));
      expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
    } finally {
      if (saved === undefined) delete process.env.CRM_CLV_TOKEN_KEY;
      else process.env.CRM_CLV_TOKEN_KEY = saved;
    }
  });
});
