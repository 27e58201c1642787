import type { EncodingReport, TextEncodingChoice } from './text-encoding';

export type ReadOptions = {
  /** Called after each chunk read from disk: bytes of the file on disk read so far (compressed if gzip). */
  onProgress?(bytesRead: number, totalBytes: number): void;
  /** The file's text encoding; 'auto' (default): UTF-8, or Windows-1252 when it is not UTF-8 (chunk-decoder). */
  encoding?: TextEncodingChoice;
  /** Called once the whole file is read: how it was decoded (for the quality report). */
  onEncoding?(report: EncodingReport): void;
};
