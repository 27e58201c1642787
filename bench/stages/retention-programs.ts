/**
 * Standalone bench for retention programs (not wired into bench/run.ts):
 *
 *   node dist/bench/stages/retention-programs.js [customers=100000]
 *
 * Scores `customers` synthetic customers into a file store in a temp directory, adds a program (high churn
 * risk and the top 40% by CLV, 80% treated, 60-day window), times the write-back's enrolment step, generates
 * the enrolled customers' orders with a +8-point retention effect, and times the measurement (orders read,
 * Newcombe interval, 2,000 bootstrap resamples). Prints one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateRetentionEffect } from '../../demo-data/retention-effect';
import { assignRetentionGroups, measurePrograms, readEnrolments, writePrograms } from '../../worker/programs';
import { FileRecordStore } from '../../worker/state';
import { syntheticScoreRun } from '../synthetic-score-run';

const DAY = 86_400_000;

async function main(customers: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-programs-'));
  try {
    const store = new FileRecordStore(dir);
    const tenant = 'hubspot-1';
    const scoredAt = new Date(Date.now() - 120 * DAY).toISOString();
    const bands = ['low', 'medium', 'high'] as const;
    const { run, scores } = syntheticScoreRun(tenant, customers, scoredAt, (i) => ({
      customerId: `c${i}`,
      clvPredicted: (i * 7919) % 1000,
      churnRisk: bands[i % 3],
    }));
    await writePrograms(store, tenant, [
      {
        id: 'winback',
        name: 'Win-back',
        eligibility: { churnRisk: ['high'], clvTopShare: 0.4 },
        treatmentShare: 0.8,
        windowDays: 60,
        enrolmentDays: 0,
        costPerTreated: 2,
        currency: 'EUR',
        offer: 'none',
        status: 'active',
        createdAt: new Date(Date.now() - 121 * DAY).toISOString(),
      },
    ]);
    const ms = (from: bigint) => Math.round(Number(process.hrtime.bigint() - from) / 1e6);
    let t = process.hrtime.bigint();
    const first = await assignRetentionGroups(store, tenant, { run, scores });
    const enrolMs = ms(t);
    t = process.hrtime.bigint();
    await assignRetentionGroups(store, tenant, { run, scores });
    const reEnrolMs = ms(t);
    const enrolments = await readEnrolments(store, tenant, 'winback');
    const orders = simulateRetentionEffect(enrolments, {
      baselineRate: 0.35,
      liftPoints: 8,
      windowDays: 60,
      meanOrderValue: 80,
      seed: 1,
    });
    await store.putRecords(
      tenant,
      'order',
      orders.map((o, i) => ({
        id: `o${i}`,
        customerId: o.customerId,
        placedAt: new Date(o.placedAt).toISOString(),
        amount: o.amount,
        currency: 'EUR',
        status: 'won' as const,
      })),
    );
    t = process.hrtime.bigint();
    const [result] = await measurePrograms(store, tenant, new Date());
    const measureMs = ms(t);
    process.stdout.write(
      JSON.stringify({
        customers,
        enrolled: first.enrolled.winback,
        enrolMs,
        reEnrolMs,
        measureMs,
        status: result.status,
        retentionLift: result.lift.retentionLift,
        revenueLift: result.lift.revenueLift,
        detectable: result.detectable.effect,
      }) + '\n',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main(Number(process.argv[2] ?? 100_000));
