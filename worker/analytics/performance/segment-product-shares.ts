/**
 * Products per segment: each product's revenue in the segment, its attach rate (share of the segment's
 * buying customers who bought it at least once), its lift (attach rate in the segment / attach rate over all
 * buying customers: Agrawal, Imieliński & Swami 1993; Brin et al. 1997, as worker/analytics/recommend) and its
 * share of the segment's product revenue. Won orders' lines only; a customer without a Score is in UNSCORED.
 */
import type { Order } from '../../../domain/records';
import type { Score } from '../../../domain/score';
import { inBase, type Rates, type Skipped } from './money';
import { UNSCORED } from './rep-performance';

export type SegmentProductFigures = {
  segment: string;
  productId: string;
  productName: string;
  revenue: number;
  buyers: number;
  segmentBuyers: number;
  attachRate: number;
  lift: number;
  revenueShare: number;
};

export function segmentProductShares(input: {
  orders: readonly Order[];
  scores: readonly Score[];
  productNames: ReadonlyMap<string, string>;
  money: Rates;
}): { rows: SegmentProductFigures[]; skipped: Skipped[] } {
  const skipped: Skipped[] = [];
  const segmentOf = new Map(input.scores.map((s) => [s.customerId, s.segmentName ?? UNSCORED]));
  // Orders grouped by customer: a customer's orders then come one after another, so a buyer is counted once
  // per cell by remembering the last customer counted there (no set of customer ids per cell: a million
  // customers' lines made those sets most of the cost).
  const won: { order: Order; rate: number }[] = [];
  for (const order of input.orders) {
    if (order.status !== 'won' || !order.lines?.length) continue;
    const rate = inBase(1, order.currency, input.money);
    if (rate === undefined)
      skipped.push({
        type: 'order',
        id: order.id,
        reason: `currency ${order.currency} has no rate to ${input.money.base}`,
      });
    else won.push({ order, rate });
  }
  won.sort((x, y) =>
    x.order.customerId < y.order.customerId ? -1 : x.order.customerId > y.order.customerId ? 1 : 0,
  );
  type Counted = { buyers: number; last: number };
  const count = (c: Counted, customer: number) => {
    if (c.last !== customer) {
      c.last = customer;
      c.buyers++;
    }
  };
  // segment → product → { revenue, buyers }
  const cells = new Map<string, Map<string, Counted & { revenue: number }>>();
  const segmentBuyers = new Map<string, Counted>();
  const productBuyers = new Map<string, Counted>();
  const allBuyers: Counted = { buyers: 0, last: -1 };
  let customer = -1;
  let previousId: string | undefined;
  for (const { order, rate } of won) {
    if (order.customerId !== previousId) {
      previousId = order.customerId;
      customer++;
    }
    const segment = segmentOf.get(order.customerId) ?? UNSCORED;
    let bySegment = cells.get(segment);
    if (bySegment === undefined) cells.set(segment, (bySegment = new Map()));
    let buyers = segmentBuyers.get(segment);
    if (buyers === undefined) segmentBuyers.set(segment, (buyers = { buyers: 0, last: -1 }));
    count(buyers, customer);
    count(allBuyers, customer);
    for (const line of order.lines!) {
      let cell = bySegment.get(line.productId);
      if (cell === undefined) bySegment.set(line.productId, (cell = { revenue: 0, buyers: 0, last: -1 }));
      cell.revenue += line.quantity * line.unitPrice * rate;
      count(cell, customer);
      let everyone = productBuyers.get(line.productId);
      if (everyone === undefined) productBuyers.set(line.productId, (everyone = { buyers: 0, last: -1 }));
      count(everyone, customer);
    }
  }
  const rows: SegmentProductFigures[] = [];
  for (const [segment, byProduct] of [...cells].sort((a, b) => a[0].localeCompare(b[0]))) {
    const buyers = segmentBuyers.get(segment)!.buyers;
    let revenue = 0;
    for (const cell of byProduct.values()) revenue += cell.revenue;
    const segmentRows = [...byProduct].map(([productId, cell]) => {
      const attachRate = cell.buyers / buyers;
      const base = productBuyers.get(productId)!.buyers / allBuyers.buyers;
      return {
        segment,
        productId,
        productName: input.productNames.get(productId) ?? productId,
        revenue: cell.revenue,
        buyers: cell.buyers,
        segmentBuyers: buyers,
        attachRate,
        lift: attachRate / base,
        revenueShare: revenue !== 0 ? cell.revenue / revenue : 0,
      };
    });
    segmentRows.sort((a, b) => b.revenue - a.revenue || a.productId.localeCompare(b.productId));
    rows.push(...segmentRows);
  }
  return { rows, skipped };
}
