/**
 * Bench stage hubspot-sync-store (issue P5): a full sync of the seeded demo portal (N contacts with their
 * deals, line items, products, tickets, owners) through the HubSpot adapter and syncTenant into a
 * RedisRecordStore, as a worker's sync job runs it. The sync runs in a process of its own
 * (sync-store-process.ts), so its peak RSS is the syncing worker's alone; the sandbox runs in another process
 * and Redis is a private redis-server. Requests and 429s are counted at the sandbox.
 *
 * At HubSpot's OAuth limit (110 per 10 s) 100,000 contacts take ~8 minutes; a higher <perTenSeconds> raises
 * the sandbox's limit and the client's limiters together, for a memory-only measurement (the report says
 * which limit was used).
 *
 * Args: <contacts> <seed> <perTenSeconds> <in-process|child>
 */
import path from 'node:path';
import { crmTenantId } from '../../domain/tenant';
import { RedisRecordStore } from '../../worker/state';
import type { RequestCounts } from '../hubspot-bench-kit';
import { hostSandbox, type SandboxMode } from '../hubspot-sandbox-host';
import { benchRedis, type BenchRedisInfo } from '../private-redis';
import { runInChild, runAsStage } from '../stage-protocol';
import type { SyncChildOptions, SyncChildResult } from '../sync-store-process';

const TOKEN = 'bench-token';
const PORTAL = '1000';
export const HUBSPOT_OAUTH_PER_TEN_SECONDS = 110;

export type SyncStoreStageResult = {
  contacts: number;
  seed: number;
  /** The sandbox's limit and the client's, per 10 s (110 = HubSpot's OAuth limit). */
  perTenSeconds: number;
  sandboxMode: SandboxMode;
  server: BenchRedisInfo;
  seedMs: number;
  sync: SyncChildResult;
  /** Objects in the sandbox per type. */
  seeded: Record<string, number>;
  /** Records in the store per type after the sync. */
  stored: Record<string, number>;
  sandbox: RequestCounts;
  peakRssSandbox: number;
};

export async function runSyncStoreStage(
  contacts: number,
  seed: number,
  perTenSeconds: number,
  mode: SandboxMode,
): Promise<SyncStoreStageResult> {
  const server = await benchRedis('sync');
  try {
    const host = await hostSandbox({ token: TOKEN, portalId: PORTAL, seed, contacts, perTenSeconds }, mode);
    try {
      const options: SyncChildOptions = {
        sandboxUrl: host.url,
        redisUrl: server.url,
        prefix: server.prefix,
        token: TOKEN,
        portalId: PORTAL,
        ...(perTenSeconds === HUBSPOT_OAUTH_PER_TEN_SECONDS ? {} : { perTenSeconds }),
      };
      const sync = await runInChild<SyncChildResult>(
        path.join(__dirname, '..', 'sync-store-process.js'),
        'hubspot-sync-store (syncing process)',
        [JSON.stringify(options)],
      );
      const store = new RedisRecordStore({ redis: server.redis, prefix: server.prefix });
      const keys = store.keys(crmTenantId('hubspot', PORTAL));
      const stored: Record<string, number> = {};
      for (const type of ['customer', 'order', 'product', 'rep', 'serviceCase'] as const)
        stored[type] = await server.redis.hlen(keys.records(type));
      return {
        contacts,
        seed,
        perTenSeconds,
        sandboxMode: mode,
        server: server.info,
        seedMs: host.seedMs,
        sync,
        seeded: await host.objectCounts(),
        stored,
        sandbox: (await host.snapshot()).counts,
        peakRssSandbox: await host.peakRssMiB(),
      };
    } finally {
      await host.close();
    }
  } finally {
    await server.stop();
  }
}

/** Seconds the rate limit alone needs for `calls` (calls ÷ limit per second). */
export function rateFloorSeconds(calls: number, perTenSeconds: number): number {
  return calls / (perTenSeconds / 10);
}

if (require.main === module) {
  runAsStage(([contacts, seed, perTen, mode]) =>
    runSyncStoreStage(
      Number(contacts ?? 100_000),
      Number(seed ?? 42),
      Number(perTen ?? HUBSPOT_OAUTH_PER_TEN_SECONDS),
      (mode ?? 'child') as SandboxMode,
    ),
  );
}
