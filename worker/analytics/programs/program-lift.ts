/**
 * Lift of a retention program, treatment minus control: retention rate with Newcombe's hybrid score interval
 * (proportion-intervals.ts), revenue per customer with a seeded percentile bootstrap (Efron & Tibshirani 1993,
 * "An Introduction to the Bootstrap", ch. 13; each arm resampled on its own, as the arms were drawn
 * independently), incremental revenue over the treated arm and ROI after the program's cost.
 */
import { createRandom } from '../math/random';
import type { CustomerOutcome } from './program-outcomes';
import { newcombeDifference, type Interval } from './proportion-intervals';

export type ArmSummary = {
  customers: number;
  retained: number;
  retentionRate: number;
  revenuePerCustomer: number;
};

export type ProgramLift = {
  treatment: ArmSummary;
  control: ArmSummary;
  /** Treatment minus control retention rate (0.08 = 8 points), 95% interval; undefined when an arm is empty. */
  retentionLift?: Interval;
  /** Treatment minus control revenue per customer, 95% bootstrap interval. */
  revenueLift?: Interval;
  /** revenueLift × treated customers: what the treatment added over doing nothing. */
  incrementalRevenue?: number;
  cost: number;
  /** (incrementalRevenue − cost) / cost; undefined when the program cost nothing. */
  roi?: number;
};

export type LiftOptions = { costPerTreated: number; seed: number; bootstrapSamples?: number };

export function programLift(outcomes: readonly CustomerOutcome[], options: LiftOptions): ProgramLift {
  const treated = outcomes.filter((o) => o.arm === 'treatment');
  const control = outcomes.filter((o) => o.arm === 'control');
  const t = summarise(treated);
  const c = summarise(control);
  const cost = options.costPerTreated * t.customers;
  const lift: ProgramLift = { treatment: t, control: c, cost };
  if (t.customers === 0 || c.customers === 0) return lift;
  lift.retentionLift = newcombeDifference(t.retained, t.customers, c.retained, c.customers);
  lift.revenueLift = bootstrapMeanDifference(
    Float64Array.from(treated, (o) => o.revenue),
    Float64Array.from(control, (o) => o.revenue),
    options.seed,
    options.bootstrapSamples ?? 2000,
  );
  lift.incrementalRevenue = lift.revenueLift.estimate * t.customers;
  if (cost > 0) lift.roi = (lift.incrementalRevenue - cost) / cost;
  return lift;
}

function summarise(outcomes: readonly CustomerOutcome[]): ArmSummary {
  let retained = 0;
  let revenue = 0;
  for (const o of outcomes) {
    if (o.retained) retained++;
    revenue += o.revenue;
  }
  const n = outcomes.length;
  return {
    customers: n,
    retained,
    retentionRate: n ? retained / n : 0,
    revenuePerCustomer: n ? revenue / n : 0,
  };
}

/** Percentile bootstrap 95% interval of mean(a) − mean(b); the same seed gives the same interval. */
export function bootstrapMeanDifference(
  a: Float64Array,
  b: Float64Array,
  seed: number,
  samples: number,
): Interval {
  const random = createRandom(seed);
  const diffs = new Float64Array(samples);
  for (let i = 0; i < samples; i++) diffs[i] = resampledMean(a, random) - resampledMean(b, random);
  diffs.sort();
  return { estimate: mean(a) - mean(b), low: quantile(diffs, 0.025), high: quantile(diffs, 0.975) };
}

function resampledMean(values: Float64Array, random: { integer(n: number): number }): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[random.integer(values.length)];
  return sum / values.length;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Linear interpolation between order statistics (Hyndman & Fan 1996, type 7). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
