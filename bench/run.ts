/**
 * `npm run bench`: time and peak memory of the engine's heavy paths, each stage in its own process.
 *
 *   fit       (a) simulate 1M BG/NBD + Gamma-Gamma customers (timed apart), (b) fit BG/NBD, (c) fit Gamma-Gamma,
 *             (d) predict for all; target (b)+(c)+(d) < 2 s and peak RSS < 500 MiB; parameters must be
 *             recovered within 3 standard errors (exit code 1 otherwise)
 *   generate  (e) 10M transaction rows into .bench-data/ (reused when present)
 *   score     (f) `crm-clv score` on them; target < 60 s
 *
 * Opt-in, only when named in --only (the HubSpot ones take minutes each at HubSpot's real rate limit):
 *   hubspot-writeback  write-back of 100,000 contacts at 110 calls / 10 s; target ≤ 100 s, no 429 reaching the
 *                      caller, ⌈changed / 100⌉ write calls when 0.7 % changed, 0 when nothing changed
 *   hubspot-read       full sync of the same sandbox: calls per route family, seconds, records per type
 *   hubspot-sync-store full syncTenant of the sandbox into RedisRecordStore, the sync in its own process: peak
 *                      RSS per phase (issue P5: ≤ 300 MiB for 100,000 contacts), wall time, calls
 *   hubspot-writeback-redis  write-back of 100,000 contacts by 2 worker processes sharing the Redis limiter
 *                      (issue P5: within 10 % of the 90.9 s floor, no 429)
 *   boundary           predictions at boundary fits (issue P4): BG/NBD with a → 0, b = 5e6 on 2,787 customers,
 *                      6-month CLV, target < 1 s; 300 regular buyers who never drop out, every model
 *   salesforce         the Salesforce sandbox with 100,000 contacts through jsforce (issue P7): full sync with SOQL
 *                      paging vs Bulk API 2.0 query jobs, write-back with sObject Collections vs one Bulk ingest
 *                      job; seconds and API calls against a 100,000-call daily allocation
 *   redis-memory       Redis used_memory of one tenant's records, Scores, model and written values per 100,000
 *                      customers, and of kept completed BullMQ jobs (issue P5); needs redis-server or REDIS_URL
 */

import os from 'node:os';
import path from 'node:path';
import { BENCH_USAGE, BenchArgsError, parseBenchArgs, type BenchArgs } from './args';
import { count, formatTable, mebibytes, seconds, significant } from './format-table';
import {
  reportRead,
  reportSyncStore,
  reportWriteback,
  reportWritebackRedis,
  syncStoreVerdicts,
  writebackRedisVerdicts,
  writebackVerdicts,
} from './hubspot-report';
import { runScore, type ScoreRunResult } from './score-run';
import { runStage } from './stage-protocol';
import type { BoundaryStageResult } from './stages/boundary';
import type { FitStageResult } from './stages/fit';
import type { GenerateStageResult } from './stages/generate';
import type { MemoryKind, RedisMemoryStageResult } from './stages/redis-memory';
import type { ReadStageResult } from './stages/hubspot-read';
import type { SyncStoreStageResult } from './stages/hubspot-sync-store';
import type { WritebackStageResult } from './stages/hubspot-writeback';
import type { WritebackRedisStageResult } from './stages/hubspot-writeback-redis';
import { reportSalesforce } from './salesforce-report';
import type { SalesforceBenchResult } from './stages/salesforce-sync-writeback';

const FIT_TARGET_MS = 2000;
const FIT_TARGET_MIB = 500;
const SCORE_TARGET_MS = 60_000;
const BOUNDARY_TARGET_MS = 1000;

/** dist/bench/run.js → the repository root. */
const ROOT = path.resolve(__dirname, '..', '..');
const DATA_DIR = path.join(ROOT, '.bench-data');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

function target(ok: boolean, text: string): string {
  return `${ok ? 'met' : 'MISSED'} (${text})`;
}

function reportFit(r: FitStageResult): string {
  const t = r.times;
  const predict = t.predict;
  const total = t.fitBgnbd + t.fitGammaGamma + predict;
  const simulateShare = r.memory.peakAfterSimulate / r.memory.peak;
  const c = r.cpuTimes;
  const cpuTotal = c.fitBgnbd + c.fitGammaGamma + c.predict;
  const rows = [
    [
      `(a) simulate ${count(r.customers)} customers (not in the target)`,
      seconds(t.simulate),
      seconds(c.simulate),
    ],
    [`(b) fit BG/NBD (${r.fits.bgnbd.iterations} iterations)`, seconds(t.fitBgnbd), seconds(c.fitBgnbd)],
    [
      `(c) fit Gamma-Gamma on ${count(r.repeatBuyers)} repeat buyers`,
      seconds(t.fitGammaGamma),
      seconds(c.fitGammaGamma),
    ],
    [
      '(d) predictions: E[purchases 52 w], P(alive), order value, 12-month CLV, next purchase',
      seconds(t.predict),
      seconds(c.predict),
    ],
    ['(b)+(c)+(d) total', seconds(total), seconds(cpuTotal)],
  ];
  const checks = r.checks.map((c) => [
    c.model,
    c.param,
    significant(c.truth),
    significant(c.estimate),
    significant(c.standardError, 3),
    c.z.toFixed(2),
    c.pass ? 'PASS' : 'FAIL',
  ]);
  return [
    formatTable(['fit stage', 'wall', 'cpu'], rows, ['left', 'right', 'right']),
    '',
    `target (b)+(c)+(d) < 2 s: ${target(total < FIT_TARGET_MS, `${seconds(total)} wall`)}` +
      (cpuTotal < total * 0.8 ? ` — the machine is busy: CPU time ${seconds(cpuTotal)}` : ''),
    `peak RSS of the process: ${mebibytes(r.memory.peak)} — ${target(r.memory.peak < FIT_TARGET_MIB, '< 500 MiB')}`,
    `  of which reached by the end of simulation: ${mebibytes(r.memory.peakAfterSimulate)} ` +
      `(${(simulateShare * 100).toFixed(0)} % of the peak; Node at start ${mebibytes(r.memory.startRss)})`,
    `  means: E[purchases 52 w] ${significant(r.means.expectedPurchases52)}, P(alive) ` +
      `${significant(r.means.probabilityAlive)}, E[order value] ${significant(r.means.expectedAverageValue)}, ` +
      `CLV 12 m ${significant(r.means.clv12)}`,
    '',
    formatTable(['model', 'param', 'truth', 'estimate', 'std. error', 'z', 'within 3 SE'], checks, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
      'left',
    ]),
  ].join('\n');
}

function reportBoundary(r: BoundaryStageResult): string {
  const b = r.boundary;
  const rows = r.regular.map((m) => [
    m.model,
    Object.entries(m.params)
      .map(([k, v]) => `${k} ${significant(v, 3)}`)
      .join(', '),
    seconds(m.fit),
    seconds(m.predict),
    seconds(m.outlook),
    count(m.work),
    significant(m.meanExpectedPurchases),
  ]);
  const real = r.onlineRetail;
  const onlineRetail = real
    ? `(g) Online Retail by days, calibration to 2011-06-08 (${count(real.customers)} customers): BG/NBD fit ` +
      Object.entries(real.fitted)
        .map(([k, v]) => `${k} ${significant(v, 3)}`)
        .join(', ') +
      `; predictions with a 6-month CLV at a = 1e-9, b = 5e6 ${seconds(real.predictBoundary)} — ` +
      `${target(real.predictBoundary < BOUNDARY_TARGET_MS, '< 1 s')}; at the fit ${seconds(real.predictFitted)}`
    : '(g) Online Retail: skipped, ../shared/data/online-retail is not there';
  return [
    onlineRetail,
    `(g) boundary fit, BG/NBD a = 1e-9, b = 5e6: predictions for ${count(b.customers)} customers, 6-month CLV: ` +
      `first call ${seconds(b.first)}, best of ${b.runs} ${seconds(b.predict)}, ${count(b.work)} series terms / ` +
      `integral nodes per call — ${target(b.first < BOUNDARY_TARGET_MS, '< 1 s')}; mean CLV ${significant(b.meanClv)}`,
    '',
    `(h) ${count(300)} regular buyers who never drop out (fit + Gamma-Gamma, 12-month CLV, P(X = n) for n ≤ 5):`,
    formatTable(['model', 'fitted parameters', 'fit', 'predict', 'outlook', 'work', 'mean E[X(360)]'], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
    ]),
  ].join('\n');
}

const MIB = 1048576;

function reportRedisMemory(r: RedisMemoryStageResult, command: string): string {
  const mib = (bytes: number) => (bytes / MIB).toFixed(1);
  const per100k = (bytes: number) => mib((bytes * 100_000) / r.customers);
  // Bytes per item: per synced customer for records, per Score, per contact with written values.
  const kinds: [MemoryKind, string, number][] = [
    [
      'records',
      `records + cursors (${Object.entries(r.stored.records)
        .filter(([, n]) => n > 0)
        .map(([type, n]) => `${count(n)} ${type}`)
        .join(', ')})`,
      r.customers,
    ],
    ['scores', `latest score run (${count(r.stored.scores)} Scores)`, r.stored.scores],
    ['model', 'model (segment centroids)', 1],
    ['written', `last written values (${count(r.stored.written)} contacts)`, r.stored.written],
  ];
  const state = kinds.reduce((sum, [kind]) => sum + r.bytes[kind], 0);
  const rows = [
    ...kinds.map(([kind, label, items]) => [
      label,
      mib(r.bytes[kind]),
      per100k(r.bytes[kind]),
      count(Math.round(r.bytes[kind] / Math.max(1, items))),
    ]),
    ['tenant state total', mib(state), per100k(state), ''],
  ];
  const everyoneScored = (r.bytes.scores + r.bytes.written) * (r.customers / Math.max(1, r.stored.scores));
  const server = r.server.private
    ? `private redis-server ${r.server.version} on port ${r.server.port}, no persistence`
    : `REDIS_URL ${r.server.url} with a unique prefix (${r.server.reason}; other clients' writes add noise)`;
  return [
    `(P5) ${command}`,
    `     ${server}; used_memory deltas; ${seconds(r.ms)}`,
    formatTable(['kind', `MiB for ${count(r.customers)}`, 'MiB per 100,000 customers', 'B per item'], rows, [
      'left',
      'right',
      'right',
      'right',
    ]),
    '',
    `     Scores and written values exist for customers with orders (${count(r.stored.scores)} of ` +
      `${count(r.customers)}); were every customer scored, both would take ${per100k(everyoneScored)} MiB per 100,000`,
    `     ${count(r.jobs)} completed jobs kept (removeOnComplete false): ${mib(r.bytes.jobs)} MiB → ` +
      `${mib((r.bytes.jobs * 100_000) / r.jobs)} MiB per 100,000 kept jobs (${count(Math.round(r.bytes.jobs / r.jobs))} B ` +
      `per job); the queue's capped events stream ${mib(r.jobEventsBytes)} MiB more`,
    `     MEMORY USAGE per key (MiB): ${Object.entries(r.stored.keyUsage)
      .map(([key, bytes]) => `${key.slice(key.indexOf('}') + 2)} ${mib(bytes)}`)
      .join(', ')}`,
  ].join('\n');
}

function reportGenerate(g: GenerateStageResult): string {
  const what = `${count(g.rows)} rows, ${count(g.orders)} orders, ${count(g.customers)} customers, ${mebibytes(g.bytes / 1048576)}`;
  return g.reused
    ? `(e) generate: reused ${path.relative(ROOT, g.file)} (${what})`
    : `(e) generate: ${seconds(g.time)}, peak RSS ${mebibytes(g.peakRss)} — ${what} → ${path.relative(ROOT, g.file)}`;
}

function reportScore(s: ScoreRunResult, rows: number): string {
  return [
    `(f) ${s.command}`,
    `    wall time ${seconds(s.wallTime)} (${count(Math.round(rows / (s.wallTime / 1000)))} rows/s)` +
      (s.cpuTime === null ? '' : `, CPU ${seconds(s.cpuTime)}`) +
      `, peak RSS ${mebibytes(s.peakRss)} (${s.rssSource})`,
    `    stages: ${Object.entries(s.timings)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', ')}`,
    s.timings.segmentsChurnRecommendations === undefined
      ? `    target < 60 s (CSV import to scores.csv, CLV engine): ${target(s.wallTime < SCORE_TARGET_MS, seconds(s.wallTime))}`
      : `    segments + churn + recommendations: ${s.timings.segmentsChurnRecommendations.toFixed(1)} s for ` +
        `${count(s.customers)} customers = ${((s.timings.segmentsChurnRecommendations * 1e6) / s.customers).toFixed(1)} s per million ` +
        `(target < 30 s per million customers); whole process peak RSS ${mebibytes(s.peakRss)} (target < 2 GiB)`,
  ].join('\n');
}

async function run(args: BenchArgs): Promise<number> {
  console.log(
    `crm-clv bench — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ` +
      `${mebibytes(os.totalmem() / 1048576)} RAM, seed ${args.seed}\n`,
  );
  let failed = false;
  const section = async (name: string, work: () => Promise<string>) => {
    try {
      console.log((await work()) + '\n');
    } catch (error) {
      failed = true;
      console.log(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  if (args.only.includes('fit')) {
    await section('fit', async () => {
      const r = await runStage<FitStageResult>('fit', [String(args.customers), String(args.seed)]);
      if (r.checks.some((c) => !c.pass)) failed = true;
      return reportFit(r);
    });
  }
  let data: GenerateStageResult | null = null;
  if (args.only.includes('generate') || args.only.includes('score')) {
    await section('generate', async () => {
      data = await runStage<GenerateStageResult>('generate', [
        DATA_DIR,
        String(args.transactions),
        String(args.seed),
      ]);
      return reportGenerate(data);
    });
  }
  if (args.only.includes('score')) {
    const generated = data as GenerateStageResult | null;
    if (generated === null) {
      console.log('(f) score: skipped, there is no transaction file\n');
    } else {
      const outDir = path.join(DATA_DIR, `score-${args.transactions}-seed${args.seed}`);
      // The CLV engine alone (the P1 target), then the whole run with segments, churn and recommendations.
      await section('score', async () =>
        reportScore(
          await runScore(CLI, generated.file, generated.observationEnd, `${outDir}-clv`, ['--no-insights']),
          generated.rows,
        ),
      );
      await section('score', async () =>
        reportScore(await runScore(CLI, generated.file, generated.observationEnd, outDir), generated.rows),
      );
    }
  }
  if (args.only.includes('boundary')) {
    await section('boundary', async () =>
      reportBoundary(await runStage<BoundaryStageResult>('boundary', [String(args.seed)])),
    );
  }
  const hubspot = [
    String(args.hubspotContacts ?? 100_000),
    String(args.seed),
    '110',
    args.hubspotSandbox ?? 'child',
  ];
  const clientLimiter = [
    String(args.hubspotClientLimit ?? 110),
    String(args.hubspotClientWindowMs ?? 10_000),
  ];
  if (args.only.includes('hubspot-writeback')) {
    await section('hubspot-writeback', async () => {
      const r = await runStage<WritebackStageResult>('hubspot-writeback', [
        ...hubspot,
        String(args.hubspotConcurrency ?? 4),
        ...clientLimiter,
      ]);
      if (writebackVerdicts(r).some((v) => !v.ok)) failed = true;
      return reportWriteback(r);
    });
  }
  if (args.only.includes('hubspot-read')) {
    await section('hubspot-read', async () =>
      reportRead(await runStage<ReadStageResult>('hubspot-read', [...hubspot, ...clientLimiter])),
    );
  }
  const contacts = String(args.hubspotContacts ?? 100_000);
  const sandboxMode = args.hubspotSandbox ?? 'child';
  if (args.only.includes('hubspot-sync-store')) {
    await section('hubspot-sync-store', async () => {
      const r = await runStage<SyncStoreStageResult>('hubspot-sync-store', [
        contacts,
        String(args.seed),
        String(args.hubspotSyncLimit ?? 110),
        sandboxMode,
      ]);
      if (syncStoreVerdicts(r).some((v) => !v.ok)) failed = true;
      return reportSyncStore(r);
    });
  }
  if (args.only.includes('salesforce')) {
    await section('salesforce', async () =>
      reportSalesforce(
        await runStage<SalesforceBenchResult>('salesforce-sync-writeback', [
          String(args.salesforceContacts ?? 100_000),
          String(args.seed),
        ]),
      ),
    );
  }
  if (args.only.includes('hubspot-writeback-redis')) {
    await section('hubspot-writeback-redis', async () => {
      const r = await runStage<WritebackRedisStageResult>('hubspot-writeback-redis', [
        contacts,
        String(args.seed),
        '110',
        sandboxMode,
        String(args.hubspotWorkers ?? 2),
      ]);
      if (writebackRedisVerdicts(r).some((v) => !v.ok)) failed = true;
      return reportWritebackRedis(r);
    });
  }
  if (args.only.includes('redis-memory')) {
    const customers = args.redisCustomers ?? 100_000;
    const jobs = args.redisJobs ?? 10_000;
    const command =
      `node --expose-gc dist/bench/run.js --only redis-memory --redis-customers ${customers} ` +
      `--redis-jobs ${jobs} --seed ${args.seed}`;
    await section('redis-memory', async () =>
      reportRedisMemory(
        await runStage<RedisMemoryStageResult>('redis-memory', [
          String(customers),
          String(jobs),
          String(args.seed),
        ]),
        command,
      ),
    );
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof BenchArgsError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(BENCH_USAGE);
  } else {
    run(args).then((code) => {
      process.exitCode = code;
    });
  }
}
