export type ReadOptions = {
  /** Called after each chunk read from disk: bytes of the file on disk read so far (compressed if gzip). */
  onProgress?(bytesRead: number, totalBytes: number): void;
};
