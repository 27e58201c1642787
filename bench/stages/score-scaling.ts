/**
 * Bench: scoring throughput of 1 and of W worker processes over T tenants (a multi-tenant night of rescoring).
 * Each tenant is a seeded HubSpot sandbox portal synced into a private Redis; then the same T score jobs are
 * run by 1 worker process, and again by W, each a real `crm-clv worker`-style process (startWorkers with the
 * score stage in a worker thread, concurrency 1) on that Redis. Prints wall time per worker count and the
 * speed-up. One tenant's score is one job, so this measures scaling across tenants, not within one.
 *
 * Usage: node dist/bench/stages/score-scaling.js [tenants=4] [contacts=3000] [workers=2]
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import { crmTenantId, type TenantId } from '../../domain/tenant';
import { enqueueRun, runStatus } from '../../worker/queue/pipeline-runs';
import { RedisRecordStore } from '../../worker/state';
import {
  SANDBOX_RUN_DATA,
  seedSandboxTenant,
  serveScoreWorker,
  type ScoreWorkerOptions,
} from '../bench-tenants';
import { benchRedis } from '../private-redis';

const RUN_DATA = SANDBOX_RUN_DATA;

/** V8 flags of the worker processes, from SCALING_GC_FLAGS (e.g. --single-threaded-gc), to compare GC modes. */
const GC_FLAGS = (process.env.SCALING_GC_FLAGS ?? '').split(' ').filter((f) => f !== '');

type ChildOptions = ScoreWorkerOptions;

async function startChildren(count: number, options: ChildOptions): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () =>
    fork(__filename, ['--child', JSON.stringify(options)], { stdio: 'inherit', execArgv: GC_FLAGS }),
  );
  await Promise.all(children.map((c) => new Promise((resolve) => c.once('message', resolve))));
  return children;
}

async function timeRound(
  redis: Redis,
  queuePrefix: string,
  tenants: readonly TenantId[],
  runId: string,
): Promise<number> {
  const started = performance.now();
  for (const tenant of tenants)
    await enqueueRun(redis, queuePrefix, { tenant, runId, stages: ['score'], data: RUN_DATA });
  // Seconds from the start of the round to each tenant's commit (a score job is three steps, so BullMQ's own
  // start time is its last step's).
  const doneAfter: number[] = [];
  for (const tenant of tenants)
    for (;;) {
      const status = await runStatus(redis, queuePrefix, tenant, runId, ['score']);
      if (status.state === 'completed') {
        doneAfter.push((performance.now() - started) / 1000);
        break;
      }
      if (status.state === 'failed') throw new Error(`${tenant}: ${status.stages[0].failedReason}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  console.log(`  tenants seen done after (s): ${doneAfter.map((t) => t.toFixed(2)).join(', ')}`);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const [tenantCount = 4, contacts = 3000, workers = 2] = process.argv.slice(2).map(Number);
  const r = await benchRedis('score-scaling');
  const store = new RedisRecordStore({ redis: r.redis, prefix: r.prefix });
  const tenants = Array.from({ length: tenantCount }, (_, i) => crmTenantId('hubspot', String(7001 + i)));
  const seeding = performance.now();
  for (const [i, tenant] of tenants.entries()) await seedSandboxTenant(store, tenant, 100 + i, contacts);
  const customers = (await Promise.all(tenants.map((t) => store.readScoreRun(t)))).reduce(
    (n, run) => n + (run?.scores.length ?? 0),
    0,
  );
  console.log(
    `${tenantCount} tenants of ${contacts} contacts (${customers} scored customers) seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s; Redis: ${r.info.private ? `private redis-server ${r.info.version}` : r.info.reason}`,
  );
  const options = { url: r.url, prefix: r.prefix, queuePrefix: r.queuePrefix };
  const times: Record<number, number> = {};
  for (const w of [1, workers]) {
    const children = await startChildren(w, options);
    times[w] = await timeRound(r.redis, r.queuePrefix, tenants, `round-${w}`);
    for (const c of children) c.send('stop');
    await Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve))));
    console.log(
      `${w} worker process${w > 1 ? 'es' : ''}: ${tenantCount} score jobs in ${times[w].toFixed(2)} s`,
    );
  }
  console.log(`speed-up with ${workers} worker processes: ${(times[1] / times[workers]).toFixed(2)}×`);
  await r.stop();
}

if (process.argv[2] === '--child') serveScoreWorker(JSON.parse(process.argv[3]) as ChildOptions);
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
