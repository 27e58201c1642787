import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ChunkDecoder } from '../../../connectors/csv/chunk-decoder';
import { InputFormatError } from '../../../connectors/csv/errors';
import { readTransactions } from '../../../connectors/csv/read-transactions';
import type { ReadOptions } from '../../../connectors/csv/read-options';
import {
  Utf8ErrorCounter,
  decodeSingleByte,
  type EncodingReport,
} from '../../../connectors/csv/text-encoding';
import type { RawTransaction } from '../../../domain/raw-transaction';
import { createSeededRandom } from '../../helpers/random';

const dir = mkdtempSync(path.join(tmpdir(), 'crm-clv-encoding-'));

function file(name: string, content: Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** The same text as Latin-1 bytes: é is the single byte E9, not UTF-8's C3 A9. */
function latin1(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

const CUSTOMERS_CSV =
  'customer_id,order_id,date,amount\n' +
  'André,o1,2024-01-05,20\n' +
  'Andrè,o2,2024-01-06,30\n' +
  'bob,o3,2024-01-07,15\n';

async function readAll(
  p: string,
  options: ReadOptions = {},
): Promise<{ rows: RawTransaction[]; report?: EncodingReport }> {
  const rows: RawTransaction[] = [];
  let report: EncodingReport | undefined;
  for await (const row of readTransactions(p, 'generic', { ...options, onEncoding: (r) => (report = r) }))
    rows.push(row);
  return { rows, report };
}

async function readError(p: string, options: ReadOptions = {}): Promise<InputFormatError> {
  try {
    await readAll(p, options);
  } catch (e) {
    if (e instanceof InputFormatError) return e;
    throw e;
  }
  throw new Error('expected an InputFormatError');
}

/** Decodes `bytes` fed in the given chunk lengths; the report comes with it. */
function decodeInChunks(bytes: Buffer, cuts: number[], requested: 'auto' | 'utf-8' = 'auto') {
  const decoder = new ChunkDecoder('test.csv', requested);
  let text = '';
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    text += decoder.write(bytes.subarray(at, cut));
    at = cut;
  }
  text += decoder.end();
  return { text, report: decoder.report() };
}

describe('reading a file that is not UTF-8 (--encoding auto)', () => {
  it('keeps "André" and "Andrè" of a Latin-1 file apart and says the encoding was detected', async () => {
    const { rows, report } = await readAll(file('latin1.csv', latin1(CUSTOMERS_CSV)));
    expect(rows.map((r) => r.customerId)).toEqual(['André', 'Andrè', 'bob']);
    expect(report).toEqual({
      requested: 'auto',
      used: 'windows-1252',
      invalidUtf8Sequences: 2,
      firstInvalidUtf8Line: 2,
      note: expect.stringMatching(/not valid UTF-8 .*first on line 2.*Windows-1252/),
    });
  });

  it('reads a gzipped Latin-1 file the same way', async () => {
    const { rows, report } = await readAll(file('latin1.csv.gz', gzipSync(latin1(CUSTOMERS_CSV))));
    expect(rows.map((r) => r.customerId)).toEqual(['André', 'Andrè', 'bob']);
    expect(report?.used).toBe('windows-1252');
  });

  it('reads UTF-8 as UTF-8 and says so', async () => {
    const { rows, report } = await readAll(file('utf8.csv', Buffer.from(CUSTOMERS_CSV, 'utf8')));
    expect(rows.map((r) => r.customerId)).toEqual(['André', 'Andrè', 'bob']);
    expect(report).toMatchObject({ used: 'utf-8', invalidUtf8Sequences: 0, firstInvalidUtf8Line: null });
  });

  it('refuses a file that mixes UTF-8 and Latin-1, naming both lines and the option', async () => {
    const mixed = Buffer.concat([
      Buffer.from('customer_id,order_id,date,amount\nAndré,o1,2024-01-05,20\n', 'utf8'),
      latin1('Andrè,o2,2024-01-06,30\n'),
    ]);
    const e = await readError(file('mixed.csv', mixed));
    expect(e.message).toMatch(/mixes text encodings: line 2 .* but line 3 .*--encoding windows-1252/);
  });

  it('refuses a UTF-16 file instead of reading it as garbage', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CUSTOMERS_CSV, 'utf16le')]);
    expect((await readError(file('utf16.csv', utf16))).message).toMatch(/UTF-16 byte-order mark/);
  });
});

describe('naming the encoding (--encoding)', () => {
  it('utf-8 refuses a Latin-1 file with a message naming the line and the option', async () => {
    const e = await readError(file('latin1-strict.csv', latin1(CUSTOMERS_CSV)), { encoding: 'utf-8' });
    expect(e.message).toMatch(/latin1-strict\.csv: is not valid UTF-8/);
    expect(e.message).toMatch(/line 2 \("Andr\\xE9,o1/);
    expect(e.message).toMatch(/--encoding latin1 or --encoding windows-1252/);
  });

  it('latin1 and windows-1252 read the file as named, without checking it', async () => {
    for (const encoding of ['latin1', 'windows-1252'] as const) {
      const { rows, report } = await readAll(file(`${encoding}.csv`, latin1(CUSTOMERS_CSV)), { encoding });
      expect(rows.map((r) => r.customerId)).toEqual(['André', 'Andrè', 'bob']);
      expect(report).toMatchObject({ requested: encoding, used: encoding, invalidUtf8Sequences: null });
    }
  });
});

describe('Windows-1252 and Latin-1 decoding', () => {
  // WHATWG Encoding Standard, index-windows-1252 (pointer = byte − 0x80).
  const WINDOWS_1252: [number, number][] = [
    [0x80, 0x20ac],
    [0x81, 0x0081],
    [0x82, 0x201a],
    [0x8a, 0x0160],
    [0x8c, 0x0152],
    [0x8d, 0x008d],
    [0x92, 0x2019],
    [0x93, 0x201c],
    [0x96, 0x2013],
    [0x99, 0x2122],
    [0x9f, 0x0178],
    [0xa3, 0x00a3],
    [0xe9, 0x00e9],
    [0xff, 0x00ff],
  ];

  it('maps 0x80–0x9F to the Windows-1252 characters (not the C1 controls Node 20’s TextDecoder gives)', () => {
    for (const [byte, code] of WINDOWS_1252) {
      expect(decodeSingleByte(Buffer.from([byte]), 'windows-1252').codePointAt(0)).toBe(code);
    }
  });

  it('reads Latin-1 as ISO-8859-1: every byte is the code point of the same number', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const text = decodeSingleByte(all, 'latin1');
    expect(Array.from(text, (c) => c.codePointAt(0))).toEqual(Array.from(all));
  });

  it('never decodes two different bytes to the same character', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(new Set(decodeSingleByte(all, 'windows-1252')).size).toBe(256);
  });
});

describe('counting invalid UTF-8 sequences', () => {
  /** Bytes mixing ASCII, valid UTF-8 characters and arbitrary high bytes. */
  function randomBytes(random: () => number, n: number): Buffer {
    const parts: Buffer[] = [];
    while (parts.length < n) {
      const r = random();
      if (r < 0.5) parts.push(Buffer.from([32 + Math.floor(random() * 95)]));
      else if (r < 0.75) parts.push(Buffer.from(['é', '€', '𝄞', 'Ω'][Math.floor(random() * 4)], 'utf8'));
      else parts.push(Buffer.from([0x80 + Math.floor(random() * 128)]));
    }
    return Buffer.concat(parts);
  }

  it('counts one per replacement character of a WHATWG UTF-8 decoder, however the bytes are chunked', () => {
    const seeded = createSeededRandom(20240601);
    const random = () => seeded.uniform();
    for (let trial = 0; trial < 300; trial++) {
      const bytes = randomBytes(random, 5 + Math.floor(random() * 40));
      const expected = [...new TextDecoder('utf-8').decode(bytes)].filter((c) => c === '\ufffd').length;
      const counter = new Utf8ErrorCounter();
      let at = 0;
      while (at < bytes.length) {
        const end = Math.min(bytes.length, at + 1 + Math.floor(random() * 5));
        counter.feed(bytes.subarray(at, end));
        at = end;
      }
      counter.end();
      expect(counter.errors).toBe(expected);
    }
  });

  it('counts the edge cases as a WHATWG decoder does: overlong forms, surrogates, beyond U+10FFFF, cut short', () => {
    const cases = [
      [0xe0, 0x80, 0x80], // overlong 3-byte
      [0xe0, 0x9f, 0xbf],
      [0xc0, 0xaf], // overlong '/'
      [0xed, 0xa0, 0x80], // a UTF-16 surrogate
      [0xf0, 0x80, 0x80, 0x80], // overlong 4-byte
      [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
      [0xf5, 0x80],
      [0x80, 0xbf, 0x41], // continuation bytes alone
      [0xe2, 0x82], // cut short at the end
      [0xf0, 0x9d, 0x84, 0x41],
      [0xe2, 0x82, 0xac, 0xed, 0x9f, 0xbf], // valid: € and U+D7FF
    ];
    for (const bytes of cases) {
      const expected = [...new TextDecoder('utf-8').decode(Uint8Array.from(bytes))].filter(
        (c) => c === '\ufffd',
      ).length;
      const counter = new Utf8ErrorCounter();
      counter.feed(Uint8Array.from(bytes));
      counter.end();
      expect([bytes, counter.errors]).toEqual([bytes, expected]);
    }
  });

  it('decodes valid UTF-8 the same whatever the chunk boundaries, characters cut in two included', () => {
    const bytes = Buffer.from('id,name\n1,Zoë 𝄞 €5\n2,Ørsted\n', 'utf8');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { text, report } = decodeInChunks(bytes, [cut]);
      expect(text).toBe(bytes.toString('utf8'));
      expect(report.used).toBe('utf-8');
    }
  });

  it('detects Latin-1 the same whatever the chunk boundaries, a last byte without a line end included', () => {
    const bytes = latin1('id,name\n1,Andr\xe9\n2,Andr\xe8');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { text, report } = decodeInChunks(bytes, [cut]);
      expect(text).toBe('id,name\n1,André\n2,Andrè');
      expect(report).toMatchObject({ used: 'windows-1252', invalidUtf8Sequences: 2 });
    }
  });
});
