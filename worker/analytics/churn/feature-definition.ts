/**
 * What a churn feature declares about itself. Every feature, built in (./feature-catalogue) or supplied by
 * a caller (ChurnTrainingOptions.extraFeatures), is one of these, and the pipeline reads the declarations
 * rather than special-casing names:
 * - `asOf`: 'history' — its value at a cutoff is computed from the events on or before that cutoff, so it
 *   is known at a back-dated training cutoff; ./feature-availability proves this before every training by
 *   recomputing it with the later events removed. 'snapshot' — the value as it is now, with no history (CRM
 *   engagement counters): unknown at a training cutoff, so never used to train.
 * - `direction`: the business meaning, +1 "more of it, more churn" (days since the last order), −1 "more of
 *   it, less churn" (orders), 0 none (a channel). The regression's coefficients are held to it, so a
 *   driver can only ever point the way the business reads it.
 * - `words`: how a customer's value reads in a driver text, and how it compares with peers.
 */
import type { CustomerHistories } from './customer-histories';
import type { OrderStatistics } from './order-statistics';
import type { ChurnInput } from './types';

export type FeatureSource = 'history' | 'snapshot';

/** Everything a feature may read at one cutoff. */
export type FeatureContext = {
  input: ChurnInput;
  h: CustomerHistories;
  cutoffDay: number;
  /** Customer index per row: the customers with an order on or before the cutoff. */
  customer: Int32Array;
  /** Per row: one past the customer's last history entry on or before the cutoff (h.start[c] … end − 1). */
  end: Int32Array;
  /** Row per customer index, −1 for customers without a row. */
  rowOf: Int32Array;
  /** Length of each of the two periods the trend features compare. */
  trendDays: number;
  /** P(alive) per customer index at this cutoff, when the caller supplies it. */
  pAlive?: Float64Array;
  /** The shared per-row order statistics (computed on first use). */
  stats(): OrderStatistics;
};

/** Per row: the value quoted in texts (`raw`) and the value the model uses (`value`, default `raw`). */
export type FeatureValues = { raw: Float64Array; value?: Float64Array };

/** What a driver text may look up besides its own value. */
export type DriverTextContext = {
  /** Raw value of another feature of the same row (NaN when the model has no such feature). */
  row(name: string): number;
  trendDays: number;
  /** The name of channel index k (ChurnInput.channels). */
  channelName(k: number): string;
};

export type FeatureWords = {
  /**
   * The customer's value in words ("12 orders", "no order for 142 days"); `risk` is true when it is given as
   * a reason for risk, false when as a reason the customer looks safe.
   */
  value(raw: number, risk: boolean, text: DriverTextContext): string;
  /** Comparatives for a value above / below the peers' ("more than" / "fewer than"); none: no comparison. */
  compare?: readonly [higher: string, lower: string];
  /** An absent event (raw 0: no refunds, no tickets) is never given as a reason, either way. */
  silentAtZero?: boolean;
  /**
   * Told inside another feature's text when both are reasons on the same side (the gap ratio inside "no
   * order for 142 days (3× their usual gap)"): its contribution is added to that feature's, not listed twice.
   */
  partOf?: string;
};

export type ChurnFeatureDefinition = {
  /** Stable key (model columns, reports, ChurnDriver.feature); never shown to a customer-facing reader. */
  name: string;
  asOf: FeatureSource;
  direction: 1 | -1 | 0;
  /**
   * Model it as a monotone spline: one column per segment between the quartiles of its values at the
   * training cutoff, each slope held to `direction` (any monotone shape, not just a straight line).
   */
  spline?: boolean;
  /** The one-hot main channel (built in only: its columns come from ChurnFeatureSpec.channelColumns). */
  categorical?: boolean;
  words: FeatureWords;
  compute(context: FeatureContext): FeatureValues;
};
