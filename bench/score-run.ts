/**
 * Bench stage (f): the whole `crm-clv score` path on the generated file, as a child process. Peak RSS comes
 * from GNU time (`/usr/bin/time -v`, ru_maxrss of the child) when installed, otherwise from polling the
 * child's VmHWM in /proc (the kernel's own high-water mark; polling only risks missing the last moments).
 */

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StageFailedError } from './stage-protocol';

export type ScoreRunResult = {
  command: string;
  wallTime: number;
  /** MiB; null when neither GNU time nor /proc was available. */
  peakRss: number | null;
  /** User + system CPU milliseconds of the CLI (GNU time only; null otherwise). */
  cpuTime: number | null;
  rssSource: 'GNU time' | '/proc VmHWM' | 'unavailable';
  /** Stage timings (seconds) and customer count from the run's report.json. */
  timings: Record<string, number>;
  customers: number;
};

const GNU_TIME = '/usr/bin/time';

export async function runScore(
  cliPath: string,
  file: string,
  observationEnd: string,
  outDir: string,
  extraArgs: string[] = [],
): Promise<ScoreRunResult> {
  if (!existsSync(cliPath)) {
    throw new StageFailedError('score', `${cliPath} is not built; run \`npm run bench\` (it builds first).`);
  }
  await rm(outDir, { recursive: true, force: true });
  const cliArgs = [
    cliPath,
    'score',
    '--transactions',
    file,
    '--format',
    'generic',
    '--observation-end',
    observationEnd,
    '--period',
    'week',
    '--out',
    outDir,
    ...extraArgs,
  ];
  const command = ['node', ...cliArgs.map((a) => path.relative(process.cwd(), a) || a)].join(' ');
  const useTime = existsSync(GNU_TIME);
  const timeFile = path.join(tmpdir(), `crm-clv-bench-time-${process.pid}.txt`);
  const [exe, args] = useTime
    ? [GNU_TIME, ['-v', '-o', timeFile, process.execPath, ...cliArgs]]
    : [process.execPath, cliArgs];

  const start = performance.now();
  const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let vmHwm = 0;
  const poll = useTime
    ? null
    : setInterval(() => {
        vmHwm = Math.max(vmHwm, readVmHwmKiB(child.pid));
      }, 25);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  const wallTime = performance.now() - start;
  if (poll) clearInterval(poll);

  let peakRss: number | null = null;
  let cpuTime: number | null = null;
  let rssSource: ScoreRunResult['rssSource'] = 'unavailable';
  if (useTime) {
    const report = await readFile(timeFile, 'utf8').catch(() => '');
    await rm(timeFile, { force: true });
    const kib = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
    if (kib) {
      peakRss = Number(kib[1]) / 1024;
      rssSource = 'GNU time';
    }
    const user = /User time \(seconds\): ([\d.]+)/.exec(report);
    const system = /System time \(seconds\): ([\d.]+)/.exec(report);
    if (user && system) cpuTime = (Number(user[1]) + Number(system[1])) * 1000;
  } else if (vmHwm > 0) {
    peakRss = vmHwm / 1024;
    rssSource = '/proc VmHWM';
  }
  if (code !== 0) {
    const tail = output.trim().split('\n').slice(-8).join('\n');
    const hint = /unknown command 'score'/.test(output)
      ? '\n  → the CLI has no `score` command yet; this stage runs once it lands.'
      : '';
    throw new StageFailedError('score', `\`${command}\` exited with ${code}:\n${tail}${hint}`);
  }
  const report = JSON.parse(await readFile(path.join(outDir, 'report.json'), 'utf8')) as {
    timings?: Record<string, number>;
    customers?: { scored: number };
  };
  return {
    command,
    wallTime,
    peakRss,
    cpuTime,
    rssSource,
    timings: report.timings ?? {},
    customers: report.customers?.scored ?? 0,
  };
}

/** Peak RSS so far of a live process, KiB (0 when unreadable). */
function readVmHwmKiB(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8'); // a tiny procfs read

    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
