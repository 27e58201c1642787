import {
  parseTokenKey,
  tokenKeyFromEnv,
  TokenKeyInvalidError,
  TokenKeyMissingError,
} from '../../../../connectors/hubspot/oauth';

// 32 bytes 0x00..0x1f, written by hand in each encoding.
const BYTES = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const BASE64 = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';

describe('CRM_CLV_TOKEN_KEY', () => {
  it('accepts 64 hex characters (either case) and base64 of 32 bytes (padded, unpadded, with spaces around)', () => {
    expect(parseTokenKey(HEX)).toEqual(BYTES);
    expect(parseTokenKey(HEX.toUpperCase())).toEqual(BYTES);
    expect(parseTokenKey(BASE64)).toEqual(BYTES);
    expect(parseTokenKey(BASE64.replace(/=+$/, ''))).toEqual(BYTES);
    expect(parseTokenKey(`  ${BASE64}\n`)).toEqual(BYTES);
    expect(tokenKeyFromEnv({ CRM_CLV_TOKEN_KEY: BASE64 })).toEqual(BYTES);
  });

  it('names the variable and how to make a key when it is missing or empty', () => {
    for (const value of [undefined, '', '   ']) {
      let error: unknown;
      try {
        tokenKeyFromEnv(value === undefined ? {} : { CRM_CLV_TOKEN_KEY: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TokenKeyMissingError);
      expect(error).toMatchObject({ code: 'TOKEN_KEY_MISSING' });
      expect((error as Error).message).toContain('CRM_CLV_TOKEN_KEY');
      expect((error as Error).message).toContain('openssl rand -base64 32');
    }
  });

  it.each([
    ['16 bytes of base64', Buffer.alloc(16, 7).toString('base64')],
    ['48 bytes of base64', Buffer.alloc(48, 7).toString('base64')],
    ['63 hex characters', HEX.slice(1)],
    ['characters outside base64', `${BASE64.slice(0, 40)}!!!=`],
    ['a passphrase', 'correct horse battery staple'],
  ])('refuses %s without repeating the value', (_label, value) => {
    let error: unknown;
    try {
      parseTokenKey(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TokenKeyInvalidError);
    expect(error).toMatchObject({ code: 'TOKEN_KEY_INVALID' });
    expect((error as Error).message).toMatch(/32 bytes.*openssl rand -base64 32/);
    expect((error as Error).message).not.toContain(value);
  });
});
