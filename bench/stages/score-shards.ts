/**
 * Bench: one tenant's score stage spread over 1 and over W worker processes. The tenant's store is seeded
 * from a generated transactions file (one customer record per customer, one order per order with its lines,
 * the products) in a private Redis; a first run makes the tenant's model version, as a tenant has before its
 * nightly rescore. Then the same rescore runs with 1 worker process and with W, each a `crm-clv worker`-style
 * process (startWorkers, the fit step in a worker thread, one job at a time per queue). Prints, per worker
 * count, the whole stage and its steps: fit (read the store, score the engine, stage the shards; one job),
 * the shards (every customer's Scores built, checked and stored; spread over the workers) and the commit.
 *
 * Usage: node dist/bench/stages/score-shards.js [transactions.csv] [workers=2] [shardCustomers=5000]
 * (default file: .bench-data/transactions-4200000-seed42.csv, `npm run bench -- --only generate
 * --transactions 4200000` makes it: 995,828 customers).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Customer, Order, Product } from '../../domain/records';
import { crmTenantId, type TenantId } from '../../domain/tenant';
import { SHARD_CUSTOMERS } from '../../worker/jobs/score-shards';
import { enqueueRun, runStatus } from '../../worker/queue/pipeline-runs';
import { QUEUE_NAMES, stageJobId } from '../../worker/queue/stages';
import { shardJobId } from '../../worker/queue/score-flow';
import { RedisRecordStore } from '../../worker/state';
import { serveScoreWorker, type ScoreWorkerOptions } from '../bench-tenants';
import { benchRedis } from '../private-redis';

const TENANT = crmTenantId('hubspot', '9001');
const CREATED = '2022-12-01T00:00:00.000Z';
const CHUNK = 10_000;

type ChildOptions = ScoreWorkerOptions;

/** The generated file's rows as store records: an order's rows are consecutive in the file. */
export async function seedTenant(store: RedisRecordStore, tenant: TenantId, file: string): Promise<number> {
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

async function startChildren(count: number, options: ChildOptions): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () =>
    fork(__filename, ['--child', JSON.stringify(options)], { stdio: 'inherit' }),
  );
  await Promise.all(children.map((c) => new Promise((resolve) => c.once('message', resolve))));
  return children;
}

async function stopChildren(children: ChildProcess[]): Promise<void> {
  for (const c of children) c.send('stop');
  await Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve))));
}

type Round = {
  whole: number;
  fit: number;
  shards: number;
  commit: number;
  shardJobs: number;
  byWorker: string;
};

async function timeRound(
  redis: Redis,
  queuePrefix: string,
  runId: string,
  data: Record<string, unknown>,
): Promise<Round> {
  await enqueueRun(redis, queuePrefix, { tenant: TENANT, runId, stages: ['score'], data });
  for (;;) {
    const status = await runStatus(redis, queuePrefix, TENANT, runId, ['score']);
    if (status.state === 'completed') break;
    if (status.state === 'failed') throw new Error(`${runId}: ${status.stages[0].failedReason}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const scoreQueue = new Queue(QUEUE_NAMES.score, { connection: redis, prefix: queuePrefix });
  const shardQueue = new Queue(QUEUE_NAMES.scoreShard, { connection: redis, prefix: queuePrefix });
  try {
    const id = stageJobId(TENANT, runId, 'score');
    const score = (await scoreQueue.getJob(id))!;
    const shards = (score.data as { shards: number }).shards;
    const jobs: Job[] = [];
    for (let s = 0; s < shards; s++) jobs.push((await shardQueue.getJob(shardJobId(id, s)))!);
    const firstShard = Math.min(...jobs.map((j) => j.processedOn!));
    const lastShard = Math.max(...jobs.map((j) => j.finishedOn!));
    // The score job's processedOn is its last (commit) step's start; its timestamp is when it was added.
    const stageStart = score.timestamp;
    const byWorker = new Map<string, number>();
    for (const j of jobs) {
      const w = j.processedBy ?? '?';
      byWorker.set(w, (byWorker.get(w) ?? 0) + 1);
    }
    return {
      whole: (score.finishedOn! - stageStart) / 1000,
      fit: (firstShard - stageStart) / 1000,
      shards: (lastShard - firstShard) / 1000,
      commit: (score.finishedOn! - lastShard) / 1000,
      shardJobs: shards,
      byWorker: [...byWorker.values()].join(' + '),
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
  for (const [name, w] of [
    ['first', 1],
    ['1', 1],
    [String(workers), workers],
  ] as const) {
    const children = await startChildren(w, options);
    try {
      rounds[name] = await timeRound(r.redis, r.queuePrefix, `round-${name}`, data);
    } finally {
      await stopChildren(children);
    }
    const x = rounds[name];
    console.log(
      `${name === 'first' ? 'first run (fits v1), 1 worker' : `${w} worker process${w > 1 ? 'es' : ''}`}: stage ${x.whole.toFixed(1)} s = fit ${x.fit.toFixed(1)} s + ${x.shardJobs} shards ${x.shards.toFixed(1)} s (jobs per worker ${x.byWorker}) + commit ${x.commit.toFixed(1)} s; scores ${await scoresDigest(store, TENANT)}`,
    );
  }
  const one = rounds['1'];
  const many = rounds[String(workers)];
  console.log(
    `speed-up with ${workers} worker processes: stage ${(one.whole / many.whole).toFixed(2)}×, shards ${(one.shards / many.shards).toFixed(2)}×`,
  );
  await r.stop();
}

if (process.argv[2] === '--child') serveScoreWorker(JSON.parse(process.argv[3]) as ChildOptions);
else if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
