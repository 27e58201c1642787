import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import { churnLabels } from '../../../worker/analytics/churn/churn-labels';
import { groupOrdersByCustomer } from '../../../worker/analytics/churn/customer-histories';

/** Orders as [customer, day] pairs, at noon UTC, given out of time order on purpose. */
function histories(pairs: [number, number][], customers: number) {
  const shuffled = [...pairs].reverse();
  return groupOrdersByCustomer(
    {
      customer: Int32Array.from(shuffled, ([c]) => c),
      time: Float64Array.from(shuffled, ([, d]) => d * MS_PER_DAY + MS_PER_DAY / 2),
      amount: new Float64Array(shuffled.length).fill(10),
    },
    customers,
  );
}

describe('churn labels', () => {
  const h = histories(
    [
      [0, 0],
      [0, 10],
      [0, 20],
      [0, 100], // median gap 10 → window max(90, 20) = 90; next order on day 100 ≤ 30 + 90: retained
      [1, 0],
      [1, 100],
      [1, 200], // median gap 100 → window 200
      [2, 40], // first order after the cutoff: not active
      [3, 5], // single purchase day, never again: churned
      [4, 25],
      [4, 125], // single day before the cutoff, next order day 125 > 30 + 90: churned
    ],
    5,
  );

  it('uses 90 days or twice the usual gap, whichever is longer', () => {
    const labels = churnLabels(h, 30, 1000);
    expect(Array.from(labels.active)).toEqual([1, 1, 0, 1, 1]);
    expect(labels.windowDays[0]).toBe(90);
    // Customer 1 has a single purchase day (0) before day 30: the fixed 90 days.
    expect(labels.windowDays[1]).toBe(90);
    expect(churnLabels(h, 210, 1000).windowDays[1]).toBe(200);
  });

  it('labels a customer only when the whole window lies inside the data', () => {
    // At cutoff 210, customer 1 has gaps 100, 100 → window 200: labelable only if 210 + 200 ≤ data end.
    expect(churnLabels(h, 210, 400).labelable[1]).toBe(0);
    const later = churnLabels(h, 210, 410);
    expect(later.labelable[1]).toBe(1);
    expect(later.churned[1]).toBe(1);
    expect(later.windowDays[1]).toBe(200);
  });

  it('marks churners by the first order after the cutoff', () => {
    const labels = churnLabels(h, 30, 1000);
    expect(Array.from(labels.churned)).toEqual([0, 0, 0, 1, 1]);
    expect(labels.counts).toEqual({ active: 4, labelable: 4, churned: 2 });
  });

  it('falls back to the fixed window with gapMultiple 0', () => {
    const labels = churnLabels(h, 210, 300, { windowDays: 90, gapMultiple: 0 });
    expect(labels.windowDays[1]).toBe(90);
    expect(labels.labelable[1]).toBe(1);
    expect(labels.churned[1]).toBe(1);
    // Customer 0's last order is day 100: churned; 2 (day 40) and 4 (day 125) too; 3 as well.
    expect(Array.from(labels.churned)).toEqual([1, 1, 1, 1, 1]);
  });

  it('counts an order on the last day of the window as a purchase in it', () => {
    const edge = histories(
      [
        [0, 10],
        [0, 100],
      ],
      1,
    );
    expect(churnLabels(edge, 10, 200, { gapMultiple: 0 }).churned[0]).toBe(0);
    expect(churnLabels(edge, 9, 200, { gapMultiple: 0 }).active[0]).toBe(0);
  });
});
