/**
 * Offline evaluation, leave-last-basket-out (the usual top-N protocol: Deshpande & Karypis 2004, §5;
 * Cremonesi, Koren & Turrin 2010): for every customer with ≥ 2 baskets the latest basket is hidden and the
 * model is learnt from all other baskets (everyone's, including other customers' later ones: a per-customer
 * split, not a global time cut, so each customer is tested on their own next purchase). A hit is any of the
 * N recommended products (never ones the customer bought in training) appearing in the hidden basket.
 * The baseline recommends everyone's N most popular products (distinct buyers in training) not yet bought.
 */
import { customerItems } from './baskets';
import type { SimilarityOptions } from './item-similarity';
import { learnNeighbours, noNeighbours, type CooccurrenceLevel } from './learn-neighbours';
import { bestSellers, productPopularity } from './product-popularity';
import { RECOMMEND_DEFAULTS } from './defaults';
import { recommendCustomers } from './recommend-customers';
import type { CustomerRecommendations } from './recommend-customers';
import type { Baskets } from './types';

export type HitRateOptions = {
  count?: number;
  level?: CooccurrenceLevel;
  similarity?: Omit<SimilarityOptions, 'include'>;
  /** Weigh bought products by recency with this half-life (days); absent = equal weights. */
  recencyHalfLifeDays?: number;
};

export type HitRate = {
  /** Customers with ≥ 2 baskets (each tested once). */
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
  const nBaskets = baskets.customer.length;
  const { customersCount, productsCount } = baskets;
  const last = new Int32Array(customersCount).fill(-1);
  const basketsOf = new Int32Array(customersCount);
  for (let b = 0; b < nBaskets; b++) {
    const c = baskets.customer[b];
    basketsOf[c]++;
    // Latest time wins; equal times: the later order.
    if (last[c] < 0 || baskets.time[b] >= baskets.time[last[c]]) last[c] = b;
  }
  const include = new Uint8Array(nBaskets).fill(1);
  const tested: number[] = [];
  for (let c = 0; c < customersCount; c++) {
    if (basketsOf[c] >= 2) {
      tested.push(c);
      include[last[c]] = 0;
    }
  }
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

function anyHit(recs: CustomerRecommendations, c: number, hidden: Int32Array): boolean {
  for (let r = c * recs.count; r < (c + 1) * recs.count; r++) {
    const p = recs.product[r];
    if (p >= 0 && hidden[p] === c + 1) return true;
  }
  return false;
}
