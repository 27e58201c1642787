/**
 * Purchase days of a cohort as times from a common origin, for the cumulative tracking curve: the first
 * purchase day of each customer, and every later distinct purchase day (a "repeat purchase" in lifetimes'
 * sense: same-day purchases merge).
 */
const MS_PER_DAY = 86_400_000;

export type CohortPurchaseTimes = {
  /** First purchase of each cohort customer, in units from the origin. */
  firstPurchase: Float64Array;
  /** Every repeat purchase day of the cohort, in units from the origin (unsorted). */
  repeatPurchases: Float64Array;
  /** The origin: the earliest first-purchase day of the cohort (UTC day number). */
  originDay: number;
};

/**
 * @param orderCustomer customer index per order; @param orderTime epoch ms per order
 * @param cohort customer indices to include; @param endDay last UTC day to include
 * @param daysPerUnit 1 for days, 7 for weeks
 */
export function cohortPurchaseTimes(
  orderCustomer: Int32Array,
  orderTime: Float64Array,
  cohort: Int32Array,
  customerCount: number,
  endDay: number,
  daysPerUnit: number,
): CohortPurchaseTimes {
  const position = new Int32Array(customerCount).fill(-1);
  cohort.forEach((c, i) => (position[c] = i));
  // (cohort position, day from origin) packed into one sortable number; days fit in 21 bits.
  let minDay = Infinity;
  let count = 0;
  for (let o = 0; o < orderCustomer.length; o++) {
    if (position[orderCustomer[o]] < 0) continue;
    const day = Math.floor(orderTime[o] / MS_PER_DAY);
    if (day > endDay) continue;
    if (day < minDay) minDay = day;
    count++;
  }
  const pairs = new Float64Array(count);
  let k = 0;
  for (let o = 0; o < orderCustomer.length; o++) {
    const p = position[orderCustomer[o]];
    if (p < 0) continue;
    const day = Math.floor(orderTime[o] / MS_PER_DAY);
    if (day > endDay) continue;
    pairs[k++] = p * 2 ** 21 + (day - minDay);
  }
  pairs.sort();
  const firstPurchase = new Float64Array(cohort.length).fill(NaN);
  const repeats: number[] = [];
  let previous = -1;
  for (let k = 0; k < pairs.length; k++) {
    if (pairs[k] === previous) continue;
    previous = pairs[k];
    const p = Math.floor(pairs[k] / 2 ** 21);
    const dayFromOrigin = pairs[k] - p * 2 ** 21;
    if (Number.isNaN(firstPurchase[p])) firstPurchase[p] = dayFromOrigin / daysPerUnit;
    else repeats.push(dayFromOrigin / daysPerUnit);
  }
  return {
    firstPurchase,
    repeatPurchases: Float64Array.from(repeats),
    originDay: Number.isFinite(minDay) ? minDay : 0,
  };
}
