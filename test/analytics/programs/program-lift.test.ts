import { simulateRetentionEffect } from '../../../demo-data/retention-effect';
import {
  assignArm,
  newcombeDifference,
  programLift,
  programOutcomes,
  windowClosesAt,
  type Enrolment,
} from '../../../worker/analytics/programs';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

function enrol(n: number, share: number, program: string): Enrolment[] {
  return Array.from({ length: n }, (_, i) => ({
    customerId: `c${i}`,
    arm: assignArm('demo', program, `c${i}`, share),
    enrolledAt: START + (i % 7) * DAY,
  }));
}

describe('programOutcomes', () => {
  it('counts only won orders after enrolment and within the window', () => {
    const enrolments: Enrolment[] = [
      { customerId: 'a', arm: 'treatment', enrolledAt: START },
      { customerId: 'b', arm: 'control', enrolledAt: START },
      { customerId: 'c', arm: 'control', enrolledAt: START },
    ];
    const orders = [
      { customerId: 'a', placedAt: START + 10 * DAY, amount: 40 },
      { customerId: 'a', placedAt: START + 30 * DAY, amount: 60 }, // last day of the window: in
      { customerId: 'b', placedAt: START, amount: 99 }, // enrolment instant: out
      { customerId: 'c', placedAt: START + 31 * DAY, amount: 99 }, // after the window: out
    ];
    expect(programOutcomes(enrolments, orders, 30, START + 60 * DAY)).toEqual([
      { arm: 'treatment', retained: true, revenue: 100 },
      { arm: 'control', retained: false, revenue: 0 },
      { arm: 'control', retained: false, revenue: 0 },
    ]);
    expect(windowClosesAt(enrolments, 30)).toBe(START + 30 * DAY);
  });

  it('ignores orders after asOf (an interim look sees only what has happened)', () => {
    const enrolments: Enrolment[] = [{ customerId: 'a', arm: 'treatment', enrolledAt: START }];
    const orders = [{ customerId: 'a', placedAt: START + 20 * DAY, amount: 10 }];
    expect(programOutcomes(enrolments, orders, 30, START + 10 * DAY)[0].retained).toBe(false);
  });
});

describe('programLift', () => {
  it('computes rates, revenue per customer, incremental revenue and ROI by hand', () => {
    // Treatment: 3 of 4 retained, revenue 100+50+30+0 = 180 → 45 per customer; control: 1 of 4, 20 → 5.
    const outcomes = [
      ...[100, 50, 30, 0].map((r) => ({ arm: 'treatment' as const, retained: r > 0, revenue: r })),
      ...[20, 0, 0, 0].map((r) => ({ arm: 'control' as const, retained: r > 0, revenue: r })),
    ];
    const lift = programLift(outcomes, { costPerTreated: 10, seed: 1, bootstrapSamples: 500 });
    expect(lift.treatment).toEqual({
      customers: 4,
      retained: 3,
      retentionRate: 0.75,
      revenuePerCustomer: 45,
    });
    expect(lift.control).toEqual({ customers: 4, retained: 1, retentionRate: 0.25, revenuePerCustomer: 5 });
    expect(lift.retentionLift?.estimate).toBeCloseTo(0.5, 12);
    expect(lift.revenueLift?.estimate).toBeCloseTo(40, 9);
    expect(lift.incrementalRevenue).toBeCloseTo(160, 9); // 40 × 4 treated
    expect(lift.cost).toBe(40);
    expect(lift.roi).toBeCloseTo(3, 9); // (160 − 40) / 40
    expect(lift.revenueLift!.low).toBeLessThan(40);
    expect(lift.revenueLift!.high).toBeGreaterThan(40);
    // Seeded: the same seed gives the same interval.
    expect(programLift(outcomes, { costPerTreated: 10, seed: 1, bootstrapSamples: 500 }).revenueLift).toEqual(
      lift.revenueLift,
    );
  });

  it('leaves the lift out when an arm is empty', () => {
    const lift = programLift([{ arm: 'treatment', retained: true, revenue: 5 }], {
      costPerTreated: 0,
      seed: 1,
    });
    expect(lift.retentionLift).toBeUndefined();
    expect(lift.roi).toBeUndefined();
  });
});

describe('measured lift against an injected effect (demo size, 5,000 enrolled, 80% treated)', () => {
  it('covers an injected +8-point retention lift and excludes 0', () => {
    const enrolments = enrol(5000, 0.8, 'winback');
    const orders = simulateRetentionEffect(enrolments, {
      baselineRate: 0.35,
      liftPoints: 8,
      windowDays: 60,
      meanOrderValue: 80,
      seed: 42,
    });
    const lift = programLift(programOutcomes(enrolments, orders, 60, START + 100 * DAY), {
      costPerTreated: 2,
      seed: 7,
    });
    expect(lift.retentionLift!.low).toBeGreaterThan(0);
    expect(lift.retentionLift!.low).toBeLessThan(0.08);
    expect(lift.retentionLift!.high).toBeGreaterThan(0.08);
    // Revenue per customer rises by 8 points × 80 mean order value = 6.4 in expectation.
    expect(lift.revenueLift!.low).toBeLessThan(6.4);
    expect(lift.revenueLift!.high).toBeGreaterThan(6.4);
  });

  it('A/A calibration: with no effect the 95% interval covers 0 in 92–98% of 200 seeds', () => {
    let covered = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const enrolments = enrol(2000, 0.8, `aa-${seed}`);
      const orders = simulateRetentionEffect(enrolments, {
        baselineRate: 0.3,
        liftPoints: 0,
        windowDays: 60,
        meanOrderValue: 50,
        seed,
      });
      const outcomes = programOutcomes(enrolments, orders, 60, START + 100 * DAY);
      const t = outcomes.filter((o) => o.arm === 'treatment');
      const c = outcomes.filter((o) => o.arm === 'control');
      const interval = newcombeDifference(
        t.filter((o) => o.retained).length,
        t.length,
        c.filter((o) => o.retained).length,
        c.length,
      );
      if (interval.low <= 0 && interval.high >= 0) covered++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.92);
    expect(covered / 200).toBeLessThanOrEqual(0.98);
  });
});
