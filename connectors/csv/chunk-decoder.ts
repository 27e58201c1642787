/**
 * Decodes a file's byte chunks to text as they stream, in the encoding asked for, and says how it went.
 *
 * - 'utf-8': strict. The first byte sequence that is not UTF-8 stops the read with an InputFormatError naming
 *   the line and the option (a replacement character would merge "André" and "Andrè" into one customer).
 * - 'latin1', 'windows-1252': one character per byte, nothing to check (text-encoding.ts).
 * - 'auto' (the default): UTF-8 while the bytes are UTF-8. At the first sequence that is not, the file is
 *   taken to be Windows-1252 and that chunk and the rest are decoded as such, provided everything decoded
 *   so far was ASCII — ASCII reads the same in both, so the whole file is then exactly as if it had been read
 *   as Windows-1252 from the start. Windows-1252 rather than ISO-8859-1 because files called Latin-1 are
 *   nearly always Windows-1252 in practice (the WHATWG Encoding Standard maps the label 'latin1' to it), and
 *   the two differ only in 0x80–0x9F, which ISO-8859-1 spends on control characters. If non-ASCII text
 *   has already been decoded as valid UTF-8 (a file mixing encodings), no single reading is right, and a
 *   streaming reader cannot go back: the read stops with a message asking for the file to be converted or an
 *   encoding to be named. The invalid sequences are counted over the whole file (a UTF-8 decoder's U+FFFD
 *   count) for the report.
 *
 * Cost on valid UTF-8: one native validation (buffer.isUtf8) per chunk, and buffer.isAscii until the first
 * non-ASCII byte; the byte-by-byte counter only runs on chunks that fail validation.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { InputFormatError } from './errors';
import {
  Utf8ErrorCounter,
  completeUtf8Length,
  countNewlines,
  decodeSingleByte,
  encodingName,
  firstNonAscii,
  showBytes,
  type EncodingReport,
  type TextEncodingChoice,
  type TextEncodingUsed,
} from './text-encoding';

export class ChunkDecoder {
  private used: TextEncodingUsed;
  /** Unfinished UTF-8 sequence at the end of the last chunk, decoded with the next one. */
  private pending: Buffer | null = null;
  private readonly counter = new Utf8ErrorCounter();
  private firstInvalidLine: number | null = null;
  /** Where non-ASCII text was first decoded as UTF-8 (auto), for the message about mixed encodings. */
  private firstNonAsciiLine: number | null = null;
  private firstNonAsciiText = '';
  private sawNonAscii = false;
  private started = false;

  /**
   * @param linesRead physical lines the consumer has split from the text returned so far (line numbers in
   *   messages); without it, messages give byte offsets.
   */
  constructor(
    private readonly path: string,
    private readonly requested: TextEncodingChoice = 'auto',
    private readonly linesRead?: () => number,
  ) {
    this.used = requested === 'auto' ? 'utf-8' : requested;
  }

  write(chunk: Buffer): string {
    if (!this.started) {
      this.started = true;
      this.refuseUtf16(chunk);
    }
    if (this.used !== 'utf-8') return this.singleByte(chunk);
    const bytes = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    const cut = completeUtf8Length(bytes);
    const body = cut < bytes.length ? bytes.subarray(0, cut) : bytes;
    if (isUtf8(body)) {
      if (cut < bytes.length) this.pending = Buffer.from(bytes.subarray(cut));
      this.counter.skip(body.length);
      if (this.requested === 'auto' && !this.sawNonAscii && !isAscii(body)) this.noteNonAscii(body);
      return body.toString('utf8');
    }
    // The chunk has a sequence that is not UTF-8: count from its start (tail included, so a sequence cut by
    // the chunk's end carries on into the next chunk in the counter's state).
    const at = Math.max(0, this.counter.feed(bytes));
    const line = this.lineOf(bytes, at);
    this.firstInvalidLine ??= line;
    if (this.requested === 'utf-8') throw this.notUtf8(bytes, at, line);
    if (this.sawNonAscii || firstNonAscii(bytes, at) >= 0) {
      if (!this.sawNonAscii) this.noteNonAscii(bytes);
      throw this.mixed(bytes, at, line);
    }
    this.used = 'windows-1252';
    return decodeSingleByte(bytes, 'windows-1252');
  }

  /** Text still held back: a UTF-8 lead byte at the very end whose continuation never came. */
  end(): string {
    const rest = this.pending;
    this.pending = null;
    if (rest !== null) this.counter.feed(rest);
    this.counter.end();
    if (rest === null) return '';
    const line = this.lineOf(rest, 0);
    this.firstInvalidLine ??= line;
    if (this.requested === 'utf-8') throw this.notUtf8(rest, 0, line);
    if (this.sawNonAscii) throw this.mixed(rest, 0, line);
    this.used = 'windows-1252';
    return decodeSingleByte(rest, 'windows-1252');
  }

  report(): EncodingReport {
    const checked = this.requested === 'auto' || this.requested === 'utf-8';
    const invalid = checked ? this.counter.errors : null;
    const name = encodingName(this.used);
    let note: string;
    if (this.requested !== 'auto') note = `read as ${name}, as named with --encoding ${this.requested}`;
    else if (this.used === 'utf-8') note = 'valid UTF-8';
    else {
      const where = this.firstInvalidLine === null ? '' : `, the first on line ${this.firstInvalidLine}`;
      note =
        `not valid UTF-8 (${invalid} invalid byte sequence${invalid === 1 ? '' : 's'}${where}): detected as ` +
        `${name} and read as such (name the encoding with --encoding to override)`;
    }
    return {
      requested: this.requested,
      used: this.used,
      invalidUtf8Sequences: invalid,
      firstInvalidUtf8Line: this.firstInvalidLine,
      note,
    };
  }

  private singleByte(bytes: Buffer): string {
    if (this.requested === 'auto') {
      // Keep counting what is not UTF-8 for the report; ASCII chunks cannot hold any.
      if (this.counter.idle && isAscii(bytes)) this.counter.skip(bytes.length);
      else this.counter.feed(bytes);
    }
    return decodeSingleByte(bytes, this.used === 'latin1' ? 'latin1' : 'windows-1252');
  }

  private noteNonAscii(bytes: Buffer): void {
    const i = firstNonAscii(bytes);
    this.sawNonAscii = true;
    this.firstNonAsciiLine = this.lineOf(bytes, i);
    this.firstNonAsciiText = showBytes(bytes, i);
  }

  private lineOf(bytes: Buffer, at: number): number | null {
    return this.linesRead ? this.linesRead() + countNewlines(bytes, at) + 1 : null;
  }

  private where(line: number | null, bytes: Buffer, at: number): string {
    const offset = this.counter.firstErrorOffset >= 0 ? this.counter.firstErrorOffset : at;
    return `${line === null ? `byte ${offset}` : `line ${line}`} ("${showBytes(bytes, at)}")`;
  }

  private notUtf8(bytes: Buffer, at: number, line: number | null): InputFormatError {
    const hex = bytes[at].toString(16).toUpperCase().padStart(2, '0');
    return new InputFormatError(
      this.path,
      `is not valid UTF-8 (read with --encoding utf-8): ${this.where(line, bytes, at)} has the byte 0x${hex}, ` +
        'which does not start or continue a UTF-8 character. If the file is Latin-1 or Windows-1252, name it ' +
        'with --encoding latin1 or --encoding windows-1252, or use --encoding auto (the default) to detect it.',
    );
  }

  private mixed(bytes: Buffer, at: number, line: number | null): InputFormatError {
    const first = this.firstNonAsciiLine === null ? 'earlier text' : `line ${this.firstNonAsciiLine}`;
    return new InputFormatError(
      this.path,
      `mixes text encodings: ${first} ("${this.firstNonAsciiText}") is valid UTF-8 with non-ASCII characters, ` +
        `but ${this.where(line, bytes, at)} is not UTF-8, so no single reading fits the whole file and names ` +
        'could be garbled or merged. Convert the file to one encoding, or name one with --encoding windows-1252 ' +
        '(or latin1): every byte is then read as one character, so the UTF-8 parts show as e.g. "Ã©" but no ' +
        'two different names merge.',
    );
  }

  private refuseUtf16(chunk: Buffer): void {
    if (this.requested === 'latin1' || this.requested === 'windows-1252' || chunk.length < 2) return;
    const le = chunk[0] === 0xff && chunk[1] === 0xfe;
    if (le || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
      throw new InputFormatError(
        this.path,
        `starts with a UTF-16 byte-order mark (${le ? 'FF FE' : 'FE FF'}): save it as UTF-8 (in Excel: ` +
          '"CSV UTF-8") and read it again.',
      );
    }
  }
}
