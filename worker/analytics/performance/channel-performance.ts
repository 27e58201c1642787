/**
 * Acquisition channels (a customer's first-touch source, Customer.acquisitionChannel): customers acquired
 * (those with a first won deal or order, first-purchases.ts), their mean and total predicted CLV, and against
 * an acquisition-spend table: CAC = spend / customers acquired in the months the channel's spend covers,
 * CLV:CAC = mean CLV of those customers / CAC, payback months = CAC / (mean CLV / CLV horizon months), the
 * months of predicted value a customer takes to repay what winning them cost.
 * Intervals are percentile bootstrap intervals (Efron & Tibshirani 1993, "An Introduction to the Bootstrap",
 * ch. 13) over the channel's customers, from a seeded stream so a run is repeatable; spend is taken as known.
 */
import type { Score } from '../../../domain/score';
import { createRandom } from '../math/random';
import type { FirstPurchase } from './first-purchases';
import type { Interval } from './win-rate-interval';

export const UNKNOWN_CHANNEL = 'unknown';

/** Spend on acquiring customers through one channel in one calendar month (YYYY-MM), in base currency. */
export type AcquisitionSpend = { channel: string; month: string; spend: number };

export type ChannelFigures = {
  channel: string;
  customersAcquired: number;
  totalClv: number;
  meanClv: number;
  meanClvInterval: Interval;
  /** Present when the spend table has rows for the channel. */
  spend?: number;
  /** Customers acquired in the months the spend covers (CAC's denominator). */
  customersInSpendMonths?: number;
  cac?: number;
  clvToCac?: number;
  clvToCacInterval?: Interval;
  paybackMonths?: number;
  paybackMonthsInterval?: Interval;
};

export type ChannelPerformanceInput = {
  channelOf: ReadonlyMap<string, string | undefined>;
  firstPurchases: ReadonlyMap<string, FirstPurchase>;
  scores: readonly Score[];
  spend: readonly AcquisitionSpend[];
  clvMonths: number;
  bootstrap?: { samples: number; seed: number };
};

export function channelPerformance(input: ChannelPerformanceInput): ChannelFigures[] {
  const clvOf = new Map(input.scores.map((s) => [s.customerId, s.clvPredicted]));
  const customers = new Map<string, { clv: number; month: string }[]>();
  for (const first of input.firstPurchases.values()) {
    const channel = input.channelOf.get(first.customerId) || UNKNOWN_CHANNEL;
    let list = customers.get(channel);
    if (list === undefined) customers.set(channel, (list = []));
    list.push({ clv: clvOf.get(first.customerId) ?? 0, month: first.at.slice(0, 7) });
  }
  const spendOf = new Map<string, Map<string, number>>();
  for (const row of input.spend) {
    let months = spendOf.get(row.channel);
    if (months === undefined) spendOf.set(row.channel, (months = new Map()));
    months.set(row.month, (months.get(row.month) ?? 0) + row.spend);
  }
  const samples = input.bootstrap?.samples ?? 1000;
  const random = createRandom(input.bootstrap?.seed ?? 1);
  const channels = [...new Set([...customers.keys(), ...spendOf.keys()])].sort();
  return channels.map((channel) => {
    const list = customers.get(channel) ?? [];
    const total = list.reduce((s, c) => s + c.clv, 0);
    const row: ChannelFigures = {
      channel,
      customersAcquired: list.length,
      totalClv: total,
      meanClv: list.length ? total / list.length : 0,
      meanClvInterval: bootstrapMean(
        list.map((c) => c.clv),
        samples,
        random,
      ),
    };
    const months = spendOf.get(channel);
    if (months === undefined) return row;
    const spend = [...months.values()].reduce((s, v) => s + v, 0);
    const paid = list.filter((c) => months.has(c.month)).map((c) => c.clv);
    row.spend = spend;
    row.customersInSpendMonths = paid.length;
    if (paid.length === 0) return row;
    const cac = spend / paid.length;
    const meanPaid = paid.reduce((s, v) => s + v, 0) / paid.length;
    const interval = bootstrapMean(paid, samples, random);
    row.cac = cac;
    if (cac > 0) {
      row.clvToCac = meanPaid / cac;
      row.clvToCacInterval = { low: interval.low / cac, high: interval.high / cac };
    }
    if (meanPaid > 0) {
      row.paybackMonths = cac / (meanPaid / input.clvMonths);
      row.paybackMonthsInterval = {
        low: interval.high > 0 ? cac / (interval.high / input.clvMonths) : Infinity,
        high: interval.low > 0 ? cac / (interval.low / input.clvMonths) : Infinity,
      };
    }
    return row;
  });
}

/**
 * From this many values the mean's interval is the normal one, mean ± 1.96·s/√n: resampling costs n × samples
 * draws (10⁹ for a million customers, minutes after every score run), and at this size the percentile
 * bootstrap and the central-limit interval differ by the sample skewness over √n (Efron & Tibshirani 1993,
 * ch. 12–13), a small fraction of the interval's width.
 */
export const NORMAL_INTERVAL_FROM = 10_000;

/**
 * 2.5th and 97.5th percentiles of the means of `samples` resamples (with replacement) of `values`; the normal
 * interval from NORMAL_INTERVAL_FROM values on.
 */
export function bootstrapMean(
  values: readonly number[],
  samples: number,
  random: { integer(n: number): number },
): Interval {
  if (values.length === 0) return { low: 0, high: 0 };
  if (values.length >= NORMAL_INTERVAL_FROM) return normalMeanInterval(values);
  const means = new Float64Array(samples);
  for (let b = 0; b < samples; b++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[random.integer(values.length)];
    means[b] = sum / values.length;
  }
  means.sort();
  const at = (q: number) => means[Math.min(samples - 1, Math.max(0, Math.floor(q * samples)))];
  return { low: at(0.025), high: at(0.975) };
}

function normalMeanInterval(values: readonly number[]): Interval {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  const halfWidth = (1.959964 * Math.sqrt(squares / (n - 1))) / Math.sqrt(n);
  return { low: mean - halfWidth, high: mean + halfWidth };
}
