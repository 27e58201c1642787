/**
 * What the fault tests share: a seeded HubSpot sandbox whose write journal goes to a file (the independent
 * record of every value that reached the CRM), CLI processes to start and kill, and the two checks every
 * fault test ends with: each scored contact holds the values its Score gives, and no contact property
 * received the same value twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedProperties, heldAsWritten } from '../../connectors/hubspot/changed-values';
import { CLV_PROPERTY_NAMES } from '../../connectors/hubspot/property-contract';
import {
  createFileJournal,
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type HubSpotSandbox,
  type JournalEntry,
  type SandboxFaults,
} from '../../connectors/hubspot/sandbox';

import { runContractValues } from '../../domain/property-contract';
import type { Score, ScoreRun } from '../../domain/score';
import { REPO_ROOT, runCliAsync, tempDir } from '../helpers/run-cli';

export const TOKEN = 'sandbox-token';
const CLI = join(REPO_ROOT, 'dist/cli/main.js');

/** The last day of data to score: the day before the seeded history ends. */
export const OBSERVATION_END = new Date(Date.parse(DEFAULT_OBSERVATION_END) - 86_400_000)
  .toISOString()
  .slice(0, 10);

export type FaultPortal = {
  sandbox: HubSpotSandbox;
  url: string;
  portalId: string;
  tenant: string;
  journalFile: string;
  ratesFile: string;
  close(): Promise<void>;
};

/** 1,000 seeded contacts make about 470 buyers: five write-back batches, four in flight at once. */
export async function startPortal(portalId: string, contacts = 1000): Promise<FaultPortal> {
  const dir = tempDir(`faults-${portalId}`);
  const journalFile = join(dir, 'journal.ndjson');
  const journal = createFileJournal(journalFile);
  const sandbox = createHubSpotSandbox({ token: TOKEN, portalId, seed: 9, contacts, journal: journal.write });
  const running = await sandbox.listen(0);
  const ratesFile = join(dir, 'rates.json');
  writeFileSync(ratesFile, JSON.stringify({ EUR: 1.08, GBP: 1.27 }));
  return {
    sandbox,
    url: running.url,
    portalId,
    tenant: `hubspot-${portalId}`,
    journalFile,
    ratesFile,
    close: async () => {
      await running.close();
      journal.close();
    },
  };
}

/**
 * Switches faults on once the clv properties exist, so they hit the write-back batches rather than the property
 * calls before them. With `latencyMs`, batches stay in flight long enough for a stop to fall between HubSpot
 * accepting one and the writer recording it. Resolves when the faults are on.
 */
export async function faultsOnceFieldsExist(
  portal: FaultPortal,
  faults: Partial<Pick<SandboxFaults, 'latencyMs' | 'rateLimitStorm' | 'serverErrorRate'>>,
): Promise<void> {
  const defined = portal.sandbox.store.properties.contacts;
  await waitFor('the clv properties', () => CLV_PROPERTY_NAMES.every((name) => defined.has(name)));
  Object.assign(portal.sandbox.faults, faults);
}

/** Contact writes in the journal file, in the order the sandbox accepted them. */
export function contactWrites(portal: FaultPortal): JournalEntry[] {
  let text: string;
  try {
    text = readFileSync(portal.journalFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JournalEntry)
    .filter((entry) => entry.objectType === 'contacts');
}

/** `contact.property = value` for every value the journal shows written more than once. */
export function repeatedWrites(entries: readonly JournalEntry[]): string[] {
  const seen = new Map<string, number>();
  for (const entry of entries)
    for (const [name, value] of Object.entries(entry.properties)) {
      const key = `${entry.objectId}.${name} = ${JSON.stringify(value)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  return [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} (${n}×)`);
}

/**
 * Every value a first write-back of these Scores must leave, checked against the journal's last write of
 * each property and against what the sandbox holds now; returns the differences (none when all hold).
 */
export function missingValues(
  portal: FaultPortal,
  scored: { run: ScoreRun; scores: readonly Score[] },
  entries: readonly JournalEntry[],
): string[] {
  const last = new Map<string, string>();
  for (const entry of entries)
    for (const [name, value] of Object.entries(entry.properties))
      last.set(`${entry.objectId}.${name}`, value);
  const problems: string[] = [];
  const { values } = runContractValues(scored.run, scored.scores);
  for (const [id, wanted] of values) {
    const held = portal.sandbox.store.objects.contacts.byId.get(id)?.properties ?? {};
    for (const [name, value] of Object.entries(changedProperties(wanted, undefined))) {
      const journaled = last.get(`${id}.${name}`);
      if (journaled === undefined || heldAsWritten(name, journaled) !== value)
        problems.push(`${id}.${name}: journal has ${JSON.stringify(journaled)}, Score gives ${value}`);
      if (heldAsWritten(name, held[name]) !== value)
        problems.push(`${id}.${name}: sandbox holds ${JSON.stringify(held[name])}, Score gives ${value}`);
    }
  }
  return problems;
}

export type CliProcess = {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Starts the built CLI without waiting for it: a process the test may signal at any moment. */
export function startCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Polls `ready` every 10 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Ends a process that may still run, and waits for it. */
export async function stop(proc: CliProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (proc === undefined) return;
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
  await proc.exited;
}

/** Registers the portal as a tenant through the CLI, as an operator would. */
export async function registerTenant(p: FaultPortal, env: Record<string, string>): Promise<void> {
  const added = await runCliAsync(
    ['tenant', 'add', '--crm', 'hubspot', '--portal-id', p.portalId, '--base-url', p.url, '--token', TOKEN],
    env,
  );
  expect({ status: added.status, stderr: added.stderr }).toEqual({ status: 0, stderr: '' });
}

/** `crm-clv run` of the portal's tenant (full sync), JSON status; with `wait`, followed for up to 60 s. */
export function runPipeline(
  p: FaultPortal,
  env: Record<string, string>,
  runId: string,
  stages: string,
  wait = true,
): ReturnType<typeof runCliAsync> {
  return runCliAsync(
    [
      'run',
      '--tenant',
      p.tenant,
      '--stages',
      stages,
      '--mode',
      'full',
      '--observation-end',
      OBSERVATION_END,
      '--currency',
      'USD',
      '--rates',
      p.ratesFile,
      '--run-id',
      runId,
      '--json',
      ...(wait ? ['--wait', '--timeout-seconds', '60'] : []),
    ],
    env,
  );
}
