/**
 * Stage locks as files, for one-off CLI runs on a folder store: `<dataDir>/<tenantKey>.<stage>.lock`, next to
 * the tenant's folder, created with O_EXCL (only one process can create it) and holding who took it (pid,
 * host, start time, stage).
 *
 * A process that dies without cleaning up leaves its file behind. When the file names a pid on this host
 * that no longer runs, the lock is stale and the next run takes it over (and says so). A file from another
 * host cannot be checked, so it is refused with the command that removes it.
 *
 * The file is removed when the holder releases it, when the process exits, and on SIGINT/SIGTERM (then the
 * signal is raised again so the process still ends the way it would have).
 */
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tenantKey, type TenantId } from '../../domain/tenant';
import type { Stage } from '../queue/stages';
import { pollForLock, StageLockHeldError, type StageLock, type StageLocks } from './stage-lock';

export type LockFile = {
  id: string;
  pid: number;
  host: string;
  startedAt: string;
  tenant: TenantId;
  stage: Stage;
};

export function stageLockPath(dataDir: string, tenant: TenantId, stage: Stage): string {
  return join(dataDir, `${tenantKey(tenant)}.${stage}.lock`);
}

/** True when a process with this pid runs on this host (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLockFile(path: string): { text: string; lock: LockFile | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const lock = JSON.parse(text) as LockFile;
    return { text, lock: typeof lock.pid === 'number' && typeof lock.host === 'string' ? lock : undefined };
  } catch {
    return { text, lock: undefined };
  }
}

/** Creates the file only if absent; false when it exists. The content is written before anyone could use it. */
function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes the file only if it is still the one with `text` (a taken-over lock belongs to someone else). */
function removeIfOurs(path: string, text: string): boolean {
  if (readLockFile(path)?.text !== text) return false;
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Moves a stale lock file aside, if it is still the stale one that was read: a rename is atomic, so of two
 * runs that found the same stale file, one moves it and the other finds it gone (or someone's new lock,
 * which it puts back).
 */
function removeStale(path: string, staleText: string): void {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readLockFile(aside)?.text === staleText) {
    unlinkSync(aside);
    return;
  }
  // Another run replaced the stale file between the read and the rename: that is a live lock, put it back.
  renameSync(aside, path);
}

export type FileStageLocksOptions = {
  /** The store folder; the lock files go next to the tenants' folders in it. */
  dataDir: string;
  /** Told when a stale lock is taken over (the CLI prints it to stderr). */
  onNote?: (note: string) => void;
};

export function fileStageLocks(options: FileStageLocksOptions): StageLocks {
  const note = options.onNote ?? (() => {});

  function hold(tenant: TenantId, stage: Stage, path: string, text: string): StageLock {
    let released = false;
    const releaseNow = () => {
      if (released) return false;
      released = true;
      process.removeListener('exit', onExit);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      return removeIfOurs(path, text);
    };
    const onExit = () => void releaseNow();
    const onSignal = (signal: NodeJS.Signals) => {
      releaseNow();
      // With no other handler left, raise it again so the process ends as it would have without this one.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once('exit', onExit);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return {
      tenant,
      stage,
      // A file lock cannot be lost to a timeout; only a person removing the file takes it away.
      signal: new AbortController().signal,
      release: async () => releaseNow(),
    };
  }

  return {
    acquire(tenant, stage, acquireOptions = {}) {
      const path = stageLockPath(options.dataDir, tenant, stage);
      let lastSeen: LockFile | undefined;
      return pollForLock(
        async () => {
          mkdirSync(options.dataDir, { recursive: true });
          const mine: LockFile = {
            id: randomUUID(),
            pid: process.pid,
            host: hostname(),
            startedAt: new Date().toISOString(),
            tenant,
            stage,
          };
          const text = `${JSON.stringify(mine, null, 2)}\n`;
          if (createExclusive(path, text)) return hold(tenant, stage, path, text);
          const found = readLockFile(path);
          lastSeen = found?.lock;
          if (found?.lock && found.lock.host === hostname() && !pidAlive(found.lock.pid)) {
            removeStale(path, found.text);
            note(
              `took over the stale lock ${path}: pid ${found.lock.pid} on ${found.lock.host} took it at ${found.lock.startedAt} and no longer runs`,
            );
            if (createExclusive(path, text)) return hold(tenant, stage, path, text);
          }
          return undefined;
        },
        acquireOptions.waitMs ?? 0,
        async () =>
          new StageLockHeldError(
            tenant,
            stage,
            lastSeen
              ? { owner: `pid ${lastSeen.pid} on ${lastSeen.host}`, since: lastSeen.startedAt }
              : undefined,
            `wait for it to finish; if that process is gone (crashed, or on a machine that was shut down), remove ${path} and run again`,
          ),
      );
    },
  };
}
