/**
 * 64-bit string hashing and open-addressing tables keyed by the hash, so duplicate detection and order
 * lookup keep 8–12 bytes per entry instead of the strings themselves. Two 32-bit lanes (FNV-1a and a
 * multiply-rotate lane, each finished with MurmurHash3's fmix32) make the 64-bit key; at 10⁷ keys the
 * chance of any collision is about n²/2⁶⁵ ≈ 3·10⁻⁶.
 */

/** Incremental hasher: feed strings, read `hi`/`lo` after `finish()`. Reused to avoid allocation. */
export class Hasher64 {
  hi = 0;
  lo = 0;
  group = 0;
  private a = 0;
  private b = 0;

  reset(seed = 0): this {
    this.a = (0x811c9dc5 ^ seed) >>> 0;
    this.b = (0x9747b28c + seed) | 0;
    return this;
  }

  /** Adds a field; undefined and '' hash differently, and the separator keeps "ab","c" ≠ "a","bc". */
  field(s: string | undefined): this {
    let a = this.a;
    let b = this.b;
    let sep = 0x1f;
    if (s !== undefined) {
      // Two UTF-16 units per step: half the multiplications of a char-by-char loop.
      const n = s.length;
      let i = 0;
      for (; i + 1 < n; i += 2) {
        const c = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x85ebca6b);
        b = (b << 13) | (b >>> 19);
      }
      // The separator also carries the length parity, so an odd tail is unambiguous.
      sep = i < n ? 0x1e0000 | s.charCodeAt(i) : 0x1e;
    }
    a = Math.imul(a ^ sep, 0x01000193);
    b = Math.imul(b ^ sep, 0x85ebca6b);
    this.a = a;
    this.b = (b << 13) | (b >>> 19);
    return this;
  }

  /**
   * Adds a field that is decimal text or a number (RawTransaction's amount, quantity, unit price). A number
   * is hashed by its value (its 64 bits, -0 as 0), not its text: two numbers hash alike exactly when their
   * String() texts are equal, as rows of one source (a file: all text; the store: all numbers) need for
   * duplicate detection, without building the string.
   */
  decimal(v: string | number | undefined): this {
    if (typeof v !== 'number') return this.field(v);
    FLOAT[0] = v + 0;
    // A marker unlike field()'s separators, so a number never hashes like a one-character text.
    this.int(0x7e5d3c1b).int(WORDS[0]).int(WORDS[1]);
    return this;
  }

  /** Adds an integer (e.g. an interned index). */
  int(v: number): this {
    this.a = Math.imul(this.a ^ v, 0x01000193);
    this.b = Math.imul(this.b ^ v, 0xcc9e2d51);
    return this;
  }

  /** Remembers a hash of the fields so far as `group` (see rowKeyHigh). */
  checkpoint(): this {
    this.group = fmix32(this.a ^ Math.imul(this.b, 0x1b873593));
    return this;
  }

  finish(): this {
    const a = fmix32(this.a ^ Math.imul(this.b, 0x1b873593));
    const b = fmix32(this.b ^ a);
    this.hi = a;
    // 0 marks an empty slot in the tables below.
    this.lo = b === 0 ? 0x2545f491 : b;
    return this;
  }
}

/** Scratch for decimal(): a double's two 32-bit words. */
const FLOAT = new Float64Array(1);
const WORDS = new Int32Array(FLOAT.buffer);

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Set of 64-bit keys (lo ≠ 0), linear probing from slot hi mod capacity, grows at 3/4 load. 8 bytes per slot. */
export class HashSet64 {
  private keys: Uint32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1 << 16) {
    const cap = 1 << Math.max(4, Math.ceil(Math.log2(initialCapacity)));
    this.keys = new Uint32Array(cap * 2);
    this.mask = cap - 1;
  }

  /** Adds the key; returns false when it was already present. */
  add(hi: number, lo: number): boolean {
    const keys = this.keys;
    let slot = hi & this.mask;
    while (true) {
      const k = slot << 1;
      const l = keys[k + 1];
      if (l === 0) {
        keys[k] = hi;
        keys[k + 1] = lo;
        if (++this.size * 4 > (this.mask + 1) * 3) this.grow();
        return true;
      }
      if (l === lo && keys[k] === hi) return false;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Frees the table (the set is empty afterwards). */
  release(): void {
    this.keys = new Uint32Array(32);
    this.mask = 15;
    this.size = 0;
  }

  private grow(): void {
    const old = this.keys;
    const cap = (this.mask + 1) * 2;
    this.keys = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.size = 0;
    for (let k = 0; k < old.length; k += 2) if (old[k + 1] !== 0) this.add(old[k], old[k + 1]);
  }
}

/** Map from 64-bit keys (lo ≠ 0) to non-negative int32 values. 12 bytes per slot. */
export class HashMap64 {
  private keys: Uint32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1 << 16) {
    const cap = 1 << Math.max(4, Math.ceil(Math.log2(initialCapacity)));
    this.keys = new Uint32Array(cap * 2);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** The value stored for the key, or -1. */
  get(hi: number, lo: number): number {
    const keys = this.keys;
    let slot = hi & this.mask;
    while (true) {
      const k = slot << 1;
      const l = keys[k + 1];
      if (l === 0) return -1;
      if (l === lo && keys[k] === hi) return this.values[slot];
      slot = (slot + 1) & this.mask;
    }
  }

  /** Stores a value for a key that is not present yet. */
  insert(hi: number, lo: number, value: number): void {
    const keys = this.keys;
    let slot = hi & this.mask;
    while (keys[(slot << 1) + 1] !== 0) slot = (slot + 1) & this.mask;
    keys[slot << 1] = hi;
    keys[(slot << 1) + 1] = lo;
    this.values[slot] = value;
    if (++this.size * 4 > (this.mask + 1) * 3) this.grow();
  }

  /** Frees the table (the map is empty afterwards). */
  release(): void {
    this.keys = new Uint32Array(32);
    this.values = new Int32Array(16);
    this.mask = 15;
    this.size = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const cap = (this.mask + 1) * 2;
    this.keys = new Uint32Array(cap * 2);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let s = 0; s < oldValues.length; s++) {
      if (oldKeys[2 * s + 1] !== 0) this.insert(oldKeys[2 * s], oldKeys[2 * s + 1], oldValues[s]);
    }
  }
}

/**
 * High word of a row's duplicate key: 24 bits of the group hash (customer + order) and 8 bits of the row
 * hash. Rows of one order then fall within 256 slots (2 KiB) of a HashSet64, so a 20-line invoice costs about
 * one cache miss instead of 20; two rows of the same order still differ in 40 key bits (8 + lo), so even a
 * 10⁷-row file of 20-line orders has ~10⁻⁴ chance of one false duplicate; rows of different orders in 64.
 */
export function rowKeyHigh(h: Hasher64): number {
  return ((h.group & 0xffffff00) | (h.hi & 0xff)) >>> 0;
}
