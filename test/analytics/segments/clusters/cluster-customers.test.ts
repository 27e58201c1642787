import { summarizePurchases } from '../../../../worker/analytics/rfm/summarize-purchases';
import { clusterCustomers } from '../../../../worker/analytics/segments/clusters/cluster-customers';

const DAY = 86_400_000;
const END = Date.UTC(2024, 11, 31);

/**
 * 20 customers per group: A buys 12 times over the last year for ~400 each, last ~3 days ago; B made one small
 * first order ~10 days ago; C made one order of ~80 about 300 days ago.
 */
function orders() {
  const customer: number[] = [];
  const time: number[] = [];
  const amount: number[] = [];
  const ids: string[] = [];
  const add = (c: number, daysAgo: number, value: number) => {
    customer.push(c);
    time.push(END - daysAgo * DAY);
    amount.push(value);
  };
  for (let i = 0; i < 20; i++) {
    ids.push(`a${i}`);
    for (let o = 0; o < 12; o++) add(ids.length - 1, 3 + (i % 3) + 30 * o, 400 + 10 * (i % 4));
  }
  for (let i = 0; i < 20; i++) {
    ids.push(`b${i}`);
    add(ids.length - 1, 9 + (i % 3), 20 + (i % 4));
  }
  for (let i = 0; i < 20; i++) {
    ids.push(`c${i}`);
    add(ids.length - 1, 295 + (i % 10), 80 + (i % 4));
  }
  return {
    ids,
    orders: {
      customer: Int32Array.from(customer),
      time: Float64Array.from(time),
      amount: Float64Array.from(amount),
    },
  };
}

describe('clusterCustomers', () => {
  const { ids, orders: o } = orders();
  const summary = summarizePurchases(o, ids, { observationEnd: '2024-12-31', period: 'day' });

  it('labels every summary row with a named segment and a coarse group', () => {
    const r = clusterCustomers({ summary, options: { k: 3 } });
    expect(r.segmentId).toHaveLength(60);
    expect(new Set(r.segmentName.slice(0, 20))).toEqual(new Set(['High-value loyal']));
    expect(new Set(r.segmentName.slice(20, 40))).toEqual(new Set(['New low spenders']));
    expect(new Set(r.segmentName.slice(40))).toEqual(new Set(['Lost one-timers']));
    expect(r.segmentId[0]).toBe('seg-1'); // highest spend
    expect(r.groupId.every((g) => /^group-\d$/.test(g))).toBe(true);
    expect(r.migration).toBeNull();
  });

  it('reports migration against the previous run', () => {
    const first = clusterCustomers({ summary, options: { k: 3 } });
    const previousSegments = new Map(ids.map((id, i) => [id, first.segmentId[i]]));
    const again = clusterCustomers({
      summary,
      options: { k: 3, seed: 5 },
      previous: { model: first.model, segmentByCustomer: previousSegments },
    });
    expect(again.segmentId).toEqual(first.segmentId);
    expect(again.migration!.stayedShare).toBe(1);
    expect(again.migration!.counts).toEqual([
      [20, 0, 0],
      [0, 20, 0],
      [0, 0, 20],
    ]);
  });
});
