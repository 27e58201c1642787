/**
 * Standalone bench for retention enrolments in Redis (not wired into bench/run.ts):
 *
 *   node dist/bench/stages/enrolments-redis.js [customers=1000000]
 *
 * On a private redis-server (./private-redis), enrols `customers` synthetic customers, all eligible, into one
 * program through the write-back's enrolment step (assignRetentionGroups), then runs the step again as a
 * retried write-back (nobody added, no arm moved) and reads the enrolments back as the card does. Memory is
 * the program hash's MEMORY USAGE (every field counted: SAMPLES 0) and used_memory before and after; the old
 * layout's size is the one JSON value it would have rewritten on every change. Prints one JSON line.
 */
import { assignRetentionGroups, readEnrolments, writePrograms } from '../../worker/programs';
import { RedisRecordStore } from '../../worker/state';
import { benchRedis } from '../private-redis';
import { syntheticScoreRun } from '../synthetic-score-run';

const DAY = 86_400_000;

async function usedMemory(redis: import('ioredis').Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN);
}

async function main(customers: number): Promise<void> {
  const r = await benchRedis('enrolments');
  try {
    const store = new RedisRecordStore({ redis: r.redis, prefix: r.prefix });
    const tenant = 'hubspot-1';
    const scoredAt = new Date().toISOString();
    const { run, scores } = syntheticScoreRun(tenant, customers, scoredAt, (i) => ({
      customerId: String(100_000_000 + i),
      clvPredicted: 100,
      churnRisk: 'high',
    }));
    await writePrograms(store, tenant, [
      {
        id: 'winback',
        name: 'Win-back',
        eligibility: { churnRisk: ['high'] },
        treatmentShare: 0.8,
        windowDays: 60,
        // Open for a week: the retry below goes through the add (every customer already enrolled).
        enrolmentDays: 7,
        costPerTreated: 2,
        currency: 'EUR',
        offer: 'pricing-guidance',
        status: 'active',
        createdAt: new Date(Date.now() - DAY).toISOString(),
      },
    ]);
    const before = await usedMemory(r.redis);
    const ms = (from: bigint) => Math.round(Number(process.hrtime.bigint() - from) / 1e6);
    let t = process.hrtime.bigint();
    const first = await assignRetentionGroups(store, tenant, { run, scores });
    const enrolMs = ms(t);
    const after = await usedMemory(r.redis);
    t = process.hrtime.bigint();
    const retry = await assignRetentionGroups(store, tenant, { run, scores });
    const retryMs = ms(t);
    t = process.hrtime.bigint();
    const enrolments = await readEnrolments(store, tenant, 'winback');
    const readMs = ms(t);
    const key = store.keys(tenant).enrolments('winback');
    const hashBytes = Number(await r.redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    const legacy: Record<string, string> = {};
    for (const e of enrolments)
      legacy[e.customerId] = `${e.arm === 'treatment' ? 't' : 'c'}|${new Date(e.enrolledAt).toISOString()}`;
    const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    console.log(
      JSON.stringify({
        customers,
        redis: r.info,
        enrolled: first.enrolled.winback,
        enrolMs,
        retryAdded: retry.enrolled.winback,
        retryMs,
        readBack: enrolments.length,
        readMs,
        hashMiB: mib(hashBytes),
        bytesPerEnrolment: Math.round(hashBytes / customers),
        usedMemoryGrowthMiB: mib(after - before),
        oldLayoutJsonMiB: mib(Buffer.byteLength(JSON.stringify(legacy))),
      }),
    );
  } finally {
    await r.stop();
  }
}

const customers = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(customers) || customers < 1) {
  console.error(`customers must be a whole number from 1, got '${process.argv[2]}'`);
  process.exit(2);
}
main(customers).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
