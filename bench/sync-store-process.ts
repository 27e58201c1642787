/**
 * The syncing process of bench stage hubspot-sync-store: one full syncTenant of the sandbox portal through the
 * HubSpot adapter into a RedisRecordStore, as a worker's sync job runs it, in a process of its own so that its
 * peak RSS is the sync's alone (the sandbox and Redis live in other processes). RSS and heap are sampled
 * while each sync phase runs, to show where memory is held.
 *
 * Args: <SyncChildOptions as JSON>
 */
import { Redis } from 'ioredis';
import { createHubSpotConnection } from '../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../connectors/hubspot/hubspot-adapter';
import { syncTenant } from '../worker/jobs/sync-tenant';
import { RedisRecordStore } from '../worker/state';
import { peakRssMiB, runAsStage } from './stage-protocol';

export type SyncChildOptions = {
  sandboxUrl: string;
  redisUrl: string;
  prefix: string;
  token: string;
  portalId: string;
  /** Calls per 10 s for the connection's general and associations limiters; undefined keeps HubSpot's. */
  perTenSeconds?: number;
};

export type SyncPhase = {
  phase: string;
  ms: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  /** Memory outside the JS heap that V8 tracks (response bodies' buffers among it). */
  peakExternalMiB: number;
};

export type SyncChildResult = {
  ms: number;
  read: Record<string, number>;
  written: Record<string, number>;
  removed: Record<string, number>;
  skipped: Record<string, number>;
  warnings: number;
  apiCalls: number;
  rateLimitWaits: number;
  /** RSS when the sync started (Node, modules, Redis client) and the process's peak (getrusage). */
  startRssMiB: number;
  peakRssMiB: number;
  phases: SyncPhase[];
};

const MIB = 1048576;
const SAMPLE_MS = 100;

export async function runSyncChild(options: SyncChildOptions): Promise<SyncChildResult> {
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  try {
    const store = new RedisRecordStore({ redis, prefix: options.prefix });
    const connection = createHubSpotConnection({
      accessToken: options.token,
      baseUrl: options.sandboxUrl,
      account: { auth: 'oauth' },
    });
    if (options.perTenSeconds !== undefined)
      for (const limiter of [connection.limiters.general, connection.limiters.associations])
        limiter.resize({ limit: options.perTenSeconds, windowMs: 10_000 });
    const adapter = createHubSpotAdapter({ connection, portalId: options.portalId });

    const phases = new Map<string, SyncPhase>();
    let current: { phase: SyncPhase; at: number } | undefined;
    const sample = () => {
      if (current === undefined) return;
      const { rss, heapUsed, external } = process.memoryUsage();
      current.phase.peakRssMiB = Math.max(current.phase.peakRssMiB, rss / MIB);
      current.phase.peakHeapMiB = Math.max(current.phase.peakHeapMiB, heapUsed / MIB);
      current.phase.peakExternalMiB = Math.max(current.phase.peakExternalMiB, external / MIB);
    };
    const enter = (name: string) => {
      const now = performance.now();
      if (current?.phase.phase === name) return;
      sample();
      if (current) current.phase.ms += now - current.at;
      const phase = phases.get(name) ?? {
        phase: name,
        ms: 0,
        peakRssMiB: 0,
        peakHeapMiB: 0,
        peakExternalMiB: 0,
      };
      phases.set(name, phase);
      current = { phase, at: now };
      sample();
    };
    const timer = setInterval(sample, SAMPLE_MS);
    // The removals and cursors of a full sync follow its last progress event: seen at the store instead.
    const storePhase: Record<string, string> = {
      readRecords: 'removals',
      deleteRecords: 'removals',
      setCursor: 'cursors',
    };
    const observed = new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        const phase = typeof property === 'string' ? storePhase[property] : undefined;
        if (phase === undefined || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          enter(phase);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });

    global.gc?.();
    const startRssMiB = process.memoryUsage().rss / MIB;
    const started = performance.now();
    try {
      const report = await syncTenant({
        adapter,
        store: observed,
        mode: 'full',
        onProgress: ({ phase }) => enter(phase),
      });
      const ms = performance.now() - started;
      enter('done');
      return {
        ms,
        read: report.read,
        written: report.written,
        removed: report.removed,
        skipped: Object.fromEntries(Object.entries(report.skipped).map(([k, v]) => [k, v.length])),
        warnings: report.warnings.length,
        apiCalls: report.apiCalls,
        rateLimitWaits: report.rateLimitWaits,
        startRssMiB,
        peakRssMiB: peakRssMiB(),
        phases: [...phases.values()].filter((p) => p.phase !== 'done'),
      };
    } finally {
      clearInterval(timer);
    }
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

if (require.main === module) {
  runAsStage(([json]) => runSyncChild(JSON.parse(json ?? '{}') as SyncChildOptions));
}
