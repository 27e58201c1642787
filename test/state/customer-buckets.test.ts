import { bucketRange, CUSTOMER_BUCKETS, customerBucket, fnv1a32 } from '../../worker/state/customer-buckets';

describe('customer buckets', () => {
  it('hashes the UTF-8 bytes with 32-bit FNV-1a (the reference test vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes a non-ASCII id as its UTF-8 bytes', () => {
    // A reference FNV-1a on BigInts over the bytes C3 A9 of 'é' (not its one UTF-16 code unit E9).
    let h = 0x811c9dc5n;
    for (const byte of [0xc3n, 0xa9n]) h = ((h ^ byte) * 0x01000193n) % 2n ** 32n;
    expect(fnv1a32('é')).toBe(Number(h));
  });

  it('xor-folds the hash to the bucket: (h >> 10 ^ h) & 1023', () => {
    // 0xe40c292c >> 10 = 0x39030a; low ten bits 0x30a ^ 0x12c = 0x226 = 550.
    expect(customerBucket('a')).toBe(550);
  });

  it('spreads ids that differ in one character over the buckets', () => {
    const buckets = new Set(Array.from({ length: 60 }, (_, i) => customerBucket(`c${i}`)));
    expect(buckets.size).toBeGreaterThan(55);
    const thirds = [0, 1, 2].map((s) => bucketRange(s, 3));
    for (const { from, to } of thirds)
      expect([...buckets].filter((b) => b >= from && b < to).length).toBeGreaterThan(10);
  });

  it('splits the buckets into contiguous ranges that cover each bucket once', () => {
    for (const shards of [1, 3, 200, CUSTOMER_BUCKETS]) {
      let next = 0;
      for (let s = 0; s < shards; s++) {
        const range = bucketRange(s, shards);
        expect(range.from).toBe(next);
        expect(range.to).toBeGreaterThan(range.from);
        next = range.to;
      }
      expect(next).toBe(CUSTOMER_BUCKETS);
    }
    expect(() => bucketRange(0, CUSTOMER_BUCKETS + 1)).toThrow(/1 to 1024/);
    expect(() => bucketRange(3, 3)).toThrow(/0 to 2/);
  });
});
