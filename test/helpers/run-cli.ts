import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
const CLI = join(REPO_ROOT, 'dist/cli/main.js');

export type CliRun = { status: number | null; stdout: string; stderr: string };

/** Runs the built CLI as a user would (`npm test` builds first). */
export function runCli(args: string[]): CliRun {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it for you)`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the built CLI without blocking the test's event loop, for commands that talk to a server the test
 * itself runs (the HubSpot sandbox).
 */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/**
 * `crm-clv <args> --tenant <tenant> --data-dir <dataDir>`: a command on one tenant of a file store, the call
 * the CLI tests make again and again (run without blocking the test's event loop).
 */
export function runOnStore(tenant: string, dataDir: string, args: readonly string[]): Promise<CliRun> {
  return runCliAsync([...args, '--tenant', tenant, '--data-dir', dataDir]);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `crm-clv-${prefix}-`));
}
