/**
 * The CLI's lock file on real files; release on exit and on signals in real child processes (a signal can
 * only be shown on a process of its own), which load the built module as the CLI does.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileStageLocks, stageLockPath, type LockFile } from '../../worker/locks/file-stage-locks';
import { StageLockHeldError } from '../../worker/locks/stage-lock';
import { REPO_ROOT, tempDir } from '../helpers/run-cli';

const BUILT = join(REPO_ROOT, 'dist/worker/locks/file-stage-locks.js');

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

function lockFile(fields: Partial<LockFile>): LockFile {
  return {
    id: 'someone',
    pid: process.pid,
    host: hostname(),
    startedAt: '2026-01-02T03:04:05.000Z',
    tenant: 'hubspot-1',
    stage: 'writeback',
    ...fields,
  };
}

describe('fileStageLocks', () => {
  it('creates the lock file next to the store with pid, host, start time and stage, and removes it on release', async () => {
    const dir = tempDir('lock');
    const lock = await fileStageLocks({ dataDir: dir }).acquire('hubspot-1', 'writeback');
    const path = stageLockPath(dir, 'hubspot-1', 'writeback');
    expect(path).toBe(join(dir, 'hubspot-1.writeback.lock'));
    const content = JSON.parse(readFileSync(path, 'utf8')) as LockFile;
    expect(content).toMatchObject({ pid: process.pid, host: hostname(), stage: 'writeback' });
    expect(Date.parse(content.startedAt)).toBeGreaterThan(Date.now() - 10_000);
    expect(await lock.release()).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a second holder, saying who holds it since when and how to remove it if stale', async () => {
    const dir = tempDir('lock');
    const path = stageLockPath(dir, 'hubspot-1', 'writeback');
    writeFileSync(path, JSON.stringify(lockFile({ pid: process.pid })));
    const second = fileStageLocks({ dataDir: dir }).acquire('hubspot-1', 'writeback');
    await expect(second).rejects.toBeInstanceOf(StageLockHeldError);
    const message = ((await second.catch((e: unknown) => e)) as Error).message;
    expect(message).toContain(
      `writeback of hubspot-1 is already running (pid ${process.pid} on ${hostname()} since 2026-01-02T03:04:05.000Z)`,
    );
    expect(message).toContain(`remove ${path} and run again`);
    // The holder's file is left alone.
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ id: 'someone' });
  });

  it('does not block other tenants or stages', async () => {
    const dir = tempDir('lock');
    const locks = fileStageLocks({ dataDir: dir });
    const all = [
      await locks.acquire('hubspot-1', 'writeback'),
      await locks.acquire('hubspot-2', 'writeback'),
      await locks.acquire('hubspot-1', 'sync'),
    ];
    await Promise.all(all.map((l) => l.release()));
  });

  it('lets a waiting acquire in after the holder releases', async () => {
    const dir = tempDir('lock');
    const locks = fileStageLocks({ dataDir: dir });
    const first = await locks.acquire('hubspot-1', 'sync');
    setTimeout(() => void first.release(), 100);
    const second = await locks.acquire('hubspot-1', 'sync', { waitMs: 5_000 });
    expect(JSON.parse(readFileSync(stageLockPath(dir, 'hubspot-1', 'sync'), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    await second.release();
  });

  it('takes over a stale lock (its pid no longer runs on this host) with a note', async () => {
    const dir = tempDir('lock');
    const path = stageLockPath(dir, 'hubspot-1', 'sync');
    const dead = deadPid();
    writeFileSync(path, JSON.stringify(lockFile({ pid: dead, stage: 'sync' })));
    const notes: string[] = [];
    const lock = await fileStageLocks({ dataDir: dir, onNote: (n) => notes.push(n) }).acquire(
      'hubspot-1',
      'sync',
    );
    expect(notes).toEqual([expect.stringContaining(`took over the stale lock ${path}: pid ${dead}`)]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
    // Nothing is left beside it.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a lock from another host, which it cannot check, rather than take it over', async () => {
    const dir = tempDir('lock');
    writeFileSync(
      stageLockPath(dir, 'hubspot-1', 'sync'),
      JSON.stringify(lockFile({ pid: deadPid(), host: 'elsewhere', stage: 'sync' })),
    );
    await expect(fileStageLocks({ dataDir: dir }).acquire('hubspot-1', 'sync')).rejects.toThrow(
      /on elsewhere since .*remove .* and run again/,
    );
  });

  it('leaves a lock another run took over alone when the first holder releases', async () => {
    const dir = tempDir('lock');
    const path = stageLockPath(dir, 'hubspot-1', 'sync');
    const lock = await fileStageLocks({ dataDir: dir }).acquire('hubspot-1', 'sync');
    writeFileSync(path, JSON.stringify(lockFile({ id: 'next holder', stage: 'sync' })));
    expect(await lock.release()).toBe(false);
    expect(readFileSync(path, 'utf8')).toContain('next holder');
  });
});

describe('the lock file of a process that ends', () => {
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first`);
  });

  /** A child that takes the lock, says "held" and then does what `then` says. */
  function holder(dir: string, then: string): { child: ChildProcess; held: Promise<void> } {
    const script = `
      const { fileStageLocks } = require(${JSON.stringify(BUILT)});
      fileStageLocks({ dataDir: ${JSON.stringify(dir)} }).acquire('hubspot-1', 'writeback').then(() => {
        process.stdout.write('held\\n');
        ${then}
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const held = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
      child.once('exit', () => reject(new Error('the child ended before it held the lock')));
    });
    return { child, held };
  }

  const ended = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'is removed on %s, and the process still ends by it',
    async (signal) => {
      const dir = tempDir('lock-signal');
      const path = stageLockPath(dir, 'hubspot-1', 'writeback');
      const { child, held } = holder(dir, 'setInterval(() => {}, 1000);');
      await held;
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: child.pid });
      const end = ended(child);
      child.kill(signal);
      expect(await end).toEqual({ code: null, signal });
      expect(existsSync(path)).toBe(false);
    },
  );

  it('is removed when the process exits without releasing it (an uncaught error)', async () => {
    const dir = tempDir('lock-exit');
    const { child, held } = holder(dir, "setTimeout(() => { throw new Error('boom'); }, 50);");
    const end = ended(child);
    await held;
    expect((await end).code).not.toBe(0);
    expect(existsSync(stageLockPath(dir, 'hubspot-1', 'writeback'))).toBe(false);
  });

  it('of a process killed outright (SIGKILL) is stale, and the next run takes it over', async () => {
    const dir = tempDir('lock-kill');
    const { child, held } = holder(dir, 'setInterval(() => {}, 1000);');
    await held;
    const end = ended(child);
    child.kill('SIGKILL');
    await end;
    const notes: string[] = [];
    const lock = await fileStageLocks({ dataDir: dir, onNote: (n) => notes.push(n) }).acquire(
      'hubspot-1',
      'writeback',
    );
    expect(notes.join('\n')).toContain(`pid ${child.pid}`);
    await lock.release();
  });
});
