/**
 * Writes a set of files (a run's exports) so that the directory never shows a half-written file under a final
 * name, nor an old file beside new ones: every file is written in full into a staging directory inside the
 * target (same file system, so a rename is atomic), then the old set is removed and the new files are renamed
 * into place. A crash during the swap leaves part of the new set and no old file; a crash while staging
 * leaves the old set untouched plus the hidden staging directory (`.<prefix>XXXXXX`).
 *
 * Example:
 *   const set = await stageFileSet(out, '.score-staging-');
 *   try {
 *     await writeFile(set.path('report.json'), json);
 *     await set.commit(['report.json', 'report.html']); // report.html of an earlier run goes too
 *   } catch (error) {
 *     await set.discard();
 *     throw error;
 *   }
 */
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeFileOps, type FileOps } from './write-file-atomic';

export type StagedFileSet = {
  /** Where to write `name` until commit. */
  path(name: string): string;
  /**
   * Removes every name in `replaces` (an earlier run's files, whether this set has them or not), then moves the
   * staged files into place and removes the staging directory.
   */
  commit(replaces: readonly string[]): Promise<void>;
  /** Removes the staging directory and what was written into it; the directory itself is untouched. */
  discard(): Promise<void>;
};

export async function stageFileSet(
  dir: string,
  prefix: string,
  ops: Pick<FileOps, 'rename' | 'remove'> = nodeFileOps,
): Promise<StagedFileSet> {
  const staging = await mkdtemp(join(dir, prefix));
  const staged = new Set<string>();
  const discard = () => rm(staging, { recursive: true, force: true });
  return {
    path(name) {
      staged.add(name);
      return join(staging, name);
    },
    async commit(replaces) {
      for (const name of new Set([...replaces, ...staged])) await ops.remove(join(dir, name));
      for (const name of staged) await ops.rename(join(staging, name), join(dir, name));
      await discard();
    },
    discard,
  };
}

/**
 * Removes those of `names` that exist in `dir`, each one even when another cannot be removed; returns the ones
 * removed, and throws after trying them all when any could not be.
 */
export async function removeFiles(
  dir: string,
  names: readonly string[],
  ops: Pick<FileOps, 'remove'> = nodeFileOps,
): Promise<string[]> {
  const removed: string[] = [];
  const failed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (!(await exists(path))) continue;
      await ops.remove(path);
      removed.push(name);
    } catch (error) {
      failed.push(`${name} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (failed.length > 0) {
    const done = removed.length > 0 ? `; removed ${removed.join(', ')}` : '';
    throw new Error(`cannot remove ${failed.join(', ')} from ${dir}${done}`);
  }
  return removed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
