/**
 * Per segment: the products that bring it the most revenue, and the products it buys distinctly more than
 * the whole customer base, by lift (Agrawal, Imieliński & Swami 1993 association rules; Brin et al. 1997):
 *   lift(s, p) = (buyers of p in s / customers in s) / (buyers of p / all customers),
 * customers counted once per product, over customers with at least one product. A lift needs at least
 * `minBuyers` segment buyers: with 2 of 3 customers a rare product would otherwise top every list.
 */
import type { ProductPopularity } from './product-popularity';
import { requireInteger } from './recommend-error';

export type SegmentProduct = {
  product: number;
  revenue: number;
  /** Distinct segment customers who bought it. */
  buyers: number;
  /** buyers / segment customers. */
  share: number;
  lift: number;
};

export type SegmentProductTable = {
  segment: number;
  customers: number;
  revenue: number;
  byRevenue: SegmentProduct[];
  byLift: SegmentProduct[];
};

export type SegmentProductOptions = {
  /** Rows per table (default 10). */
  limit?: number;
  /** Minimum segment buyers for a product to be ranked by lift (default 5). */
  minBuyers?: number;
};

export function segmentProductTable(
  segment: number,
  inSegment: ProductPopularity,
  everyone: ProductPopularity,
  options: SegmentProductOptions = {},
): SegmentProductTable {
  const limit = options.limit ?? 10;
  const minBuyers = options.minBuyers ?? 5;
  requireInteger('limit', limit, 0);
  requireInteger('minBuyers', minBuyers, 1);
  const row = (p: number): SegmentProduct => {
    const share = inSegment.customers ? inSegment.buyers[p] / inSegment.customers : 0;
    const base = everyone.customers ? everyone.buyers[p] / everyone.customers : 0;
    return {
      product: p,
      revenue: inSegment.revenue[p],
      buyers: inSegment.buyers[p],
      share,
      lift: base > 0 ? share / base : 0,
    };
  };
  const bought: number[] = [];
  let revenue = 0;
  for (let p = 0; p < inSegment.buyers.length; p++) {
    if (inSegment.buyers[p] > 0) bought.push(p);
    revenue += inSegment.revenue[p];
  }
  const rows = bought.map(row);
  const byRevenue = [...rows]
    .sort((a, b) => b.revenue - a.revenue || b.buyers - a.buyers || a.product - b.product)
    .slice(0, limit);
  const byLift = rows
    .filter((r) => r.buyers >= minBuyers)
    .sort((a, b) => b.lift - a.lift || b.buyers - a.buyers || a.product - b.product)
    .slice(0, limit);
  return { segment, customers: inSegment.customers, revenue, byRevenue, byLift };
}
