/**
 * Offline evaluation, leave-last-basket-out (the usual top-N protocol: Deshpande & Karypis 2004, "Item-based
 * top-N recommendation algorithms"; Cremonesi, Koren & Turrin 2010): for every customer with ≥ 2 baskets the latest basket is hidden and the
 * model is learnt from all other baskets (everyone's, including other customers' later ones: a per-customer
 * split, not a global time cut, so each customer is tested on their own next purchase). A hit is any of the
 * N recommended products (never ones the customer bought in training) appearing in the hidden basket.
 * The baseline recommends everyone's N most popular products (distinct buyers in training) not yet bought.
 *
 * With `trainUntil` the split is a global time cut instead (what a nightly run faces): learn from baskets at
 * or before it, and test each customer with baskets on both sides on their first basket after it.
 */
import { customerItems } from './baskets';
import type { SimilarityOptions } from './item-similarity';
import { learnNeighbours, noNeighbours } from './learn-neighbours';
import { bestSellers, productPopularity } from './product-popularity';
import { RECOMMEND_DEFAULTS } from './defaults';
import { recommendCustomers } from './score-unbought-items';
import type { CustomerRecommendations } from './score-unbought-items';
import type { Baskets, CooccurrenceLevel } from './types';

export type HitRateOptions = {
  count?: number;
  level?: CooccurrenceLevel;
  similarity?: Omit<SimilarityOptions, 'include'>;
  /** Weigh bought products by recency with this half-life (days); absent = equal weights. */
  recencyHalfLifeDays?: number;
  /** Global time cut (epoch ms) instead of leave-last-basket-out. */
  trainUntil?: number;
};

export type HitRate = {
  /** Customers tested (≥ 2 baskets; with trainUntil, baskets on both sides of it), each once. */
  customers: number;
  /** Of those, customers whose hidden basket has a product they had not bought before (a hit is possible). */
  hittable: number;
  hits: number;
  hitRate: number;
  baselineHits: number;
  baselineHitRate: number;
};

export function evaluateHitRate(baskets: Baskets, options: HitRateOptions = {}): HitRate {
  const count = options.count ?? RECOMMEND_DEFAULTS.count;
  const { productsCount } = baskets;
  const {
    include,
    tested,
    hidden: last,
  } = options.trainUntil === undefined ? leaveLastOut(baskets) : splitAt(baskets, options.trainUntil);
  const train = customerItems(baskets, include);
  const neighbours = learnNeighbours(
    options.level ?? RECOMMEND_DEFAULTS.level,
    baskets,
    train,
    options.similarity,
    include,
  );
  const popular = bestSellers(productPopularity(train));
  const common = { count, bestSellers: popular, customers: tested };
  const ours = recommendCustomers(train, neighbours, {
    ...common,
    recencyHalfLifeDays: options.recencyHalfLifeDays,
  });
  const baseline = recommendCustomers(train, noNeighbours(productsCount), common);

  const hidden = new Int32Array(productsCount);
  const boughtBefore = new Int32Array(productsCount);
  let hittable = 0;
  let hits = 0;
  let baselineHits = 0;
  for (const c of tested) {
    const b = last[c];
    for (let k = train.offsets[c]; k < train.offsets[c + 1]; k++) boughtBefore[train.items[k]] = c + 1;
    let isHittable = false;
    for (let k = baskets.offsets[b]; k < baskets.offsets[b + 1]; k++) {
      const p = baskets.items[k];
      hidden[p] = c + 1;
      if (boughtBefore[p] !== c + 1) isHittable = true;
    }
    if (isHittable) hittable++;
    if (anyHit(ours, c, hidden)) hits++;
    if (anyHit(baseline, c, hidden)) baselineHits++;
  }
  const n = tested.length;
  return {
    customers: n,
    hittable,
    hits,
    hitRate: n ? hits / n : NaN,
    baselineHits,
    baselineHitRate: n ? baselineHits / n : NaN,
  };
}

type Split = { include: Uint8Array; tested: number[]; hidden: Int32Array };

function leaveLastOut(baskets: Baskets): Split {
  const nBaskets = baskets.customer.length;
  const { customersCount } = baskets;
  const hidden = new Int32Array(customersCount).fill(-1);
  const basketsOf = new Int32Array(customersCount);
  for (let b = 0; b < nBaskets; b++) {
    const c = baskets.customer[b];
    basketsOf[c]++;
    // Latest time wins; equal times: the later order.
    if (hidden[c] < 0 || baskets.time[b] >= baskets.time[hidden[c]]) hidden[c] = b;
  }
  const include = new Uint8Array(nBaskets).fill(1);
  const tested: number[] = [];
  for (let c = 0; c < customersCount; c++) {
    if (basketsOf[c] >= 2) {
      tested.push(c);
      include[hidden[c]] = 0;
    }
  }
  return { include, tested, hidden };
}

function splitAt(baskets: Baskets, trainUntil: number): Split {
  const nBaskets = baskets.customer.length;
  const { customersCount } = baskets;
  const hidden = new Int32Array(customersCount).fill(-1);
  const before = new Uint8Array(customersCount);
  const include = new Uint8Array(nBaskets);
  for (let b = 0; b < nBaskets; b++) {
    const c = baskets.customer[b];
    if (baskets.time[b] <= trainUntil) {
      include[b] = 1;
      before[c] = 1;
    } else if (hidden[c] < 0 || baskets.time[b] < baskets.time[hidden[c]]) {
      // Earliest basket after the cut; equal times: the earlier order.
      hidden[c] = b;
    }
  }
  const tested: number[] = [];
  for (let c = 0; c < customersCount; c++) if (before[c] && hidden[c] >= 0) tested.push(c);
  return { include, tested, hidden };
}

function anyHit(recs: CustomerRecommendations, c: number, hidden: Int32Array): boolean {
  for (let r = c * recs.count; r < (c + 1) * recs.count; r++) {
    const p = recs.product[r];
    if (p >= 0 && hidden[p] === c + 1) return true;
  }
  return false;
}
