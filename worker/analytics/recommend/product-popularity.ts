/** Buyers and revenue per product over a population of customers, and best-seller rankings. */
import { RecommendError } from './recommend-error';
import type { BestSellerList, CustomerItems } from './types';

export type ProductPopularity = {
  /** Distinct customers of the population who bought each product. */
  buyers: Int32Array;
  revenue: Float64Array;
  /** Customers of the population with at least one product. */
  customers: number;
};

/** Popularity over the given customers (all customers with products when `members` is absent). */
export function productPopularity(items: CustomerItems, members?: ArrayLike<number>): ProductPopularity {
  const buyers = new Int32Array(items.productsCount);
  const revenue = new Float64Array(items.productsCount);
  const customersCount = items.offsets.length - 1;
  const n = members ? members.length : customersCount;
  let customers = 0;
  for (let m = 0; m < n; m++) {
    const c = members ? members[m] : m;
    const from = items.offsets[c];
    const to = items.offsets[c + 1];
    if (to > from) customers++;
    for (let k = from; k < to; k++) {
      buyers[items.items[k]]++;
      revenue[items.items[k]] += items.revenue[k];
    }
  }
  return { buyers, revenue, customers };
}

/**
 * Products bought by anyone in the population, best first: most buyers, then most revenue, then lower
 * index; at most `limit`.
 */
export function bestSellers(popularity: ProductPopularity, limit = Infinity): BestSellerList {
  const { buyers, revenue } = popularity;
  const ranked: number[] = [];
  for (let p = 0; p < buyers.length; p++) if (buyers[p] > 0) ranked.push(p);
  ranked.sort((a, b) => buyers[b] - buyers[a] || revenue[b] - revenue[a] || a - b);
  return Int32Array.from(ranked.length > limit ? ranked.slice(0, limit) : ranked);
}

/** Customers grouped by segment label (counting sort): members of s are list[start[s] … start[s+1]). */
export function groupBySegment(
  segmentOf: ArrayLike<number>,
  segmentsCount: number,
  customersCount: number,
): { start: Int32Array; list: Int32Array } {
  if (segmentOf.length !== customersCount) {
    throw new RecommendError(
      'INVALID_INPUT',
      `segmentOf has ${segmentOf.length} entries for ${customersCount} customers; give one label per customer (−1 = none)`,
    );
  }
  const start = new Int32Array(segmentsCount + 1);
  for (let c = 0; c < customersCount; c++) {
    const s = segmentOf[c];
    if (s === -1) continue;
    if (!Number.isInteger(s) || s < 0 || s >= segmentsCount) {
      throw new RecommendError(
        'INVALID_INPUT',
        `customer ${c} has segment ${s}; labels must be integers in [0, ${segmentsCount}) or −1`,
      );
    }
    start[s + 1]++;
  }
  for (let s = 0; s < segmentsCount; s++) start[s + 1] += start[s];
  const list = new Int32Array(start[segmentsCount]);
  const fill = start.slice(0, segmentsCount);
  for (let c = 0; c < customersCount; c++) if (segmentOf[c] !== -1) list[fill[segmentOf[c]]++] = c;
  return { start, list };
}
