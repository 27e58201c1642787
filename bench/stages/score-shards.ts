/**
 * Bench: one tenant's score stage spread over 1 and over W worker processes. The tenant's store is seeded
 * from a generated transactions file (one customer record per customer, one order per order with its lines,
 * the products) in a private Redis; a first run makes the tenant's model version, as a tenant has before its
 * nightly rescore. Then the same rescore runs with 1 worker process and with W, each a `crm-clv worker`-style
 * process (startWorkers, the fit step in a worker thread, one job at a time per queue). Prints, per worker
 * count, the whole stage and its steps: plan (one job), prepare (each range of customers read, cleaned and
 * left as a part; spread over the workers), fit (the parts merged, the engine's global work, the shards
 * staged; one job), the shards (every customer's Scores built, checked and stored; spread over the workers)
 * and the commit; for each step its wall time and the CPU time the worker processes spent in it (sampled
 * every 100 ms from each process, GC and worker threads included; Redis's own CPU apart, from INFO cpu), and the
 * worker processes' peak resident memory during the fit. The report job each commit queues (sales performance,
 * off the stage's path) is held back during the rounds and timed once at the end.
 *
 * Usage: node dist/bench/stages/score-shards.js [transactions.csv] [workers=2] [shardCustomers=5000]
 * (default file: .bench-data/transactions-4200000-seed42.csv, `npm run bench -- --only generate
 * --transactions 4200000` makes it: 995,828 customers).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Customer, Order, Product } from '../../domain/records';
import { crmTenantId, type TenantId } from '../../domain/tenant';
import { SHARD_CUSTOMERS } from '../../worker/jobs/score-shards';
import { enqueueRun, runStatus } from '../../worker/queue/pipeline-runs';
import { QUEUE_NAMES, stageJobId } from '../../worker/queue/stages';
import { prepareJobId, reportJobId, shardJobId } from '../../worker/queue/score-flow';
import { RedisRecordStore, type RecordStore } from '../../worker/state';
import { serveScoreWorker, type ScoreWorkerOptions } from '../bench-tenants';
import { benchRedis } from '../private-redis';

const TENANT = crmTenantId('hubspot', '9001');
const CREATED = '2022-12-01T00:00:00.000Z';
const CHUNK = 10_000;

type ChildOptions = ScoreWorkerOptions;

/** The generated file's rows as store records: an order's rows are consecutive in the file. */
export async function seedTenant(store: RecordStore, tenant: TenantId, file: string): Promise<number> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let header: string[] | null = null;
  const customers = new Set<string>();
  const products = new Set<string>();
  let customerBatch: Customer[] = [];
  let orderBatch: Order[] = [];
  let order: Order | null = null;
  const flush = async (force: boolean) => {
    if (customerBatch.length >= CHUNK || (force && customerBatch.length > 0)) {
      await store.putRecords(tenant, 'customer', customerBatch);
      customerBatch = [];
    }
    if (orderBatch.length >= CHUNK || (force && orderBatch.length > 0)) {
      await store.putRecords(tenant, 'order', orderBatch);
      orderBatch = [];
    }
  };
  for await (const line of lines) {
    const cells = line.split(',');
    if (header === null) {
      header = cells;
      continue;
    }
    const at = (name: string) => cells[header!.indexOf(name)];
    const [customerId, orderId, date] = [at('customer_id'), at('order_id'), at('date')];
    if (!customers.has(customerId)) {
      customers.add(customerId);
      customerBatch.push({
        id: customerId,
        tenant,
        source: 'hubspot',
        externalId: customerId,
        createdAt: CREATED,
        updatedAt: CREATED,
      });
    }
    if (order === null || order.id !== orderId) {
      if (order !== null) orderBatch.push(order);
      order = {
        id: orderId,
        customerId,
        placedAt: new Date(date).toISOString(),
        amount: 0,
        currency: at('currency'),
        status: 'won',
        channel: at('channel'),
        lines: [],
      };
    }
    order.amount += Number(at('amount'));
    order.lines!.push({
      productId: at('product_id'),
      quantity: Number(at('quantity')),
      unitPrice: Number(at('unit_price')),
    });
    products.add(at('product_id'));
    await flush(false);
  }
  if (order !== null) orderBatch.push(order);
  await flush(true);
  const catalogue: Product[] = [...products].map((id) => ({ id, name: `product ${id}` }));
  await store.putRecords(tenant, 'product', catalogue);
  return customers.size;
}

/** What a child reports every SAMPLE_MS: when, its process's CPU time so far (µs) and resident memory. */
type Sample = { at: number; cpu: number; rss: number };
const SAMPLE_MS = 100;

type Child = { process: ChildProcess; samples: Sample[] };

async function startChildren(count: number, options: ChildOptions): Promise<Child[]> {
  const children = Array.from({ length: count }, () => ({
    process: fork(__filename, ['--child', JSON.stringify(options)], { stdio: 'inherit' }),
    samples: [] as Sample[],
  }));
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) =>
          c.process.on('message', (message: unknown) => {
            if (message === 'ready') resolve();
            else if (typeof message === 'object' && message !== null && 'cpu' in message)
              c.samples.push(message as Sample);
          }),
        ),
    ),
  );
  return children;
}

async function stopChildren(children: Child[]): Promise<void> {
  for (const c of children) c.process.send('stop');
  await Promise.all(children.map((c) => new Promise((resolve) => c.process.once('exit', resolve))));
}

/** CPU seconds all children spent between two instants (ms), from the samples nearest each. */
function cpuBetween(children: readonly Child[], from: number, to: number): number {
  const at = (samples: Sample[], t: number) => {
    let best = samples[0];
    for (const s of samples) if (Math.abs(s.at - t) < Math.abs(best.at - t)) best = s;
    return best.cpu;
  };
  return children.reduce((sum, c) => sum + (at(c.samples, to) - at(c.samples, from)) / 1e6, 0);
}

/** The children's largest summed resident memory (GB) between two instants. */
function peakRss(children: readonly Child[], from: number, to: number): number {
  const times = children.flatMap((c) => c.samples.map((s) => s.at)).filter((t) => t >= from && t <= to);
  let peak = 0;
  for (const t of times) {
    let sum = 0;
    for (const c of children) {
      const near = c.samples.reduce((a, b) => (Math.abs(b.at - t) < Math.abs(a.at - t) ? b : a));
      sum += near.rss;
    }
    peak = Math.max(peak, sum);
  }
  return peak / 1e9;
}

const STEPS = ['plan', 'prepare', 'fit', 'shards', 'commit'] as const;
type Step = (typeof STEPS)[number];

type Round = {
  whole: number;
  /** Wall and CPU seconds per step. */
  wall: Record<Step, number>;
  cpu: Record<Step, number>;
  prepareJobs: number;
  shardJobs: number;
  byWorker: string;
  fitPeakGb: number;
  /** Redis's own CPU seconds per step (INFO cpu, sampled like the workers): it shares the machine's cores. */
  redisCpu: Record<Step, number>;
};

/** Redis's user + system CPU time so far (µs), sampled every SAMPLE_MS while a round runs. */
function sampleRedisCpu(redis: Redis): { samples: Sample[]; stop(): void } {
  const samples: Sample[] = [];
  const take = async () => {
    const info = await redis.info('cpu');
    const seconds = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
    samples.push({ at: Date.now(), cpu: (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6, rss: 0 });
  };
  void take();
  const timer = setInterval(() => void take(), SAMPLE_MS);
  return { samples, stop: () => clearInterval(timer) };
}

async function timeRound(
  redis: Redis,
  queuePrefix: string,
  runId: string,
  data: Record<string, unknown>,
  children: readonly Child[],
): Promise<Round> {
  const redisCpu = sampleRedisCpu(redis);
  await enqueueRun(redis, queuePrefix, { tenant: TENANT, runId, stages: ['score'], data });
  for (;;) {
    const status = await runStatus(redis, queuePrefix, TENANT, runId, ['score']);
    if (status.state === 'completed') break;
    if (status.state === 'failed') throw new Error(`${runId}: ${status.stages[0].failedReason}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The last samples must cover the commit's end.
  await new Promise((r) => setTimeout(r, 3 * SAMPLE_MS));
  redisCpu.stop();
  const scoreQueue = new Queue(QUEUE_NAMES.score, { connection: redis, prefix: queuePrefix });
  const shardQueue = new Queue(QUEUE_NAMES.scoreShard, { connection: redis, prefix: queuePrefix });
  try {
    const id = stageJobId(TENANT, runId, 'score');
    const score = (await scoreQueue.getJob(id))!;

    const { shards, prepareShards, cleanedWhole } = score.data as {
      shards: number;
      prepareShards: number;
      cleanedWhole?: string;
    };
    if (cleanedWhole) console.log(`  (the fit cleaned the tenant whole: ${cleanedWhole})`);
    const jobsOf = async (ids: string[]) => Promise.all(ids.map(async (j) => (await shardQueue.getJob(j))!));
    const prepares = await jobsOf(Array.from({ length: prepareShards }, (_, s) => prepareJobId(id, s)));
    const scoring = await jobsOf(Array.from({ length: shards }, (_, s) => shardJobId(id, s)));
    const window = (jobs: Job[]) => [
      Math.min(...jobs.map((j) => j.processedOn!)),
      Math.max(...jobs.map((j) => j.finishedOn!)),
    ];
    const [prepareFrom, prepareTo] = window(prepares);
    const [shardsFrom, shardsTo] = window(scoring);
    // The score job's processedOn is its last (commit) step's start; its timestamp is when it was added.
    const bounds: Record<Step, [number, number]> = {
      plan: [score.timestamp, prepareFrom],
      prepare: [prepareFrom, prepareTo],
      fit: [prepareTo, shardsFrom],
      shards: [shardsFrom, shardsTo],
      commit: [shardsTo, score.finishedOn!],
    };
    const byWorker = new Map<string, number>();
    for (const j of [...prepares, ...scoring]) {
      const w = j.processedBy ?? '?';
      byWorker.set(w, (byWorker.get(w) ?? 0) + 1);
    }
    const per = (f: (from: number, to: number) => number) =>
      Object.fromEntries(STEPS.map((step) => [step, f(...bounds[step])])) as Record<Step, number>;
    return {
      whole: (score.finishedOn! - score.timestamp) / 1000,
      wall: per((from, to) => (to - from) / 1000),
      cpu: per((from, to) => cpuBetween(children, from, to)),
      prepareJobs: prepareShards,
      shardJobs: shards,
      byWorker: [...byWorker.values()].join(' + '),
      fitPeakGb: peakRss(children, ...bounds.fit),
      redisCpu: per((from, to) => cpuBetween([{ samples: redisCpu.samples } as unknown as Child], from, to)),
    };
  } finally {
    await scoreQueue.close();
    await shardQueue.close();
  }
}

/**
 * sha256 of the stored run's Scores without their run-specific stamp (scoredAt differs per round), keys
 * sorted (a Score read back keeps its stored key order): two rounds (or two builds) that score alike print
 * the same digest.
 */
async function scoresDigest(store: RedisRecordStore, tenant: TenantId): Promise<string> {
  const stored = await store.readScoreRun(tenant);
  const hash = createHash('sha256');
  for (const { scoredAt: _scoredAt, ...score } of stored?.scores ?? []) hash.update(sortedJson(score));
  return hash.digest('hex').slice(0, 16);
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
}

async function main(): Promise<void> {
  const [fileArg, workersArg, shardArg] = process.argv.slice(2);
  const file = fileArg ?? path.join(__dirname, '../../../.bench-data/transactions-4200000-seed42.csv');
  const workers = Number(workersArg ?? 2);
  const shardCustomers = Number(shardArg ?? SHARD_CUSTOMERS);
  const r = await benchRedis('score-shards');
  const store = new RedisRecordStore({ redis: r.redis, prefix: r.prefix });
  const seeding = performance.now();
  const customers = await seedTenant(store, TENANT, file);
  console.log(
    `${customers} customers of ${path.basename(file)} stored in ${((performance.now() - seeding) / 1000).toFixed(1)} s; Redis: ${r.info.private ? `private redis-server ${r.info.version}` : r.info.reason}`,
  );
  const data = { observationEnd: '2024-12-31', currency: 'USD', shardCustomers };
  const options = { url: r.url, prefix: r.prefix, queuePrefix: r.queuePrefix };
  const rounds: Record<string, Round> = {};
  // Each round's commit queues a report job (sales performance), off the stage's path: held back while the
  // rounds run, so none runs beside the next round, then the last one timed on its own.
  const reportQueue = new Queue(QUEUE_NAMES.report, { connection: r.redis, prefix: r.queuePrefix });
  await reportQueue.pause();
  for (const [name, w] of [
    ['first', 1],
    ['1', 1],
    [String(workers), workers],
  ] as const) {
    const children = await startChildren(w, options);
    try {
      rounds[name] = await timeRound(r.redis, r.queuePrefix, `round-${name}`, data, children);
    } finally {
      await stopChildren(children);
    }
    const x = rounds[name];
    const step = (s: Step) => `${s} ${x.wall[s].toFixed(1)} s (CPU ${x.cpu[s].toFixed(1)} s)`;
    console.log(
      `${name === 'first' ? 'first run (fits v1), 1 worker' : `${w} worker process${w > 1 ? 'es' : ''}`}: stage ${x.whole.toFixed(1)} s = ` +
        `${step('plan')} + ${x.prepareJobs} ${step('prepare')} + ${step('fit')} + ${x.shardJobs} ${step('shards')} + ${step('commit')}; ` +
        `jobs per worker ${x.byWorker}; fit peak RSS ${x.fitPeakGb.toFixed(2)} GB; scores ${await scoresDigest(store, TENANT)}; ` +
        `Redis's own CPU: prepare ${x.redisCpu.prepare.toFixed(1)} s, fit ${x.redisCpu.fit.toFixed(1)} s, shards ${x.redisCpu.shards.toFixed(1)} s`,
    );
  }
  await reportQueue.obliterate({ force: true });
  await reportQueue.resume();
  await reportQueue.add(
    'report',
    { tenant: TENANT, runId: 'report', rates: {} },
    { jobId: reportJobId(stageJobId(TENANT, 'report', 'score')) },
  );
  const children = await startChildren(1, options);
  try {
    const id = reportJobId(stageJobId(TENANT, 'report', 'score'));
    let job = await reportQueue.getJob(id);
    while (job?.finishedOn === undefined) {
      await new Promise((res) => setTimeout(res, 200));
      job = await reportQueue.getJob(id);
    }
    await new Promise((res) => setTimeout(res, 3 * SAMPLE_MS));
    console.log(
      `the report job of the last run (sales performance, off the stage's path), 1 worker: ${((job.finishedOn - job.processedOn!) / 1000).toFixed(1)} s ` +
        `(CPU ${cpuBetween(children, job.processedOn!, job.finishedOn).toFixed(1)} s)${job.failedReason ? `, failed: ${job.failedReason}` : ''}`,
    );
  } finally {
    await stopChildren(children);
    await reportQueue.close();
  }
  const one = rounds['1'];
  const many = rounds[String(workers)];
  const serial = (x: Round) => x.cpu.plan + x.cpu.fit + x.cpu.commit;
  const parallel = (x: Round) => x.cpu.prepare + x.cpu.shards;
  console.log(
    `1 worker: serial steps (plan, fit, commit) ${serial(one).toFixed(1)} CPU-s, parallel steps (prepare, shards) ${parallel(one).toFixed(1)} CPU-s: ` +
      `serial share ${((100 * serial(one)) / (serial(one) + parallel(one))).toFixed(0)} %`,
  );
  console.log(
    `speed-up with ${workers} worker processes: stage ${(one.whole / many.whole).toFixed(2)}×, prepare ${(one.wall.prepare / many.wall.prepare).toFixed(2)}×, shards ${(one.wall.shards / many.wall.shards).toFixed(2)}×`,
  );
  // Speed-up = (CPU work with 1 / with W) × (cores busy with W / with 1): once W workers keep the machine's
  // cores busy, what one worker already keeps busy beside its own thread (Redis, GC, the fit's threads) is
  // what the speed-up cannot get back.
  const work = (x: Round) => STEPS.reduce((sum, step) => sum + x.cpu[step] + x.redisCpu[step], 0);
  const busy = (x: Round) => work(x) / x.whole;
  console.log(
    `cores busy over the stage (worker processes' CPU + Redis's, per second of wall; ${cpus().length} cores here): ` +
      `1 worker ${busy(one).toFixed(2)} (${work(one).toFixed(1)} CPU-s), ${workers} workers ${busy(many).toFixed(2)} (${work(many).toFixed(1)} CPU-s); ` +
      `so the speed-up is ${(work(one) / work(many)).toFixed(2)} (work) × ${(busy(many) / busy(one)).toFixed(2)} (cores)`,
  );
  await r.stop();
}

if (process.argv[2] === '--child') {
  serveScoreWorker(JSON.parse(process.argv[3]) as ChildOptions);
  const sample = () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ at: Date.now(), cpu: user + system, rss: process.memoryUsage().rss } satisfies Sample);
  };
  sample();
  setInterval(sample, SAMPLE_MS).unref();
} else if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
