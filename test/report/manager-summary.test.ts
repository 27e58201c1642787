import { compareWithPrevious, summarizeCustomers } from '../../worker/report/manager-summary';

describe('summarizeCustomers', () => {
  // Five customers, worked by hand: revenue 100 + 50 + 0 + 200 + 25 = 375; predicted value 80 + 20 + 10 + 150
  // (+ NaN, counted as 0) = 260; expected orders next month 0.5 + 0.1 + 0 + 1.2 + 0.2 = 2.0.
  const totals = summarizeCustomers({
    revenue: [100, 50, 0, 200, 25],
    predictedValue: [80, 20, 10, 150, NaN],
    expectedOrdersNextMonth: [0.5, 0.1, 0, 1.2, 0.2],
    risk: ['high', 'low', null, 'medium', 'high'],
    segment: ['A', 'B', 'A', 'C', 'B'],
  });

  it('adds up customers, revenue, predicted value and next month’s orders', () => {
    expect(totals.customers).toBe(5);
    expect(totals.revenue).toBe(375);
    expect(totals.predictedValue).toBe(260);
    expect(totals.expectedOrdersNextMonth).toBeCloseTo(2.0, 12);
  });

  it('takes the revenue at risk as the predicted value of the customers in the high band', () => {
    // Customers 0 and 4 are high: 80 + NaN(0).
    expect(totals.revenueAtRisk).toBe(80);
    expect(totals.highRiskCustomers).toBe(2);
  });

  it('groups by the risk bands as written, low → high, unscored last', () => {
    expect(totals.risk).toEqual([
      { name: 'low', customers: 1, revenue: 50, predictedValue: 20, highRisk: 0 },
      { name: 'medium', customers: 1, revenue: 200, predictedValue: 150, highRisk: 0 },
      { name: 'high', customers: 2, revenue: 125, predictedValue: 80, highRisk: 2 },
      { name: 'not scored', customers: 1, revenue: 0, predictedValue: 10, highRisk: 0 },
    ]);
  });

  it('gives the value by segment, largest predicted value first', () => {
    expect(totals.segments).toEqual([
      { name: 'C', customers: 1, revenue: 200, predictedValue: 150, highRisk: 0 },
      { name: 'A', customers: 2, revenue: 100, predictedValue: 90, highRisk: 1 },
      { name: 'B', customers: 2, revenue: 75, predictedValue: 20, highRisk: 1 },
    ]);
  });

  it('leaves risk out (null, not 0) when churn was not scored, and keeps bands it does not know', () => {
    const noChurn = summarizeCustomers({
      revenue: [1, 2],
      predictedValue: [3, 4],
      expectedOrdersNextMonth: [0, 0],
      risk: null,
      segment: null,
    });
    expect(noChurn.revenueAtRisk).toBeNull();
    expect(noChurn.highRiskCustomers).toBeNull();
    expect(noChurn.risk).toBeNull();
    expect(noChurn.segments).toBeNull();
    const renamed = summarizeCustomers({
      revenue: [1, 1, 1],
      predictedValue: [1, 1, 1],
      expectedOrdersNextMonth: [0, 0, 0],
      risk: ['very high', 'low', 'high'],
      segment: null,
    });
    expect(renamed.risk!.map((g) => g.name)).toEqual(['low', 'high', 'very high']);
  });
});

describe('compareWithPrevious', () => {
  const model = { ids: ['seg-1', 'seg-2', 'seg-3'], names: ['Loyal', 'New', 'Lapsed'], sizes: [10, 20, 30] };
  const current = {
    ids: ['c1', 'c2', 'c3', 'c4'],
    segmentId: ['seg-1', 'seg-3', 'seg-3', 'seg-10'],
    segmentName: ['Loyal', 'Lapsed', 'Lapsed', 'Big spenders'],
    stayedShare: 2 / 3,
  };

  it('counts customers then and now, per segment id, from the previous assignments', () => {
    const segmentByCustomer = new Map([
      ['c1', 'seg-1'],
      ['c2', 'seg-1'],
      ['c3', 'seg-3'],
      ['c9', 'seg-2'],
    ]);
    expect(compareWithPrevious(current, { model, segmentByCustomer })).toEqual({
      customers: 4,
      inBoth: 3,
      newCustomers: 1,
      keptSegment: 2 / 3,
      segments: [
        { id: 'seg-1', name: 'Loyal', previous: 2, current: 1 },
        { id: 'seg-2', name: 'New', previous: 1, current: 0 },
        { id: 'seg-3', name: 'Lapsed', previous: 1, current: 2 },
        { id: 'seg-10', name: 'Big spenders', previous: null, current: 1 },
      ],
    });
  });

  it('falls back on the previous model’s segment sizes without its assignments', () => {
    const change = compareWithPrevious({ ...current, stayedShare: null }, { model });
    expect(change.customers).toBe(60);
    expect(change.inBoth).toBeNull();
    expect(change.newCustomers).toBeNull();
    expect(change.keptSegment).toBeNull();
    expect(change.segments.find((s) => s.id === 'seg-2')).toEqual({
      id: 'seg-2',
      name: 'New',
      previous: 20,
      current: 0,
    });
  });
});
