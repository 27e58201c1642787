/**
 * Demo outcomes of a retention program with a known effect: each enrolled customer places an order within the
 * window with the baseline probability, raised by `liftPoints` for the treated arm, so the true retention lift
 * is exactly `liftPoints` and a measurement can be checked against it (0 for an A/A calibration run).
 */
import type { Enrolment, WonOrder } from '../worker/analytics/programs';
import { seededRandom } from './seeded-random';

const DAY_MS = 86_400_000;

export type RetentionEffectOptions = {
  /** Probability that a control customer orders within the window. */
  baselineRate: number;
  /** Added to the treated arm's probability: 8 = +8 points. */
  liftPoints: number;
  windowDays: number;
  /** Mean order value; amounts are gamma(shape 2) around it. */
  meanOrderValue: number;
  seed: number;
};

/** Won orders of the enrolled customers within their windows, from one seeded stream. */
export function simulateRetentionEffect(
  enrolments: readonly Enrolment[],
  options: RetentionEffectOptions,
): WonOrder[] {
  const treatedRate = options.baselineRate + options.liftPoints / 100;
  if (!(options.baselineRate >= 0 && treatedRate <= 1 && treatedRate >= 0))
    throw new RangeError(
      `baselineRate ${options.baselineRate} with a lift of ${options.liftPoints} points is not a probability`,
    );
  const random = seededRandom(options.seed);
  const orders: WonOrder[] = [];
  for (const e of enrolments) {
    const rate = e.arm === 'treatment' ? treatedRate : options.baselineRate;
    if (random.uniform() >= rate) continue;
    // (0, 1] of the window: never on the enrolment instant itself, which does not count.
    const offset = (1 - random.uniform()) * options.windowDays * DAY_MS;
    orders.push({
      customerId: e.customerId,
      placedAt: e.enrolledAt + Math.max(1, Math.floor(offset)),
      amount: random.gamma(2, 2 / options.meanOrderValue),
    });
  }
  return orders;
}
