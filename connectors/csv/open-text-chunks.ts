/**
 * Streams a file as decoded text chunks, gunzipping when the file starts with the gzip magic bytes (1f 8b)
 * whatever its name, in the encoding of options.encoding (UTF-8, or Windows-1252 when the file is not UTF-8,
 * by default: chunk-decoder.ts). Memory stays at a couple of chunks, so file size does not matter.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ChunkDecoder } from './chunk-decoder';
import { InputFormatError } from './errors';
import type { ReadOptions } from './read-options';

const CHUNK_BYTES = 64 * 1024;

export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await fs.open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * @param linesRead physical lines the caller has split from the chunks so far, so that encoding errors can
 *   name a line (the caller consumes each chunk before the next is decoded).
 */
export async function* openTextChunks(
  path: string,
  options: ReadOptions = {},
  linesRead?: () => number,
): AsyncGenerator<string> {
  const totalBytes = (await fs.stat(path)).size;
  const gzip = await isGzipFile(path);
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let source: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: 1 << 18 });
    // Forward read errors into the gunzip stream so the iteration below sees them.
    raw.on('error', (e) => gunzip.destroy(e));
    source = raw.pipe(gunzip);
  }
  const decoder = new ChunkDecoder(path, options.encoding, linesRead);
  let reported = -1;
  try {
    for await (const chunk of source) {
      if (options.onProgress && raw.bytesRead !== reported) {
        reported = raw.bytesRead;
        options.onProgress(reported, totalBytes);
      }
      const text = decoder.write(chunk as Buffer);
      if (text.length > 0) yield text;
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (gzip && typeof code === 'string' && code.startsWith('Z_')) {
      throw new InputFormatError(path, `starts like a gzip file but does not decompress (${String(code)}).`);
    }
    throw error;
  } finally {
    raw.destroy();
    if (source !== raw) source.destroy();
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
  options.onEncoding?.(decoder.report());
}
