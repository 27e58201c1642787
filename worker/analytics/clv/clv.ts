/**
 * Customer lifetime value from a transaction model and a spend estimate. Discounted CLV follows lifetimes'
 * `customer_lifetime_value` (and ../shared/DESIGN.md, Conventions): months of 4.345 weeks or 30 days,
 * CLV = margin × Σ_{i=1..H} m̂ · [E X(i·month) − E X((i−1)·month)] / (1+d)^i, where E X(t) is the customer's
 * expected number of purchases over the next t periods and m̂ the expected value of one purchase.
 */
import { z } from 'zod';

export type TimeUnit = 'week' | 'day';

/** Length of a month in the model's time unit (lifetimes: 52.14 weeks / 12 = 4.345 weeks, or 30 days). */
export const MONTH_LENGTH: Readonly<Record<TimeUnit, number>> = { week: 4.345, day: 30 };

export type ClvSettings = {
  /** Horizon H in months: a whole number from 1 to 600. */
  months: number;
  /** Monthly discount rate d as a fraction (0.01 = 1 % a month), 0 ≤ d ≤ 1. */
  monthlyDiscountRate: number;
  /** Time unit the transaction model was fitted in. */
  timeUnit: TimeUnit;
  /** Share of revenue that is profit, in (0, 1]; default 1 (CLV in revenue). */
  margin?: number;
};

export type ClvInput = ClvSettings & {
  /** E X(t): expected purchases over the next t periods (t in the model's unit; E X(0) should be 0). */
  expectedPurchases: (t: number) => number;
  /** m̂: expected value of one purchase (e.g. Gamma-Gamma expectedAverageValue). */
  averageValue: number;
  /** Cost of acquiring the customer; when given, clvNet = clv − acquisitionCost. */
  acquisitionCost?: number;
};

export type ClvBatchInput = ClvSettings & {
  /** E X(t) for every customer at once; called H + 1 times (t = 0, month, …, H·month). */
  expectedPurchases: (t: number) => Float64Array;
  /** m̂ per customer, same order as the expected purchases. */
  averageValues: Float64Array;
  /** One cost for all customers or one per customer (NaN = unknown, which gives NaN in clvNet). */
  acquisitionCost?: number | Float64Array;
};

export type ClvResult = {
  clv: number;
  /** clv − acquisition cost; null when the cost is not known. */
  clvNet: number | null;
};

export type ClvBatchResult = { clv: Float64Array; clvNet: Float64Array | null };

export class ClvError extends Error {
  readonly code: 'INVALID_CLV_INPUT' | 'INVALID_MODEL_OUTPUT';
  /** The input field at fault, e.g. 'months' or 'averageValues[12]'. */
  readonly field: string;
  constructor(code: ClvError['code'], field: string, message: string) {
    super(message);
    this.name = 'ClvError';
    this.code = code;
    this.field = field;
  }
}

const settingsSchema = z.object({
  months: z
    .number({ invalid_type_error: 'must be a number' })
    .int('must be a whole number of months')
    .min(1, 'must be at least 1')
    .max(600, 'must be at most 600 (50 years)'),
  monthlyDiscountRate: z
    .number({ invalid_type_error: 'must be a number' })
    .min(0, 'must be ≥ 0')
    .max(1, 'is a monthly rate written as a fraction (0.01 for 1 %), so it must be ≤ 1'),
  timeUnit: z.enum(['week', 'day'], { message: "must be 'week' or 'day'" }),
  margin: z
    .number({ invalid_type_error: 'must be a number' })
    .gt(0, 'must be > 0')
    .max(1, 'is a fraction of revenue (0.3 for 30 %), so it must be ≤ 1')
    .optional(),
});

const moneySchema = z
  .number({ invalid_type_error: 'must be a number' })
  .finite('must be finite')
  .min(0, 'must be ≥ 0');

/**
 * Discounted CLV of one customer.
 * @example discountedClv({ expectedPurchases: (t) => 0.1 * t, averageValue: 20, months: 12,
 *   monthlyDiscountRate: 0.01, timeUnit: 'week' })
 */
export function discountedClv(input: ClvInput): ClvResult {
  const settings = parseSettings(input);
  const averageValue = parse(moneySchema, input.averageValue, 'averageValue');
  const cost =
    input.acquisitionCost === undefined ? null : parse(moneySchema, input.acquisitionCost, 'acquisitionCost');
  const step = MONTH_LENGTH[settings.timeUnit];
  const growth = 1 + settings.monthlyDiscountRate;
  let previous = modelOutput(input.expectedPurchases(0), 0);
  let discount = 1;
  let purchases = 0;
  for (let i = 1; i <= settings.months; i++) {
    const t = i * step;
    const current = modelOutput(input.expectedPurchases(t), t);
    discount /= growth;
    purchases += (current - previous) * discount;
    previous = current;
  }
  const clv = purchases * averageValue * settings.margin;
  return { clv, clvNet: cost === null ? null : clv - cost };
}

/** Discounted CLV of many customers with H + 1 vectorised model calls. */
export function discountedClvs(input: ClvBatchInput): ClvBatchResult {
  const settings = parseSettings(input);
  const values = input.averageValues;
  const n = values.length;
  for (let j = 0; j < n; j++) {
    if (!(values[j] >= 0) || !Number.isFinite(values[j])) {
      throw invalid(`averageValues[${j}]`, `must be a finite number ≥ 0 (got ${values[j]})`);
    }
  }
  const cost = input.acquisitionCost;
  if (typeof cost === 'number') parse(moneySchema, cost, 'acquisitionCost');
  if (cost instanceof Float64Array) {
    if (cost.length !== n) throw invalid('acquisitionCost', `must have ${n} entries (got ${cost.length})`);
    for (let j = 0; j < n; j++) {
      if (!Number.isNaN(cost[j]) && !(cost[j] >= 0 && Number.isFinite(cost[j]))) {
        throw invalid(`acquisitionCost[${j}]`, `must be ≥ 0, or NaN when unknown (got ${cost[j]})`);
      }
    }
  }
  const step = MONTH_LENGTH[settings.timeUnit];
  const growth = 1 + settings.monthlyDiscountRate;
  // Own copy of the previous horizon: the model may hand back the same buffer on every call.
  const previous = Float64Array.from(batchOutput(input.expectedPurchases(0), 0, n));
  const clv = new Float64Array(n);
  let discount = 1;
  for (let i = 1; i <= settings.months; i++) {
    const t = i * step;
    const current = batchOutput(input.expectedPurchases(t), t, n);
    discount /= growth;
    for (let j = 0; j < n; j++) {
      clv[j] += (current[j] - previous[j]) * discount;
      previous[j] = current[j];
    }
  }
  for (let j = 0; j < n; j++) clv[j] *= values[j] * settings.margin;
  let clvNet: Float64Array | null = null;
  if (cost !== undefined) {
    clvNet = new Float64Array(n);
    for (let j = 0; j < n; j++) clvNet[j] = clv[j] - (typeof cost === 'number' ? cost : cost[j]);
  }
  return { clv, clvNet };
}

/** Historic CLV: revenue to date times the margin (default 1). */
export function historicClv(totalRevenue: number, margin = 1): number {
  if (!Number.isFinite(totalRevenue)) {
    throw invalid('totalRevenue', `must be a finite number (got ${totalRevenue})`);
  }
  const m = parse(settingsSchema.shape.margin, margin, 'margin') ?? 1;
  return totalRevenue * m;
}

type ParsedSettings = { months: number; monthlyDiscountRate: number; timeUnit: TimeUnit; margin: number };

export function parseSettings(input: ClvSettings): ParsedSettings {
  const result = settingsSchema.safeParse({
    months: input.months,
    monthlyDiscountRate: input.monthlyDiscountRate,
    timeUnit: input.timeUnit,
    margin: input.margin,
  });
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join('.');
    const got = (input as Record<string, unknown>)[field];
    throw invalid(field, `${issue.message} (got ${String(got)})`);
  }
  return { ...result.data, margin: result.data.margin ?? 1 };
}

function parse<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(field, `${result.error.issues[0].message} (got ${String(value)})`);
  return result.data;
}

function invalid(field: string, problem: string): ClvError {
  return new ClvError('INVALID_CLV_INPUT', field, `CLV input ${field} ${problem}.`);
}

function modelOutput(value: number, t: number): number {
  if (!Number.isFinite(value)) {
    throw new ClvError(
      'INVALID_MODEL_OUTPUT',
      'expectedPurchases',
      `the transaction model returned ${value} expected purchases at t=${t}; check the fitted parameters.`,
    );
  }
  return value;
}

function batchOutput(values: Float64Array, t: number, n: number): Float64Array {
  if (values.length !== n) {
    throw new ClvError(
      'INVALID_MODEL_OUTPUT',
      'expectedPurchases',
      `the transaction model returned ${values.length} values at t=${t} for ${n} customers.`,
    );
  }
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(values[j])) {
      throw new ClvError(
        'INVALID_MODEL_OUTPUT',
        'expectedPurchases',
        `the transaction model returned ${values[j]} expected purchases for customer ${j} at t=${t}; ` +
          'check the fitted parameters.',
      );
    }
  }
  return values;
}
