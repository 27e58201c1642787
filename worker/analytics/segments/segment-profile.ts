/**
 * Segment profile table for any labelling (RFM segments, clusters, interests, demographics): per segment its
 * size, share of customers and of revenue, mean and median CLV, churn rate and top categories by revenue.
 */
import { OTHER_CATEGORY } from './product-categories';

export type SegmentProfileInput = {
  /** Segment label per customer. */
  labels: readonly string[];
  /** Historic revenue per customer. */
  revenue: ArrayLike<number>;
  /** Predicted CLV per customer; NaN entries are left out of the mean and median. */
  clv?: ArrayLike<number>;
  /** Churned flag (0/1) or churn probability per customer; the churn rate is its mean (NaN left out). */
  churn?: ArrayLike<number>;
  /**
   * Category shares (InterestSegments.categories / shares, row-major customers × categories) and the spend
   * they are shares of (InterestSegments.spend; default `revenue`): a segment's category revenue is
   * Σ spend_i · share_ij over its customers.
   */
  categories?: { names: readonly string[]; shares: Float64Array; spend?: ArrayLike<number> };
  /** Segments listed first in this order, even when empty (e.g. RFM_SEGMENTS); others follow by size. */
  order?: readonly string[];
  /** How many top categories per segment; default 3. */
  topCategories?: number;
};

export type SegmentCategory = {
  category: string;
  revenue: number;
  /** Of the segment's category revenue. */ share: number;
};

export type SegmentProfile = {
  segment: string;
  size: number;
  /** size / all customers. */
  customerShare: number;
  revenue: number;
  /** revenue / all customers' revenue (0 when that is 0). */
  revenueShare: number;
  /** null when there is no CLV input or no finite value in the segment. */
  meanClv: number | null;
  medianClv: number | null;
  /** Mean of the churn flag/probability; null without churn input or values. */
  churnRate: number | null;
  /** Top categories by revenue, 'Other' left out (it names no interest). */
  topCategories: SegmentCategory[];
};

export class SegmentProfileError extends Error {
  readonly code = 'INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'SegmentProfileError';
  }
}

/**
 * Example: segmentProfiles({ labels: ['A', 'B', 'A'], revenue: [10, 5, 30] })
 *   → [{ segment: 'A', size: 2, revenueShare: 40 / 45, … }, { segment: 'B', size: 1, … }]
 */
export function segmentProfiles(input: SegmentProfileInput): SegmentProfile[] {
  const { labels, revenue, clv, churn, categories } = input;
  const n = labels.length;
  const check = (name: string, a: ArrayLike<number> | undefined, length = n) => {
    if (a !== undefined && a.length !== length)
      throw new SegmentProfileError(
        `${name} has ${a.length} entries, expected ${length} (one per customer).`,
      );
  };
  check('revenue', revenue);
  check('clv', clv);
  check('churn', churn);
  const k = categories?.names.length ?? 0;
  if (categories) {
    check('categories.shares', categories.shares, n * k);
    check('categories.spend', categories.spend);
  }
  const topCount = input.topCategories ?? 3;

  // Segment ids: the requested order first, then labels as first seen.
  const ids = new Map<string, number>();
  const names: string[] = [];
  for (const s of input.order ?? []) if (!ids.has(s)) ids.set(s, names.push(s) - 1);
  const segmentOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    let s = ids.get(label);
    if (s === undefined) {
      s = names.push(label) - 1;
      ids.set(label, s);
    }
    segmentOf[i] = s;
  }
  const m = names.length;
  const size = new Float64Array(m);
  const segRevenue = new Float64Array(m);
  const clvSum = new Float64Array(m);
  const clvCount = new Float64Array(m);
  const churnSum = new Float64Array(m);
  const churnCount = new Float64Array(m);
  const catRevenue = new Float64Array(m * k);
  let totalRevenue = 0;
  const weight = categories?.spend ?? revenue;
  for (let i = 0; i < n; i++) {
    const s = segmentOf[i];
    size[s]++;
    const r = revenue[i];
    if (r === r) {
      segRevenue[s] += r;
      totalRevenue += r;
    }
    if (clv) {
      const v = clv[i];
      if (v === v) {
        clvSum[s] += v;
        clvCount[s]++;
      }
    }
    if (churn) {
      const v = churn[i];
      if (v === v) {
        churnSum[s] += v;
        churnCount[s]++;
      }
    }
    if (categories) {
      const w = weight[i];
      if (w > 0) {
        const row = i * k;
        const out = s * k;
        for (let j = 0; j < k; j++) catRevenue[out + j] += w * categories.shares[row + j];
      }
    }
  }
  const medians = clv ? segmentMedians(segmentOf, clv, clvCount) : null;

  const profiles: SegmentProfile[] = names.map((segment, s) => ({
    segment,
    size: size[s],
    customerShare: n > 0 ? size[s] / n : 0,
    revenue: segRevenue[s],
    revenueShare: totalRevenue !== 0 ? segRevenue[s] / totalRevenue : 0,
    meanClv: clvCount[s] > 0 ? clvSum[s] / clvCount[s] : null,
    medianClv: medians && clvCount[s] > 0 ? medians[s] : null,
    churnRate: churnCount[s] > 0 ? churnSum[s] / churnCount[s] : null,
    topCategories: categories
      ? topCategoriesOf(catRevenue.subarray(s * k, s * k + k), categories.names, topCount)
      : [],
  }));
  const listed = input.order ? new Set(input.order).size : 0;
  const rest = profiles.slice(listed).sort((a, b) => b.size - a.size || (a.segment < b.segment ? -1 : 1));
  return [...profiles.slice(0, listed), ...rest];
}

/** Median of the finite CLVs per segment (mean of the two middle values for an even count). */
function segmentMedians(segmentOf: Int32Array, clv: ArrayLike<number>, count: Float64Array): Float64Array {
  const m = count.length;
  const start = new Int32Array(m + 1);
  for (let s = 0; s < m; s++) start[s + 1] = start[s] + count[s];
  const fill = start.slice(0, m);
  const values = new Float64Array(start[m]);
  for (let i = 0; i < segmentOf.length; i++) {
    const v = clv[i];
    if (v === v) values[fill[segmentOf[i]]++] = v;
  }
  const medians = new Float64Array(m);
  for (let s = 0; s < m; s++) {
    const c = start[s + 1] - start[s];
    if (c === 0) continue;
    const part = values.subarray(start[s], start[s + 1]).sort();
    medians[s] = c % 2 === 1 ? part[(c - 1) / 2] : (part[c / 2 - 1] + part[c / 2]) / 2;
  }
  return medians;
}

function topCategoriesOf(revenue: Float64Array, names: readonly string[], count: number): SegmentCategory[] {
  let total = 0;
  for (let j = 0; j < revenue.length; j++) total += revenue[j];
  const ranked: SegmentCategory[] = [];
  for (let j = 0; j < revenue.length; j++) {
    if (names[j] === OTHER_CATEGORY || !(revenue[j] > 0)) continue;
    ranked.push({ category: names[j], revenue: revenue[j], share: revenue[j] / total });
  }
  // Ties by column order (stable sort), so equal revenues list in the category table's order.
  ranked.sort((a, b) => b.revenue - a.revenue);
  return ranked.slice(0, count);
}
