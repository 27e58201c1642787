/**
 * Bench stage hubspot-writeback: the seeded sandbox (N contacts, OAuth limit of 110 per 10 s), the real
 * @hubspot/api-client with our limiter, ensureClvProperties, then writeChangedValues three times:
 *   (a) every contact's 14 values are new;
 *   (b) a new scoring run (new clv_scored_at for all, noise below the written precision) changes 0.7 %;
 *   (c) the same values again: nothing to write.
 * Requests and 429s are counted at the sandbox (an outer express app), apart from the connector's counters.
 * Between runs the bench waits one rate window, so each run starts as a separate scheduled run would.
 *
 * Args: <contacts> <seed> <perTenSeconds> <in-process|child> <concurrency> [client limit] [client window ms]
 *
 * The optional client limit and window resize the connection's general limiter (SlidingWindowLimiter.resize,
 * default 110 per 10,000 ms), to measure how much headroom keeps the sandbox from answering 429.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WantedValues, WrittenValues } from '../../connectors/hubspot/changed-values';
import { createHubSpotConnection, type HubSpotConnection } from '../../connectors/hubspot/create-client';
import { ensureClvProperties, writeChangedValues } from '../../connectors/hubspot/writeback';
import type { WriteChangedValuesResult } from '../../connectors/hubspot/writeback';
import {
  BENCH_INTERESTS,
  BENCH_SEGMENTS,
  clvDigest,
  diffCounts,
  maxInWindow,
  percentiles,
  rescore,
  totalCounts,
  wantedScores,
  writeCallsFor,
  type RequestCounts,
} from '../hubspot-bench-kit';
import { hostSandbox, type SandboxHost, type SandboxMode } from '../hubspot-sandbox-host';
import { count } from '../format-table';
import { peakRssMiB, runAsStage } from '../stage-protocol';

const TOKEN = 'bench-token';
const PORTAL = '1000';

export type WritebackRun = {
  label: string;
  /** Wall milliseconds of writeChangedValues. */
  ms: number;
  contactsChanged: number;
  contactsWritten: number;
  /** Batch-update calls the connector counted (429 retries included). */
  writeCalls: number;
  rateLimitWaits: number;
  retriedInputs: number;
  /** Failures returned to the caller (a 429 that reaches the caller would be one of these). */
  failures: number;
  failuresFrom429: number;
  stopped?: string;
  /** What the sandbox saw during the run. */
  sandbox: RequestCounts;
  /** Batch-update requests the sandbox answered 200/207, and 429. */
  sandboxUpdateCalls: number;
  sandbox429: number;
  /** Most batch updates arriving at the sandbox in any rolling 10 s. */
  maxPerTenSecondsAtSandbox: number;
  /** Limiter grant → sandbox arrival, ms (p50, p99, max), matched in order. */
  grantToArrivalMs: number[];
  /** Event-loop delay of the stage process during the run, ms (p50, p99, max). */
  eventLoopDelayMs: number[];
  expectedWriteCalls: number;
};

export type WritebackStageResult = {
  contacts: number;
  seed: number;
  perTenSeconds: number;
  sandboxMode: SandboxMode;
  concurrency: number;
  /** The connection's general limiter: calls per window (110 unless the bench resized it). */
  clientLimit: number;
  /** The connection's general limiter's window, ms (10,000 unless the bench resized it). */
  clientWindowMs: number;
  seedMs: number;
  ensure: { ms: number; calls: number; created: number; existing: number; rateLimitWaits: number };
  runs: WritebackRun[];
  /** Equal digests: the sandbox holds exactly the values lastWritten says were written. */
  digestMatches: boolean;
  /** Every request of the stage (ensureClvProperties included), counted at the sandbox. */
  sandboxTotal: RequestCounts;
  peakRss: { stage: number; sandbox: number };
};

type Grants = { times: number[] };

/** Records when the limiter lets each call start (bench instrumentation; the limiter is unchanged). */
function recordGrants(connection: HubSpotConnection): Grants {
  const grants: Grants = { times: [] };
  const limiter = connection.limiters.general;
  const acquire = limiter.acquire.bind(limiter);
  limiter.acquire = async () => {
    const settle = await acquire();
    grants.times.push(Date.now());
    return settle;
  };
  return grants;
}

async function runOnce(
  label: string,
  connection: HubSpotConnection,
  host: SandboxHost,
  grants: Grants,
  updates: ReadonlyMap<string, WantedValues>,
  lastWritten: Map<string, WrittenValues>,
  definitions: Parameters<typeof writeChangedValues>[1]['definitions'],
  concurrency: number,
  expectedChanged: number,
): Promise<WritebackRun> {
  const before = await host.snapshot();
  grants.times.length = 0;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const result: WriteChangedValuesResult = await writeChangedValues(connection, {
    updates,
    lastWritten,
    definitions,
    concurrency,
  });
  const ms = performance.now() - started;
  loop.disable();
  const after = await host.snapshot();
  const sandbox = diffCounts(after.counts, before.counts);
  const updates429 = after.updateArrivals.slice(before.updateArrivals.length);
  const arrivals = updates429.map((u) => u.at).sort((a, b) => a - b);
  const grantTimes = grants.times.slice().sort((a, b) => a - b);
  const delays = arrivals.length === grantTimes.length ? arrivals.map((t, i) => t - grantTimes[i]) : [];
  const update = sandbox['batch update contacts'];
  const is429 = (reason: string) => /429|rate limit|RATE_LIMIT|secondly/i.test(reason);
  return {
    label,
    ms,
    contactsChanged: result.contactsChanged,
    contactsWritten: result.contactsWritten,
    writeCalls: result.writeCalls,
    rateLimitWaits: result.rateLimitWaits,
    retriedInputs: result.retriedInputs,
    failures: result.failed.length,
    failuresFrom429: result.failed.filter((f) => is429(f.reason)).length,
    ...(result.stopped ? { stopped: `${result.stopped.code}: ${result.stopped.message}` } : {}),
    sandbox,
    sandboxUpdateCalls: update ? update.requests - update.rateLimited - update.errors : 0,
    sandbox429: totalCounts(sandbox).rateLimited,
    maxPerTenSecondsAtSandbox: maxInWindow(
      updates429
        .filter((u) => u.status !== 429)
        .map((u) => u.at)
        .sort((a, b) => a - b),
    ),
    grantToArrivalMs: percentiles(delays, [50, 99, 100]),
    eventLoopDelayMs: [loop.percentile(50), loop.percentile(99), loop.max].map((ns) => ns / 1e6),
    expectedWriteCalls: writeCallsFor(expectedChanged),
  };
}

export async function runWritebackStage(
  contacts: number,
  seed: number,
  perTenSeconds: number,
  mode: SandboxMode,
  concurrency: number,
  clientLimit = perTenSeconds,
  clientWindowMs = 10_000,
): Promise<WritebackStageResult> {
  const host = await hostSandbox({ token: TOKEN, portalId: PORTAL, seed, contacts, perTenSeconds }, mode);
  try {
    const connection = createHubSpotConnection({
      accessToken: TOKEN,
      baseUrl: host.url,
      account: { auth: 'oauth' },
    });
    if (clientLimit !== 110 || clientWindowMs !== 10_000)
      connection.limiters.general.resize({ limit: clientLimit, windowMs: clientWindowMs });
    const grants = recordGrants(connection);
    const ensureStart = performance.now();
    const ensure = await ensureClvProperties(connection, {
      segments: BENCH_SEGMENTS,
      interests: BENCH_INTERESTS,
    });
    const ensureMs = performance.now() - ensureStart;

    const ids = await host.contactIds();
    const wanted = wantedScores(ids, seed);
    const lastWritten = new Map<string, WrittenValues>();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 10_500));
    const runs: WritebackRun[] = [];
    const definitions = ensure.definitions;

    runs.push(
      await runOnce(
        '(a) all changed',
        connection,
        host,
        grants,
        wanted,
        lastWritten,
        definitions,
        concurrency,
        ids.length,
      ),
    );
    const changed = Math.round(ids.length * 0.007);
    const next = rescore(wanted, changed, seed);
    await pause();
    runs.push(
      await runOnce(
        `(b) ${count(changed)} changed (${((changed / ids.length) * 100).toFixed(1)} %)`,
        connection,
        host,
        grants,
        next.values,
        lastWritten,
        definitions,
        concurrency,
        next.changedIds.size,
      ),
    );
    await pause();
    runs.push(
      await runOnce(
        '(c) nothing changed',
        connection,
        host,
        grants,
        next.values,
        lastWritten,
        definitions,
        concurrency,
        0,
      ),
    );

    const digestMatches = (await host.digest()) === clvDigest(ids, (id) => lastWritten.get(id));
    return {
      contacts: ids.length,
      seed,
      perTenSeconds,
      sandboxMode: mode,
      concurrency,
      clientLimit,
      clientWindowMs,
      seedMs: host.seedMs,
      ensure: {
        ms: ensureMs,
        calls: ensure.calls,
        created: ensure.created.length,
        existing: ensure.existing.length,
        rateLimitWaits: ensure.rateLimitWaits,
      },
      runs,
      digestMatches,
      sandboxTotal: (await host.snapshot()).counts,
      peakRss: { stage: peakRssMiB(), sandbox: await host.peakRssMiB() },
    };
  } finally {
    await host.close();
  }
}

if (require.main === module) {
  runAsStage(([contacts, seed, perTen, mode, concurrency, clientLimit, clientWindowMs]) =>
    runWritebackStage(
      Number(contacts ?? 100_000),
      Number(seed ?? 42),
      Number(perTen ?? 110),
      (mode ?? 'child') as SandboxMode,
      Number(concurrency ?? 4),
      Number(clientLimit ?? perTen ?? 110),
      Number(clientWindowMs ?? 10_000),
    ),
  );
}
