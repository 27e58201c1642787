/**
 * Bench stage hubspot-read: a full syncHubSpot of the seeded sandbox (N contacts with their deals, line items,
 * products, tickets, owners and pipelines) into a temporary FileRecordStore, through the real client and our
 * limiter at the OAuth limit (110 per 10 s). Requests are counted by route family at the sandbox. No target:
 * figures only, with the floor the rate limit sets (calls ÷ 11 per second).
 *
 * Args: <contacts> <seed> <perTenSeconds> <in-process|child> [client limit] [client window ms]
 * (the optional pair resizes the connection's general limiter, as in hubspot-writeback)
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { syncHubSpot, type SyncedType } from '../../connectors/hubspot/sync';
import { storeSink } from '../../worker/state/store-sink';
import { FileRecordStore } from '../../worker/state';
import type { RequestCounts } from '../hubspot-bench-kit';
import { hostSandbox, type SandboxMode } from '../hubspot-sandbox-host';
import { peakRssMiB, runAsStage } from '../stage-protocol';

const TOKEN = 'bench-token';
const PORTAL = '1000';

export type ReadStageResult = {
  contacts: number;
  seed: number;
  perTenSeconds: number;
  sandboxMode: SandboxMode;
  clientLimit: number;
  clientWindowMs: number;
  seedMs: number;
  /** Wall milliseconds of syncHubSpot. */
  ms: number;
  /** Objects in the sandbox per type, for comparison with `read`. */
  seeded: Record<string, number>;
  read: Record<SyncedType, number>;
  written: Record<SyncedType, number>;
  skipped: Record<SyncedType, number>;
  /** Deals by stage outcome (won, refunded, lost, open, unknownStage, as the sync counts them). */
  deals: Record<string, number>;
  warnings: number;
  apiCalls: number;
  rateLimitWaits: number;
  sandbox: RequestCounts;
  /** Bytes of the store's files. */
  storeBytes: number;
  /** Seconds of the sync spent per phase (first progress event of a phase to the next phase). */
  phases: { phase: string; ms: number }[];
  peakRss: { stage: number; sandbox: number };
};

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? await directoryBytes(p) : (await stat(p)).size;
  }
  return total;
}

export async function runReadStage(
  contacts: number,
  seed: number,
  perTenSeconds: number,
  mode: SandboxMode,
  clientLimit = perTenSeconds,
  clientWindowMs = 10_000,
): Promise<ReadStageResult> {
  const host = await hostSandbox({ token: TOKEN, portalId: PORTAL, seed, contacts, perTenSeconds }, mode);
  const dir = await mkdtemp(path.join(tmpdir(), 'crm-clv-bench-read-'));
  try {
    const connection = createHubSpotConnection({
      accessToken: TOKEN,
      baseUrl: host.url,
      account: { auth: 'oauth' },
    });
    if (clientLimit !== 110 || clientWindowMs !== 10_000)
      connection.limiters.general.resize({ limit: clientLimit, windowMs: clientWindowMs });
    const store = new FileRecordStore(dir);
    const phases: { phase: string; ms: number }[] = [];
    let current: { phase: string; at: number } | undefined;
    const started = performance.now();
    const summary = await syncHubSpot({
      connection,
      sink: storeSink(store, PORTAL),
      tenant: PORTAL,
      mode: 'full',
      onProgress: ({ phase }) => {
        if (current?.phase === phase) return;
        const now = performance.now();
        if (current) phases.push({ phase: current.phase, ms: now - current.at });
        current = { phase, at: now };
      },
    });
    const ms = performance.now() - started;
    if (current) phases.push({ phase: current.phase, ms: performance.now() - current.at });
    const snapshot = await host.snapshot();
    const skipped = Object.fromEntries(
      Object.entries(summary.skipped).map(([k, v]) => [k, v.length]),
    ) as Record<SyncedType, number>;
    const seeded = await host.objectCounts();
    return {
      contacts,
      seed,
      perTenSeconds,
      sandboxMode: mode,
      clientLimit,
      clientWindowMs,
      seedMs: host.seedMs,
      ms,
      seeded,
      read: summary.read,
      written: summary.written,
      skipped,
      deals: summary.deals,
      warnings: summary.warnings.length,
      apiCalls: summary.apiCalls,
      rateLimitWaits: summary.rateLimitWaits,
      sandbox: snapshot.counts,
      storeBytes: await directoryBytes(dir),
      phases: mergePhases(phases),
      peakRss: { stage: peakRssMiB(), sandbox: await host.peakRssMiB() },
    };
  } finally {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Sums time per phase name (phases interleave: 'store' follows each write). */
function mergePhases(phases: { phase: string; ms: number }[]): { phase: string; ms: number }[] {
  const byName = new Map<string, number>();
  for (const p of phases) byName.set(p.phase, (byName.get(p.phase) ?? 0) + p.ms);
  return [...byName].map(([phase, ms]) => ({ phase, ms }));
}

if (require.main === module) {
  runAsStage(([contacts, seed, perTen, mode, clientLimit, clientWindowMs]) =>
    runReadStage(
      Number(contacts ?? 100_000),
      Number(seed ?? 42),
      Number(perTen ?? 110),
      (mode ?? 'child') as SandboxMode,
      Number(clientLimit ?? perTen ?? 110),
      Number(clientWindowMs ?? 10_000),
    ),
  );
}
