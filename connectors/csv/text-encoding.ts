/**
 * Text encodings of input files: what a caller may ask for, what was used, and the byte-level pieces the
 * streaming decoder (open-text-chunks) needs.
 *
 * Why our own Windows-1252 decoder: Node 20's TextDecoder('windows-1252') decodes bytes 0x80–0x9F as the C1
 * control characters U+0080–U+009F, i.e. as ISO-8859-1 (nodejs/node#60888, a regression since 20.18.3), so
 * 0x80 comes out as U+0080 instead of '€' and 0x92 as U+0092 instead of '’'. Buffer's 'latin1' decoding is
 * exact ISO-8859-1 and fast; Windows-1252 is that plus the 27-character table below (WHATWG Encoding
 * Standard, index-windows-1252; the five bytes it leaves undefined map to themselves, as WHATWG says).
 * Both are one character per byte, so two different byte strings never decode to the same text.
 */

/** What a caller may ask for; 'auto' reads UTF-8 and falls back to Windows-1252 (see open-text-chunks). */
export const TEXT_ENCODINGS = ['auto', 'utf-8', 'latin1', 'windows-1252'] as const;
export type TextEncodingChoice = (typeof TEXT_ENCODINGS)[number];
export type TextEncodingUsed = Exclude<TextEncodingChoice, 'auto'>;

/** How a file was decoded, for the quality report; every field is JSON. */
export type EncodingReport = {
  requested: TextEncodingChoice;
  used: TextEncodingUsed;
  /** Byte sequences that are not UTF-8 (one per U+FFFD a UTF-8 decoder would make); null when not checked. */
  invalidUtf8Sequences: number | null;
  /** Physical line of the first of them (null when none, or when the reader does not count lines). */
  firstInvalidUtf8Line: number | null;
  /** One sentence for people: what was found and how the file was read. */
  note: string;
};

const NAMES: Record<TextEncodingUsed, string> = {
  'utf-8': 'UTF-8',
  latin1: 'Latin-1 (ISO-8859-1)',
  'windows-1252': 'Windows-1252',
};

export function encodingName(encoding: TextEncodingUsed): string {
  return NAMES[encoding];
}

/** Windows-1252 bytes 0x80–0x9F (WHATWG index-windows-1252). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
].map((c) => String.fromCharCode(c));

const C1 = /[\x80-\x9f]/;
const C1_ALL = /[\x80-\x9f]/g;

export function decodeSingleByte(bytes: Buffer, encoding: 'latin1' | 'windows-1252'): string {
  const text = bytes.toString('latin1');
  if (encoding === 'latin1' || !C1.test(text)) return text;
  return text.replace(C1_ALL, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/**
 * Length of `bytes` without a UTF-8 sequence left unfinished at its end (a lead byte followed by fewer
 * continuation bytes than it announces), so a chunk boundary never splits a character. Whether the bytes are
 * valid is not decided here.
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back];
    if (b < 0x80) return n;
    if (b < 0xc0) continue; // continuation byte: look further back for its lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return need > back ? n - back : n;
  }
  return n;
}

/**
 * Counts invalid UTF-8 sequences the way a WHATWG UTF-8 decoder replaces them (one per U+FFFD), across
 * chunks. Only chunks that the native check (buffer.isUtf8) rejects, or that follow an unfinished sequence,
 * are fed here, so a valid file never pays for this loop.
 */
export class Utf8ErrorCounter {
  errors = 0;
  /** Absolute byte offset of the first invalid sequence, -1 while none. */
  firstErrorOffset = -1;
  private needed = 0;
  private seen = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private leadOffset = 0;
  private offset = 0;

  /** True when no sequence is open (the next byte starts a character). */
  get idle(): boolean {
    return this.needed === 0;
  }

  /** Feeds bytes[0, end); returns the index in `bytes` of the first invalid sequence found by this call, or -1. */
  feed(bytes: Uint8Array, end = bytes.length): number {
    let first = -1;
    const base = this.offset;
    for (let i = 0; i < end; i++) {
      const b = bytes[i];
      if (this.needed === 0) {
        if (b < 0x80) continue;
        this.leadOffset = base + i;
        if (b >= 0xc2 && b <= 0xdf) this.needed = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) this.lower = 0xa0;
          else if (b === 0xed) this.upper = 0x9f;
          this.needed = 2;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) this.lower = 0x90;
          else if (b === 0xf4) this.upper = 0x8f;
          this.needed = 3;
        } else if (this.error(base + i) && first < 0) first = i;
        continue;
      }
      if (b < this.lower || b > this.upper) {
        // The sequence ends before this byte; the byte is looked at again as the start of the next one.
        const at = this.leadOffset;
        this.reset();
        if (this.error(at) && first < 0) first = Math.max(0, at - base);
        i--;
        continue;
      }
      this.lower = 0x80;
      this.upper = 0xbf;
      if (++this.seen === this.needed) this.reset();
    }
    this.offset = base + end;
    return first;
  }

  /** Skips bytes known to be valid complete UTF-8 (checked natively), keeping offsets right. */
  skip(length: number): void {
    this.offset += length;
  }

  /** End of input: an unfinished sequence is one more invalid sequence. */
  end(): void {
    if (this.needed > 0) {
      this.error(this.leadOffset);
      this.reset();
    }
  }

  private reset(): void {
    this.needed = 0;
    this.seen = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }

  /** Counts one invalid sequence; true when it is the first. */
  private error(at: number): boolean {
    this.errors++;
    if (this.firstErrorOffset >= 0) return false;
    this.firstErrorOffset = at;
    return true;
  }
}

/** Index of the first byte ≥ 0x80 in bytes[0, end), or -1. */
export function firstNonAscii(bytes: Uint8Array, end = bytes.length): number {
  for (let i = 0; i < end; i++) if (bytes[i] >= 0x80) return i;
  return -1;
}

/** Newlines (0x0a) in bytes[0, end): turns a byte offset into a line number when a problem is reported. */
export function countNewlines(bytes: Buffer, end: number): number {
  let count = 0;
  let p = bytes.indexOf(10);
  while (p >= 0 && p < end) {
    count++;
    p = bytes.indexOf(10, p + 1);
  }
  return count;
}

/** A few bytes around `at`, printable: ASCII as is, others as \xHH (for messages). */
export function showBytes(bytes: Uint8Array, at: number): string {
  let start = at;
  while (start > 0 && at - start < 24 && bytes[start - 1] !== 10) start--;
  let out = '';
  for (let i = start; i < Math.min(bytes.length, at + 16) && bytes[i] !== 10 && bytes[i] !== 13; i++) {
    const b = bytes[i];
    out +=
      b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
