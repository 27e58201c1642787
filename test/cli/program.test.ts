import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulateRetentionEffect } from '../../demo-data/retention-effect';
import type { Order } from '../../domain/records';
import { assignRetentionGroups, readEnrolments, readPrograms } from '../../worker/programs';
import { FileRecordStore, RedisRecordStore } from '../../worker/state';
import { runCliAsync, runOnStore, tempDir } from '../helpers/run-cli';
import { testRedis } from '../helpers/test-redis';
import { programRun, programScore } from '../programs/builders';

const TENANT = 'hubspot-42';
// The program is created now (`program add`); the next run, an hour later, enrols.
const SCORED_AT = new Date(Date.now() + 3_600_000).toISOString();
const run = (dir: string, args: string[]) => runOnStore(TENANT, dir, args);
const daysAfterScoring = (days: number) => new Date(Date.parse(SCORED_AT) + days * 86_400_000).toISOString();

async function scoredStore(dir: string, customers: number) {
  const store = new FileRecordStore(dir);
  const scores = Array.from({ length: customers }, (_, i) =>
    programScore(`c${i}`, {
      churnRisk: i % 5 === 0 ? 'low' : 'high',
      clvPredicted: 10 + i,
      churnProbability: 0.6,
    }),
  );
  await store.putScoreRun(TENANT, programRun(SCORED_AT, customers), scores);
  return { store, scores };
}

describe('crm-clv program and report programs', () => {
  it('adds a program with its detectable lift, enrols at write-back and reports interim then final lift', async () => {
    const dir = tempDir('programs');
    const { store, scores } = await scoredStore(dir, 5000);
    const add = await run(dir, [
      'program',
      'add',
      '--id',
      'winback',
      '--name',
      'Win-back call',
      '--eligible-churn-risk',
      'high',
      '--treatment-share',
      '0.8',
      '--window-days',
      '60',
      '--cost',
      '2',
    ]);
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    // 4,000 high-risk customers; baseline 1 − 0.6 = 40%.
    expect(add.stdout).toMatch(
      /4000 customers of the latest run are eligible\. With \d+ treated and \d+ control customers at a 40\.0% baseline retention rate a rise of [0-9.]+ points/,
    );

    const list = await run(dir, ['program', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id: 'winback', currency: 'EUR', status: 'active' }]);

    // The write-back's step, then orders with a +8-point effect on the treated arm.
    await assignRetentionGroups(store, TENANT, { run: programRun(SCORED_AT, scores.length), scores });
    const enrolments = await readEnrolments(store, TENANT, 'winback');
    expect(enrolments).toHaveLength(4000);
    const orders: Order[] = simulateRetentionEffect(enrolments, {
      baselineRate: 0.4,
      liftPoints: 8,
      windowDays: 60,
      meanOrderValue: 80,
      seed: 3,
    }).map((o, i) => ({
      id: `o${i}`,
      customerId: o.customerId,
      placedAt: new Date(o.placedAt).toISOString(),
      amount: Math.round(o.amount * 100) / 100,
      currency: 'EUR',
      status: 'won',
    }));
    await store.putRecords(TENANT, 'order', orders);

    const interim = await run(dir, ['report', 'programs', '--as-of', daysAfterScoring(30)]);
    expect(interim.status).toBe(0);
    expect(interim.stdout).toMatch(/INTERIM: the window has not closed/);

    const final = await run(dir, ['report', 'programs', '--as-of', daysAfterScoring(90), '--json']);
    const [result] = JSON.parse(final.stdout);
    expect(result.status).toBe('final');
    expect(result.lift.retentionLift.low).toBeGreaterThan(0);
    expect(result.lift.retentionLift.low).toBeLessThan(0.08);
    expect(result.lift.retentionLift.high).toBeGreaterThan(0.08);
    expect(result.lift.cost).toBe(2 * result.lift.treatment.customers);
    const text = await run(dir, ['report', 'programs', '--as-of', daysAfterScoring(90)]);
    expect(text.stdout).toMatch(/Win-back call \(winback\) — final/);
    expect(text.stdout).toMatch(/retention lift \+\d+\.\d pts \(95% CI \+\d+\.\d pts to \+\d+\.\d pts\)/);

    const ended = await run(dir, ['program', 'end', '--id', 'winback']);
    expect(ended.status).toBe(0);
    const members = JSON.parse((await run(dir, ['program', 'members', '--id', 'winback'])).stdout);
    expect(members.treatment.length + members.control.length).toBe(4000);
  });

  it('says a small program cannot measure a useful effect', async () => {
    const dir = tempDir('programs-small');
    await scoredStore(dir, 100);
    const add = await run(dir, ['program', 'add', '--id', 'vip', '--eligible-clv-top', '0.1']);
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(/too small to measure/);
  });

  it('refuses a bad program with exit 2, naming the field', async () => {
    const dir = tempDir('programs-bad');
    await scoredStore(dir, 10);
    const bad = await run(dir, ['program', 'add', '--id', 'x', '--treatment-share', '1.5']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/retention program 'x': treatmentShare: must be between 0 and 1/);
    const config = join(dir, 'p.json');
    writeFileSync(config, JSON.stringify({ id: 'y', name: 'Y', eligibility: { churnRisk: ['severe'] } }));
    const badConfig = await run(dir, ['program', 'add', '--config', config]);
    expect(badConfig.status).toBe(2);
    expect(badConfig.stderr).toMatch(
      /eligibility\.churnRisk\.0: must be one of 'low', 'medium', 'high'|eligibility\.churnRisk\.0: Invalid enum/,
    );
    const missing = await run(dir, ['program', 'end', '--id', 'nope']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/has no retention program 'nope'/);
  });
});

describe('crm-clv program --redis', () => {
  it("keeps programs in the worker's Redis store, where the write-back reads them", async () => {
    const t = await testRedis();
    try {
      const env = { CRM_CLV_REDIS_PREFIX: t.prefix };
      const add = await runCliAsync(
        ['program', 'add', '--tenant', TENANT, '--redis', '--id', 'redis-one', '--currency', 'EUR'],
        env,
      );
      expect(add.stderr).toBe('');
      expect(add.stdout).toMatch(/No score run yet/);
      const store = new RedisRecordStore({ redis: t.redis, prefix: t.prefix });
      expect((await readPrograms(store, TENANT)).map((p) => p.id)).toEqual(['redis-one']);
      const ended = await runCliAsync(
        ['program', 'end', '--tenant', TENANT, '--redis', '--id', 'redis-one'],
        env,
      );
      expect(ended.status).toBe(0);
      expect((await readPrograms(store, TENANT))[0].status).toBe('ended');
    } finally {
      await t.cleanup();
    }
  });
});
