/**
 * The RFM summary exactly as the python `lifetimes` library defines it (utils.summary_data_from_transaction_data
 * and utils.calibration_and_holdout_data, freq='D', freq_multiplier 1 or 7):
 * - purchases are bucketed by UTC calendar day; orders on the same day are one purchase, amounts summed;
 * - frequency = distinct purchase days after the first; recency = last day − first day; T = end day − first
 *   day, in days or weeks (days / 7);
 * - monetaryValue = mean of the summed per-day values of the repeat days (the first day is left out), 0 when
 *   frequency is 0;
 * - with calibrationEnd the summary is taken at calibrationEnd, for customers whose first purchase is on or
 *   before it, and the holdout columns count (calibrationEnd, observationEnd].
 * One deliberate difference: lifetimes' monetary_value_holdout is the mean of the individual holdout
 * transactions; here it is the mean per purchase day, the same unit as monetaryValue (and as what
 * Gamma-Gamma predicts), so calibration and holdout values are comparable.
 * Days, not instants, bound the periods: the whole of each end day is included. For date-only data this is
 * what lifetimes does; with intraday times, lifetimes' calibration split compares raw datetimes with midnight
 * of calibration_period_end, so purchases later that day would land in its holdout; here they are calibration.
 */
import { MS_PER_DAY, parseTimestamp, utcDay } from '../clean/parse-timestamp';
import type { CalendarDay, OrdersInput, RfmSummary, SummaryOptions } from './types';

export class RfmInputError extends Error {
  readonly code = 'INVALID_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'RfmInputError';
  }
}

export function summarizePurchases(
  orders: OrdersInput,
  customers: readonly string[],
  options: SummaryOptions,
): RfmSummary {
  const endDay = toDay(options.observationEnd, 'observationEnd');
  const calDay =
    options.calibrationEnd === undefined ? undefined : toDay(options.calibrationEnd, 'calibrationEnd');
  if (calDay !== undefined && calDay >= endDay) {
    throw new RfmInputError(
      'calibrationEnd must be before observationEnd: the holdout period would be empty.',
    );
  }
  if (options.period !== 'day' && options.period !== 'week') {
    throw new RfmInputError(`period must be 'day' or 'week', got "${String(options.period)}".`);
  }
  const unit = options.period === 'week' ? 7 : 1;
  const cutDay = calDay ?? endDay;
  const nCustomers = customers.length;
  const m = orders.time.length;

  // Counting sort of the orders up to the observation end by customer.
  const start = new Int32Array(nCustomers + 1);
  for (let o = 0; o < m; o++) {
    const c = orders.customer[o];
    if (c < 0 || c >= nCustomers)
      throw new RfmInputError(`order ${o} refers to customer ${c}, outside the list.`);
    if (utcDay(orders.time[o]) <= endDay) start[c + 1]++;
  }
  for (let c = 0; c < nCustomers; c++) start[c + 1] += start[c];
  const byCustomer = new Int32Array(start[nCustomers]);
  const fill = start.slice(0, nCustomers);
  for (let o = 0; o < m; o++)
    if (utcDay(orders.time[o]) <= endDay) byCustomer[fill[orders.customer[o]]++] = o;

  const frequency = new Float64Array(nCustomers);
  const recency = new Float64Array(nCustomers);
  const T = new Float64Array(nCustomers);
  const monetaryValue = new Float64Array(nCustomers);
  const firstPurchase = new Float64Array(nCustomers);
  const totalRevenue = new Float64Array(nCustomers);
  const holdoutFrequency = new Float64Array(nCustomers);
  const holdoutValue = new Float64Array(nCustomers);
  const customerIndex = new Int32Array(nCustomers);
  const byTime = (a: number, b: number) => orders.time[a] - orders.time[b];
  let n = 0;

  for (let c = 0; c < nCustomers; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue;
    const list = byCustomer.subarray(from, to);
    if (!isSortedByTime(list, orders.time)) list.sort(byTime);
    const firstDay = utcDay(orders.time[list[0]]);
    if (firstDay > cutDay) continue;

    let revenue = 0;
    let days = 0;
    let lastDay = firstDay;
    let repeatSum = 0;
    let holdDays = 0;
    let holdSum = 0;
    let day = firstDay;
    let daySum = 0;
    // Walks the days in order; a day's sum is complete when the next day starts (or at the end).
    const closeDay = () => {
      if (day <= cutDay) {
        if (days > 0) repeatSum += daySum;
        days++;
        lastDay = day;
      } else {
        holdDays++;
        holdSum += daySum;
      }
    };
    for (let j = 0; j < list.length; j++) {
      const o = list[j];
      const d = utcDay(orders.time[o]);
      revenue += orders.amount[o];
      if (d !== day) {
        closeDay();
        day = d;
        daySum = 0;
      }
      daySum += orders.amount[o];
    }
    closeDay();

    const x = days - 1;
    frequency[n] = x;
    recency[n] = (lastDay - firstDay) / unit;
    T[n] = (cutDay - firstDay) / unit;
    monetaryValue[n] = x > 0 ? repeatSum / x : 0;
    firstPurchase[n] = orders.time[list[0]];
    totalRevenue[n] = revenue;
    holdoutFrequency[n] = holdDays;
    holdoutValue[n] = holdDays > 0 ? holdSum / holdDays : 0;
    customerIndex[n] = c;
    n++;
  }

  const summary: RfmSummary = {
    ids: Array.from(customerIndex.subarray(0, n), (c) => customers[c]),
    customerIndex: customerIndex.slice(0, n),
    frequency: frequency.slice(0, n),
    recency: recency.slice(0, n),
    T: T.slice(0, n),
    monetaryValue: monetaryValue.slice(0, n),
    firstPurchase: firstPurchase.slice(0, n),
    totalRevenue: totalRevenue.slice(0, n),
    period: options.period,
    observationEndDay: endDay,
  };
  if (calDay !== undefined) {
    summary.calibrationEndDay = calDay;
    summary.holdout = {
      frequency: holdoutFrequency.slice(0, n),
      monetaryValue: holdoutValue.slice(0, n),
      duration: (endDay - calDay) / unit,
    };
  }
  return summary;
}

function isSortedByTime(list: Int32Array, time: Float64Array): boolean {
  for (let j = 1; j < list.length; j++) if (time[list[j]] < time[list[j - 1]]) return false;
  return true;
}

function toDay(value: CalendarDay, name: string): number {
  const ms =
    typeof value === 'string' ? parseTimestamp(value) : typeof value === 'number' ? value : value.getTime();
  if (!Number.isFinite(ms))
    throw new RfmInputError(`${name} "${String(value)}" is not a date; use YYYY-MM-DD.`);
  return Math.floor(ms / MS_PER_DAY);
}
