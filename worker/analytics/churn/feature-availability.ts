/**
 * Which features a back-dated model may be trained on, checked before every training (the leakage guard).
 * The churn model is trained at a cutoff one window before the data end, on labels from the window after
 * it; a feature whose value at that cutoff depends on anything later describes the outcome it is meant to
 * predict. HubSpot's page views are the example: a snapshot counter that grows with every visit, including
 * the visits of the very purchases the label records, which scored an out-of-time AUC of 0.68 on its own on
 * the demo portal and lifted the reported AUC to 0.85–0.93.
 *
 * The rule follows each feature's declared as-of semantics (./feature-definition):
 * - 'snapshot' features (engagement counters) have no value at a past cutoff: they are never trained on,
 *   and featureAvailability lists them with usedInTraining false.
 * - 'history' features claim a value computed from the events on or before the cutoff. The claim is tested,
 *   not trusted: every training feature is recomputed at the training cutoff from the input with all later
 *   orders, cancellations and service cases removed, and must come out the same for every customer. A
 *   feature that peeks past the cutoff (a lifetime order count, a "next order" date) fails here with a
 *   ChurnError FEATURE_LEAKS_FUTURE naming it, before any fitting.
 * What the test cannot see is data from outside the churn input (a caller's per-cutoff P(alive), a CRM
 * counter): such a value is only as good as its declaration, which is why engagement is declared 'snapshot'.
 */
import { MS_PER_DAY } from '../clean/parse-timestamp';
import { computeFeature, featureContext, type ChurnFeatureSpec } from './churn-features';
import { groupOrdersByCustomer, type CustomerHistories } from './customer-histories';
import type { ChurnFeatureDefinition, FeatureSource } from './feature-definition';
import { ChurnError, type ChurnInput } from './types';

const { floor, abs, max } = Math;

export type FeatureAvailability = {
  name: string;
  /** 'history': known at every cutoff from the events up to it; 'snapshot': only today's value exists. */
  source: FeatureSource;
  usedInTraining: boolean;
  /** Why a feature is not used. */
  note?: string;
};

/** Every candidate feature, with whether the trained columns use it and why not. */
export function featureAvailability(
  candidates: readonly ChurnFeatureDefinition[],
  spec: ChurnFeatureSpec,
): FeatureAvailability[] {
  const used = new Set(spec.features.map((d) => d.name));
  return candidates.map((def) => {
    const usedInTraining = used.has(def.name);
    const out: FeatureAvailability = { name: def.name, source: def.asOf, usedInTraining };
    if (!usedInTraining) {
      out.note =
        def.asOf === 'snapshot'
          ? 'a snapshot with no history: its value at the training cutoff is unknown, so it is not used'
          : 'no variation among the customers at the training cutoff';
    }
    return out;
  });
}

/**
 * Throws FEATURE_LEAKS_FUTURE unless every feature of `spec` is a history feature whose values at
 * `cutoffDay` are the same with and without the events after it.
 */
export function assertKnownAsOf(
  spec: ChurnFeatureSpec,
  input: ChurnInput,
  h: CustomerHistories,
  cutoffDay: number,
  trendDays: number,
  pAlive?: Float64Array,
): void {
  const on = isoDay(cutoffDay);
  for (const def of spec.features) {
    if (def.asOf !== 'history') {
      throw new ChurnError(
        'FEATURE_LEAKS_FUTURE',
        `feature "${def.name}" is a snapshot without history: its value on ${on}, the training cutoff, is ` +
          'unknown, so the churn model cannot be trained on it.',
        def.name,
      );
    }
  }
  const past = inputAsOf(input, cutoffDay);
  const full = featureContext(input, h, cutoffDay, trendDays, pAlive);
  const truncated = featureContext(
    past,
    groupOrdersByCustomer(past.orders, past.customers),
    cutoffDay,
    trendDays,
    pAlive,
  );
  for (const def of spec.features) {
    const a = computeFeature(def, full);
    const b = computeFeature(def, truncated);
    for (const [what, x, y] of [
      ['value', a.value, b.value],
      ['raw value', a.raw, b.raw],
    ] as const) {
      for (let r = 0; r < x.length; r++) {
        if (same(x[r], y[r])) continue;
        throw new ChurnError(
          'FEATURE_LEAKS_FUTURE',
          `feature "${def.name}" looks past the training cutoff (${on}): for customer ${full.customer[r]} its ` +
            `${what} is ${x[r]} with the later events and ${y[r]} without them. Compute it from the events ` +
            'on or before the cutoff (FeatureContext.end), or declare it asOf "snapshot".',
          def.name,
        );
      }
    }
  }
}

function same(a: number, b: number): boolean {
  if (a === b || (a !== a && b !== b)) return true;
  return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b));
}

function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The input as it stood at the end of `cutoffDay`: every dated event after it removed. */
export function inputAsOf(input: ChurnInput, cutoffDay: number): ChurnInput {
  const known = (time: Float64Array) => {
    const keep: number[] = [];
    for (let i = 0; i < time.length; i++) if (floor(time[i] / MS_PER_DAY) <= cutoffDay) keep.push(i);
    return keep;
  };
  const { orders, cancellations, serviceCases } = input;
  const o = known(orders.time);
  const out: ChurnInput = {
    ...input,
    orders: {
      customer: Int32Array.from(o, (i) => orders.customer[i]),
      time: Float64Array.from(o, (i) => orders.time[i]),
      amount: Float64Array.from(o, (i) => orders.amount[i]),
      ...(orders.channel ? { channel: Int32Array.from(o, (i) => orders.channel![i]) } : {}),
      ...(orders.lineCount ? { lineCount: Int32Array.from(o, (i) => orders.lineCount![i]) } : {}),
    },
  };
  if (cancellations) {
    const k = known(cancellations.time);
    out.cancellations = {
      customer: Int32Array.from(k, (i) => cancellations.customer[i]),
      time: Float64Array.from(k, (i) => cancellations.time[i]),
      value: Float64Array.from(k, (i) => cancellations.value[i]),
    };
  }
  if (serviceCases) {
    const k = known(serviceCases.time);
    out.serviceCases = {
      customer: Int32Array.from(k, (i) => serviceCases.customer[i]),
      time: Float64Array.from(k, (i) => serviceCases.time[i]),
      ...(serviceCases.priority ? { priority: Float64Array.from(k, (i) => serviceCases.priority![i]) } : {}),
    };
  }
  return out;
}
