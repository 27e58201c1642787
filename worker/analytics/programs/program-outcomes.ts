/**
 * Each enrolled customer's outcome over their own window. Retention is defined as "placed at least one won
 * order within windowDays after enrolment" (enrolment day excluded, so an order that led to the score does not
 * count); revenue is the sum of those orders. An order is an observed event, where "still alive" is a model's
 * guess, so the measured lift does not depend on the model it is meant to judge.
 */
import type { ProgramArm } from './assign-arm';

const DAY_MS = 86_400_000;

export type Enrolment = { customerId: string; arm: ProgramArm; enrolledAt: number };
export type WonOrder = { customerId: string; placedAt: number; amount: number };
export type CustomerOutcome = { arm: ProgramArm; retained: boolean; revenue: number };

/** Outcomes of `enrolments` from the orders seen up to `asOf` (ms since epoch). */
export function programOutcomes(
  enrolments: readonly Enrolment[],
  orders: readonly WonOrder[],
  windowDays: number,
  asOf: number,
): CustomerOutcome[] {
  const byCustomer = new Map<string, WonOrder[]>();
  for (const order of orders) {
    const list = byCustomer.get(order.customerId);
    if (list) list.push(order);
    else byCustomer.set(order.customerId, [order]);
  }
  return enrolments.map((e) => {
    const end = Math.min(e.enrolledAt + windowDays * DAY_MS, asOf);
    let retained = false;
    let revenue = 0;
    for (const o of byCustomer.get(e.customerId) ?? []) {
      if (o.placedAt > e.enrolledAt && o.placedAt <= end) {
        retained = true;
        revenue += o.amount;
      }
    }
    return { arm: e.arm, retained, revenue };
  });
}

/** The moment every enrolee's window has closed (ms); results before it are interim. */
export function windowClosesAt(enrolments: readonly Enrolment[], windowDays: number): number | undefined {
  if (enrolments.length === 0) return undefined;
  let last = -Infinity;
  for (const e of enrolments) last = Math.max(last, e.enrolledAt);
  return last + windowDays * DAY_MS;
}
