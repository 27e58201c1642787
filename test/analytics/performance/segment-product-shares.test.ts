import type { Order } from '../../../domain/records';
import type { Score } from '../../../domain/score';
import { segmentProductShares } from '../../../worker/analytics/performance';

const order = (
  id: string,
  customerId: string,
  lines: [string, number, number][],
  status: Order['status'] = 'won',
): Order => ({
  id,
  customerId,
  placedAt: '2026-01-01T00:00:00.000Z',
  amount: 0,
  currency: 'EUR',
  status,
  lines: lines.map(([productId, quantity, unitPrice]) => ({ productId, quantity, unitPrice })),
});
const score = (customerId: string, segmentName: string): Score => ({
  customerId,
  segmentName,
  clvHistoric: 0,
  clvPredicted: 0,
  expectedOrders: 0,
  modelVersion: 'v1',
  scoredAt: '2026-06-01T00:00:00.000Z',
});

describe('segmentProductShares', () => {
  const { rows } = segmentProductShares({
    orders: [
      order('o1', 'a', [
        ['coffee', 2, 10],
        ['mug', 1, 15],
      ]),
      order('o2', 'b', [['coffee', 1, 10]]),
      order('o3', 'c', [['mug', 1, 15]]),
      order('o4', 'c', [['coffee', 9, 10]], 'refunded'),
    ],
    scores: [score('a', 'Loyal'), score('b', 'Loyal'), score('c', 'New')],
    productNames: new Map([['coffee', 'House Blend']]),
    money: { base: 'EUR', rates: {} },
  });
  const cell = (segment: string, product: string) =>
    rows.find((r) => r.segment === segment && r.productId === product)!;

  it('gives revenue, attach rate, lift and revenue share per segment (won orders only)', () => {
    // Loyal: a, b buy; coffee 30 of 45 revenue, bought by both (attach 1); overall coffee buyers 2 of 3 → lift 1.5.
    expect(cell('Loyal', 'coffee')).toMatchObject({
      productName: 'House Blend',
      revenue: 30,
      buyers: 2,
      segmentBuyers: 2,
      attachRate: 1,
      lift: 1.5,
    });
    expect(cell('Loyal', 'coffee').revenueShare).toBeCloseTo(30 / 45, 12);
    // Mug: 1 of 2 Loyal buyers; overall 2 of 3 → lift 0.75; New: c only → attach 1, lift 1.5, share 1.
    expect(cell('Loyal', 'mug')).toMatchObject({
      productName: 'mug',
      revenue: 15,
      attachRate: 0.5,
      lift: 0.75,
    });
    expect(cell('New', 'mug')).toMatchObject({ revenue: 15, attachRate: 1, lift: 1.5, revenueShare: 1 });
    expect(rows.find((r) => r.segment === 'New' && r.productId === 'coffee')).toBeUndefined();
  });

  it('counts a buyer once however many orders, and in any order, they bought the product in', () => {
    // a buys coffee three times, between b's orders; b twice. Loyal: 2 buyers of coffee, not 5.
    const again = segmentProductShares({
      orders: [
        order('o1', 'a', [['coffee', 1, 10]]),
        order('o2', 'b', [['coffee', 1, 10]]),
        order('o3', 'a', [['coffee', 1, 10]]),
        order('o4', 'b', [
          ['coffee', 1, 10],
          ['coffee', 1, 10],
        ]),
        order('o5', 'a', [['coffee', 1, 10]]),
        order('o6', 'c', [['mug', 1, 15]], 'won'),
      ],
      scores: [score('a', 'Loyal'), score('b', 'Loyal'), score('c', 'New')],
      productNames: new Map(),
      money: { base: 'EUR', rates: {} },
    }).rows;
    const coffee = again.find((r) => r.segment === 'Loyal' && r.productId === 'coffee')!;
    // 2 of 2 Loyal buyers; overall 2 of 3 buyers → lift 1.5; revenue 6 × 10.
    expect(coffee).toMatchObject({ revenue: 60, buyers: 2, segmentBuyers: 2, attachRate: 1, lift: 1.5 });
  });
});
