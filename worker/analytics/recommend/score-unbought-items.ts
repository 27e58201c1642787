/**
 * Top-N products per customer that the customer has not bought yet. Item-based scoring (Sarwar et al.
 * 2001, §3.2 weighted sum; Deshpande & Karypis 2004, top-N item-based): score(j) = Σ_{i bought} w_i ·
 * sim(i, j) over the stored top-K neighbours of each bought product i, with w_i = 1, or, with a half-life,
 * w_i = 2^(−(t_last − t_i) / halfLife) where t_i is the customer's latest purchase of i and t_last the
 * customer's latest purchase of anything (so recent interests weigh more; a common factor per customer
 * would not change the ranking). The reason names the bought product contributing most to the score.
 * Fewer than N candidates: filled from the customer's segment's best sellers, then everyone's.
 */
import { requireInteger, requireNumber, RecommendError } from './recommend-error';
import type { BestSellerList, CustomerItems, ItemNeighbours } from './types';

/** Reason codes in CustomerRecommendations.reason. */
export const REASON_NONE = 0;
export const REASON_OFTEN_BOUGHT_WITH = 1;
export const REASON_SEGMENT_BEST_SELLER = 2;
export const REASON_BEST_SELLER = 3;

/**
 * count slots per customer, customer c's at [c·count, (c+1)·count), best first; product −1 = empty slot
 * (nothing left to recommend). score: Σ of similarities for co-purchase picks, 0 for best-seller fills.
 * because: the bought product behind an "often bought with" pick, the segment behind a segment fill, else −1.
 */
export type CustomerRecommendations = {
  count: number;
  product: Int32Array;
  score: Float64Array;
  reason: Uint8Array;
  because: Int32Array;
};

export type ScoringOptions = {
  /** Recommendations per customer (default 5). */
  count?: number;
  /** Weigh each bought product by its recency with this half-life (days); absent = equal weights. */
  recencyHalfLifeDays?: number;
  /** Everyone's best sellers (the last fallback). */
  bestSellers: BestSellerList;
  /** Per customer segment label, −1 = none; with segmentBestSellers. */
  segmentOf?: ArrayLike<number>;
  segmentBestSellers?: readonly BestSellerList[];
  /** Score only these customers (others keep empty slots); default all. */
  customers?: ArrayLike<number>;
};

const MS_PER_DAY = 86_400_000;

export function recommendCustomers(
  items: CustomerItems,
  neighbours: ItemNeighbours,
  options: ScoringOptions,
): CustomerRecommendations {
  const { exp, LN2 } = Math;
  const count = options.count ?? 5;
  requireInteger('count', count, 1, 1000);
  const halfLife = options.recencyHalfLifeDays;
  if (halfLife !== undefined) requireNumber('recencyHalfLifeDays', halfLife, Number.MIN_VALUE);
  const { segmentOf, segmentBestSellers } = options;
  if (segmentOf && !segmentBestSellers) {
    throw new RecommendError('INVALID_OPTIONS', 'segmentOf needs segmentBestSellers (one list per segment)');
  }
  const decay = halfLife === undefined ? 0 : LN2 / (halfLife * MS_PER_DAY);
  const customersCount = items.offsets.length - 1;
  const P = items.productsCount;
  const product = new Int32Array(customersCount * count).fill(-1);
  const score = new Float64Array(customersCount * count);
  const reason = new Uint8Array(customersCount * count);
  const because = new Int32Array(customersCount * count).fill(-1);

  // Ties in score go to the more popular product (then the lower index).
  const rank = new Int32Array(P).fill(P);
  for (let r = 0; r < options.bestSellers.length; r++) rank[options.bestSellers[r]] = r;
  // Per product, interleaved so that one accumulation touches one cache line, not four arrays (the loop is
  // memory-bound): [Σ contributions, largest contribution, its bought product, bought-by stamp].
  const scratch = new Float64Array(4 * P);
  const touched = new Int32Array(P);
  const topScore = new Float64Array(count);
  const topItem = new Int32Array(count);
  const { offsets: nOff, neighbour, similarity } = neighbours;
  const { offsets: itemOffsets, items: boughtItems, lastTime } = items;

  const n = options.customers ? options.customers.length : customersCount;
  for (let m = 0; m < n; m++) {
    const c = options.customers ? options.customers[m] : m;
    const from = itemOffsets[c];
    const to = itemOffsets[c + 1];
    const stamp = c + 1;
    let latest = -Infinity;
    for (let k = from; k < to; k++) {
      scratch[4 * boughtItems[k] + 3] = stamp;
      if (lastTime[k] > latest) latest = lastTime[k];
    }
    let nTouched = 0;
    for (let k = from; k < to; k++) {
      const i = boughtItems[k];
      const w = decay > 0 ? exp(-decay * (latest - lastTime[k])) : 1;
      const end = nOff[i + 1];
      for (let e = nOff[i]; e < end; e++) {
        const j = neighbour[e];
        const j4 = 4 * j;
        if (scratch[j4 + 3] === stamp) continue;
        const contribution = w * similarity[e];
        // A weight that underflowed to 0 adds nothing, and a 0 sum must keep meaning "not touched yet".
        if (!(contribution > 0)) continue;
        if (scratch[j4] === 0) {
          touched[nTouched++] = j;
          scratch[j4 + 1] = contribution;
          scratch[j4 + 2] = i;
        } else if (contribution > scratch[j4 + 1]) {
          scratch[j4 + 1] = contribution;
          scratch[j4 + 2] = i;
        }
        scratch[j4] += contribution;
      }
    }
    let kept = 0;
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      const s = scratch[4 * j];
      scratch[4 * j] = 0;
      if (kept === count && !better(s, j, topScore[count - 1], topItem[count - 1], rank)) continue;
      let pos = kept < count ? kept++ : count - 1;
      while (pos > 0 && better(s, j, topScore[pos - 1], topItem[pos - 1], rank)) {
        topScore[pos] = topScore[pos - 1];
        topItem[pos] = topItem[pos - 1];
        pos--;
      }
      topScore[pos] = s;
      topItem[pos] = j;
    }
    const base = c * count;
    for (let r = 0; r < kept; r++) {
      product[base + r] = topItem[r];
      score[base + r] = topScore[r];
      reason[base + r] = REASON_OFTEN_BOUGHT_WITH;
      because[base + r] = scratch[4 * topItem[r] + 2];
    }
    const slots = { product, reason, because, base, count, scratch, stamp };
    let filled = kept;
    const segment = segmentOf ? segmentOf[c] : -1;
    if (segment >= 0 && segmentBestSellers) {
      filled = fillFrom(segmentBestSellers[segment], REASON_SEGMENT_BEST_SELLER, segment, filled, slots);
    }
    fillFrom(options.bestSellers, REASON_BEST_SELLER, -1, filled, slots);
  }
  return { count, product, score, reason, because };
}

type Slots = {
  product: Int32Array;
  reason: Uint8Array;
  because: Int32Array;
  /** First slot of the customer. */
  base: number;
  count: number;
  /** Bought-by stamps at 4p + 3. */
  scratch: Float64Array;
  stamp: number;
};

/** Fills the customer's empty slots from `list`, skipping bought and already chosen products. */
function fillFrom(list: BestSellerList, why: number, source: number, at: number, s: Slots): number {
  const { product, base, count } = s;
  for (let r = 0; r < list.length && at < count; r++) {
    const p = list[r];
    if (s.scratch[4 * p + 3] === s.stamp) continue;
    let taken = false;
    for (let q = base; q < base + at; q++) if (product[q] === p) taken = true;
    if (taken) continue;
    product[base + at] = p;
    s.reason[base + at] = why;
    s.because[base + at] = source;
    at++;
  }
  return at;
}

function better(s: number, j: number, s2: number, j2: number, rank: Int32Array): boolean {
  return s > s2 || (s === s2 && (rank[j] < rank[j2] || (rank[j] === rank[j2] && j < j2)));
}
