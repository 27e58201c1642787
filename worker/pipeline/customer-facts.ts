/**
 * What the next best actions need per customer beside the Score (playbooks/card-facts.ts), as the score run
 * knows it at its observation end: orders to date, the usual gap between purchase days, open service cases,
 * the CRM's first name, and the cut points of predicted CLV that place a customer in a quintile. Day counts
 * are from the observation end, never from the clock, so the same data give the same actions on any day.
 * Columns follow the RFM summary's rows; the days since the last order come from the summary itself
 * (score-slice).
 */
import type { CleanResult } from '../analytics/clean';
import { endBefore, groupOrdersByCustomer, medianGapDays } from '../analytics/churn/customer-histories';
import type { RfmSummary } from '../analytics/rfm';
import { quintileUpperBounds } from '../analytics/segments/rfm-segments';
import { openCasesAt, type CrmAttributes } from './crm-attributes';

export type CustomerFacts = {
  /** Per summary row: orders on or before the observation end (cleaned orders, not purchase days). */
  orders: Int32Array;
  /** Per summary row: median gap in days between distinct purchase days; NaN for a one-day buyer. */
  usualGapDays: Float64Array;
  /** Per summary row: service cases open at the end of the observation day; null without CRM cases. */
  openTickets: Int32Array | null;
  /** Per summary row: the CRM's first name, '' when it has none; null without CRM attributes. */
  firstName: string[] | null;
  /**
   * Predicted CLV quintile boundaries: a customer is in quintile 1 + (the number of cut points below their
   * CLV). Taken from the run's quintiles by mid-rank (quintileScores, as RFM scores: ties share a quintile),
   * so they place every customer of the run exactly where quintileScores does.
   */
  clvCuts: number[];
};

export function customerFacts(
  clean: CleanResult,
  summary: RfmSummary,
  clv: Float64Array,
  crm: CrmAttributes | undefined,
): CustomerFacts {
  const rows = summary.ids.length;
  const endDay = summary.observationEndDay;
  const histories = groupOrdersByCustomer(clean.orders, clean.customers.length);
  const orders = new Int32Array(rows);
  const usualGapDays = new Float64Array(rows);
  let scratch = new Float64Array(64);
  for (let r = 0; r < rows; r++) {
    const c = summary.customerIndex[r];
    const from = histories.start[c];
    const to = endBefore(histories, c, endDay);
    orders[r] = to - from;
    if (scratch.length < to - from) scratch = new Float64Array(2 * (to - from));
    usualGapDays[r] = medianGapDays(histories.day, from, to, scratch);
  }
  let openTickets: Int32Array | null = null;
  let firstName: string[] | null = null;
  if (crm) {
    if (crm.serviceCases.length > 0) {
      const open = openCasesAt(crm.serviceCases, endDay);
      openTickets = Int32Array.from(summary.ids, (id) => open.get(id) ?? 0);
    }
    firstName = summary.ids.map((id) => crm.customers.get(id)?.firstName ?? '');
  }
  return { orders, usualGapDays, openTickets, firstName, clvCuts: clvQuintileCuts(clv) };
}

/** The four cut points of quintileScores over the finite values (−∞ for an empty quintile). */
export function clvQuintileCuts(clv: ArrayLike<number>): number[] {
  return quintileUpperBounds(Float64Array.from(clv).filter(Number.isFinite)).map((b) => b ?? -Infinity);
}

/** 5 = the top fifth of the run by predicted CLV, 1 = the bottom fifth; undefined for a non-finite CLV. */
export function clvQuintileOf(cuts: readonly number[], clv: number): number | undefined {
  if (!Number.isFinite(clv)) return undefined;
  let q = 1;
  for (const cut of cuts) if (clv > cut) q++;
  return q;
}
