/**
 * Churn labels at a cutoff. Definition: a customer with at least one order on or before
 * the cutoff day churns when they place no order in the window (cutoff, cutoff + w_i] of days, where
 *   w_i = max(windowDays, gapMultiple × median gap between the customer's distinct purchase days up to the
 *         cutoff)   (customers with a single purchase day: w_i = windowDays).
 * The personal part keeps a customer who buys twice a year from counting as churned after 90 quiet days.
 * A label is only known when the whole window lies inside the data: labelable iff cutoff + w_i ≤ dataEndDay.
 * Customers whose personal window runs past the data are left out of training and evaluation (not labelled
 * "retained"), which the caller sees in `labelable`. gapMultiple = 0 gives the plain fixed window.
 */
import { endBefore, medianGapDays, type CustomerHistories } from './customer-histories';

export type ChurnLabelOptions = {
  /** Default 90. */
  windowDays?: number;
  /** Default 2; 0 = fixed window for everyone. */
  gapMultiple?: number;
};

export type ChurnLabels = {
  cutoffDay: number;
  /** 1 = at least one order on or before the cutoff day. */
  active: Uint8Array;
  /** 1 = active and the customer's whole window lies within the data. */
  labelable: Uint8Array;
  /** 1 = labelable and no order in the window. */
  churned: Uint8Array;
  /** w_i in days (0 for inactive customers). */
  windowDays: Float64Array;
  counts: { active: number; labelable: number; churned: number };
};

export const DEFAULT_CHURN_WINDOW_DAYS = 90;
export const DEFAULT_GAP_MULTIPLE = 2;

export function churnLabels(
  h: CustomerHistories,
  cutoffDay: number,
  dataEndDay: number,
  options: ChurnLabelOptions = {},
): ChurnLabels {
  const base = options.windowDays ?? DEFAULT_CHURN_WINDOW_DAYS;
  const multiple = options.gapMultiple ?? DEFAULT_GAP_MULTIPLE;
  const n = h.customers;
  const active = new Uint8Array(n);
  const labelable = new Uint8Array(n);
  const churned = new Uint8Array(n);
  const windowDays = new Float64Array(n);
  let maxOrders = 0;
  for (let c = 0; c < n; c++)
    if (h.start[c + 1] - h.start[c] > maxOrders) maxOrders = h.start[c + 1] - h.start[c];
  const scratch = new Float64Array(maxOrders);
  const counts = { active: 0, labelable: 0, churned: 0 };
  for (let c = 0; c < n; c++) {
    const from = h.start[c];
    const end = endBefore(h, c, cutoffDay);
    if (end === from) continue;
    active[c] = 1;
    counts.active++;
    let w = base;
    if (multiple > 0) {
      const gap = medianGapDays(h.day, from, end, scratch);
      if (gap * multiple > w) w = gap * multiple;
    }
    windowDays[c] = w;
    if (cutoffDay + w > dataEndDay) continue;
    labelable[c] = 1;
    counts.labelable++;
    // Orders are in day order: the first one after the cutoff decides.
    const next = end < h.start[c + 1] ? h.day[end] : Infinity;
    if (!(next <= cutoffDay + w)) {
      churned[c] = 1;
      counts.churned++;
    }
  }
  return { cutoffDay, active, labelable, churned, windowDays, counts };
}
