/**
 * Interest ("psychographic") segments from what customers buy: each customer's spend share by product
 * category over their purchase lines, and a dominant interest when one category takes at least
 * `dominantShare` of it (default 0.5) and no other category ties it, else 'Varied'; customers without
 * categorised line spend are 'Unknown'.
 * Non-product lines (postage, fees) are left out of the shares: they say nothing about interests.
 * The share matrix is also the category-share feature block for clustering.
 */
import type { CleanLines } from '../clean/types';
import { NON_PRODUCT_CATEGORY, OTHER_CATEGORY, type ProductCategories } from './product-categories';

export const VARIED_INTEREST = 'Varied';
export const UNKNOWN_INTEREST = 'Unknown';

export type InterestOptions = {
  /** Minimum share of a customer's spend for a category to be their dominant interest; default 0.5. */
  dominantShare?: number;
};

export type InterestSegments = {
  /** Columns of `shares`: the categories except Non-product (Other included, last). */
  categories: string[];
  /** customers × categories, row-major: shares[i * categories.length + j]; rows sum to 1 (0 for Unknown). */
  shares: Float64Array;
  /** Per customer: Σ positive line amounts over the categories (the denominator of the shares). */
  spend: Float64Array;
  /** Per customer: column of the dominant interest, −1 Varied, −2 Unknown. */
  dominantIndex: Int32Array;
  /** Per customer: category name, 'Varied' or 'Unknown'. */
  interest: string[];
  /** Customers per interest label (every category, Varied and Unknown listed). */
  counts: Record<string, number>;
  dominantShare: number;
};

export class InterestInputError extends Error {
  readonly code = 'INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'InterestInputError';
  }
}

/** What interest segments need from a CleanResult (customers, orders.customer, lines). */
export type InterestInput = {
  customers: readonly unknown[];
  orders: { customer: Int32Array };
  lines?: Pick<CleanLines, 'order' | 'product' | 'amount'>;
};

/**
 * Per-customer spend shares by category and dominant interest; rows follow `clean.customers` (join an
 * RfmSummary row i through summary.customerIndex[i]).
 * Example: a customer with 60 on Bags and 40 on Candles → shares 0.6 / 0.4, interest 'Bags'.
 */
export function interestSegments(
  clean: InterestInput,
  productCategories: ProductCategories,
  options: InterestOptions = {},
): InterestSegments {
  const dominantShare = options.dominantShare ?? 0.5;
  if (!(dominantShare > 0 && dominantShare <= 1)) {
    throw new InterestInputError(`dominantShare must be in (0, 1], got ${dominantShare}.`);
  }
  const n = clean.customers.length;
  const all = productCategories.categories;
  const nonProduct = all.indexOf(NON_PRODUCT_CATEGORY);
  const otherAll = all.indexOf(OTHER_CATEGORY);
  // Column of each category in the share matrix (Non-product has none).
  const column = new Int32Array(all.length).fill(-1);
  const categories: string[] = [];
  all.forEach((c, i) => {
    if (i !== nonProduct) column[i] = categories.push(c) - 1;
  });
  const k = categories.length;
  const otherColumn = otherAll >= 0 ? column[otherAll] : -1;
  const shares = new Float64Array(n * k);
  const spend = new Float64Array(n);

  const lines = clean.lines;
  if (lines) {
    const orderCustomer = clean.orders.customer;
    const productCategory = productCategories.productCategory;
    for (let l = 0; l < lines.order.length; l++) {
      const a = lines.amount[l];
      if (!(a > 0)) continue;
      const p = lines.product[l];
      const col = p >= 0 ? column[productCategory[p]] : otherColumn;
      if (col < 0) continue;
      const i = orderCustomer[lines.order[l]];
      shares[i * k + col] += a;
      spend[i] += a;
    }
  }

  const dominantIndex = new Int32Array(n);
  const interest = new Array<string>(n);
  const counts: Record<string, number> = {};
  for (const c of categories) counts[c] = 0;
  counts[VARIED_INTEREST] = 0;
  counts[UNKNOWN_INTEREST] = 0;
  // Compare against the threshold with a little slack so an exact half (0.5 of 0.1 + 0.2 …) is not lost to rounding.
  const threshold = dominantShare - 1e-12;
  for (let i = 0; i < n; i++) {
    const total = spend[i];
    if (!(total > 0)) {
      dominantIndex[i] = -2;
      interest[i] = UNKNOWN_INTEREST;
      counts[UNKNOWN_INTEREST]++;
      continue;
    }
    let best = -1;
    let bestShare = -1;
    let secondShare = -1;
    const row = i * k;
    for (let j = 0; j < k; j++) {
      const s = shares[row + j] / total;
      shares[row + j] = s;
      if (s > bestShare) {
        secondShare = bestShare;
        bestShare = s;
        best = j;
      } else if (s > secondShare) secondShare = s;
    }
    // Two categories tied for the top share (50/50 with the default threshold) have no dominant one.
    if (bestShare >= threshold && bestShare - secondShare > 1e-12) {
      dominantIndex[i] = best;
      interest[i] = categories[best];
    } else {
      dominantIndex[i] = -1;
      interest[i] = VARIED_INTEREST;
    }
    counts[interest[i]]++;
  }
  return { categories, shares, spend, dominantIndex, interest, counts, dominantShare };
}
