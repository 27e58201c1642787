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
import { computeFeature, featureContext, type ChurnFeatureSpec, type FeatureColumns } from './churn-features';
import { groupOrdersByCustomer, type CustomerHistories } from './customer-histories';
import type { ChurnFeatureDefinition, FeatureContext, FeatureSource } from './feature-definition';
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
  /** The context the training features at this cutoff were computed from (same input, h, trendDays, pAlive). */
  fullContext?: FeatureContext,
  /** Those features' own values (ChurnFeatures.byFeature), computed from fullContext: not computed again. */
  fullColumns?: ReadonlyMap<string, FeatureColumns>,
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
  const full = fullContext ?? featureContext(input, h, cutoffDay, trendDays, pAlive);
  const truncated = featureContext(
    past,
    groupOrdersByCustomer(past.orders, past.customers),
    cutoffDay,
    trendDays,
    pAlive,
  );
  for (const def of spec.features) {
    const a = (fullContext && fullColumns?.get(def.name)) || computeFeature(def, full);
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
  const { orders, cancellations, serviceCases } = input;
  // Typed index lists and plain copy loops: at 10⁷ orders a number[] of indices and Array.from with a
  // closure per element were most of the leakage check's time and garbage.
  const o = knownBy(orders.time, cutoffDay);
  const out: ChurnInput = {
    ...input,
    orders: {
      customer: pickInt32(orders.customer, o),
      time: pickFloat64(orders.time, o),
      amount: pickFloat64(orders.amount, o),
      ...(orders.channel ? { channel: pickInt32(orders.channel, o) } : {}),
      ...(orders.lineCount ? { lineCount: pickInt32(orders.lineCount, o) } : {}),
    },
  };
  if (cancellations) {
    const k = knownBy(cancellations.time, cutoffDay);
    out.cancellations = {
      customer: pickInt32(cancellations.customer, k),
      time: pickFloat64(cancellations.time, k),
      value: pickFloat64(cancellations.value, k),
    };
  }
  if (serviceCases) {
    const k = knownBy(serviceCases.time, cutoffDay);
    out.serviceCases = {
      customer: pickInt32(serviceCases.customer, k),
      time: pickFloat64(serviceCases.time, k),
      ...(serviceCases.priority ? { priority: pickFloat64(serviceCases.priority, k) } : {}),
    };
  }
  return out;
}

/** Indices of the events dated on or before `cutoffDay`, in input order. */
function knownBy(time: Float64Array, cutoffDay: number): Int32Array {
  let k = 0;
  for (let i = 0; i < time.length; i++) if (floor(time[i] / MS_PER_DAY) <= cutoffDay) k++;
  const keep = new Int32Array(k);
  for (let i = 0, j = 0; i < time.length; i++) if (floor(time[i] / MS_PER_DAY) <= cutoffDay) keep[j++] = i;
  return keep;
}

function pickInt32(from: ArrayLike<number>, index: Int32Array): Int32Array {
  const out = new Int32Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = from[index[i]];
  return out;
}

function pickFloat64(from: ArrayLike<number>, index: Int32Array): Float64Array {
  const out = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = from[index[i]];
  return out;
}
