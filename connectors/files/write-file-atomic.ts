/**
 * Atomic file replacement: a reader never sees a half-written file, and a crash leaves the old one whole.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/** The file operations an atomic replace uses; injectable so tests can watch the rename. */
export type FileOps = {
  writeFile(path: string, content: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
};

export const nodeFileOps: FileOps = {
  // Records, scores and tokens are customer data: readable by the owner only.
  writeFile: (path, content) => writeFile(path, content, { encoding: 'utf8', mode: 0o600 }),
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true }),
};

/** Writes `content` to `path` atomically: temp file in the same directory, then rename. */
export async function writeFileAtomic(
  path: string,
  content: string,
  ops: FileOps = nodeFileOps,
): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await ops.writeFile(temp, content);
    await ops.rename(temp, path);
  } catch (error) {
    await ops.remove(temp);
    throw error;
  }
}
