/**
 * 18-character Salesforce ids: key prefix (3) + instance (2) + sequence (10) = the case-sensitive 15-character
 * id, then the 3-character case-safe suffix. The suffix encodes, per 5-character chunk, which characters are
 * upper-case letters (bit i for character i) as one of A–Z0–5 (Salesforce knowledge article "What are
 * Salesforce IDs composed of?").
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Fixed "instance" characters, so sandbox ids look like an org's without being anyone's. */
const INSTANCE = '5g';

export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15[chunk * 5 + i];
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/** The `n`-th id of a key prefix (n ≥ 1), base 62 so the suffix has work to do. */
export function salesforceId(keyPrefix: string, n: number): string {
  let sequence = '';
  let rest = n;
  for (let i = 0; i < 10; i++) {
    sequence = BASE62[rest % 62] + sequence;
    rest = Math.floor(rest / 62);
  }
  const id15 = keyPrefix + INSTANCE + sequence;
  return id15 + caseSafeSuffix(id15);
}

/** The 18-character form of a 15- or 18-character id, or undefined when `id` is not shaped like one. */
export function normalizeId(id: string): string | undefined {
  if (/^[a-zA-Z0-9]{15}$/.test(id)) return id + caseSafeSuffix(id);
  if (/^[a-zA-Z0-9]{18}$/.test(id) && caseSafeSuffix(id.slice(0, 15)) === id.slice(15).toUpperCase())
    return id.slice(0, 15) + id.slice(15).toUpperCase();
  return undefined;
}
