/**
 * The recommendation stage in one call, for `crm-clv score`: cleaned lines and orders in, per customer the
 * top N products not yet bought with a reason, and per segment the products that make it distinct.
 *
 * @example
 * // isOnlineRetailProduct from connectors/csv/online-retail-products: which ids are goods is the caller's
 * // knowledge of its data set.
 * const r = recommendForCustomers({ lines: clean.lines!, orders: clean.orders, products: clean.products!,
 *   productNames: clean.productNames, customersCount: clean.customers.length, isProduct: isOnlineRetailProduct });
 * recommendationsOf(r, 0); // [{ productId: '22423', score: 0.41, reason: 'often bought with …', … }, …]
 */
import { buildBaskets, customerItems, productMaskFrom } from './baskets';
import { RECOMMEND_DEFAULTS } from './defaults';
import { learnNeighbours } from './learn-neighbours';
import { bestSellers, groupBySegment, productPopularity, type ProductPopularity } from './product-popularity';
import { RecommendError } from './recommend-error';
import {
  REASON_BEST_SELLER,
  REASON_OFTEN_BOUGHT_WITH,
  REASON_SEGMENT_BEST_SELLER,
  recommendCustomers,
  type CustomerRecommendations,
} from './score-unbought-items';
import { segmentProductTable, type SegmentProduct, type SegmentProductOptions } from './segment-products';
import type {
  BestSellerList,
  CooccurrenceLevel,
  CustomerItems,
  ItemNeighbours,
  LinesInput,
  OrdersInput,
  ReasonKind,
} from './types';

export type RecommendInput = {
  lines: LinesInput;
  orders: OrdersInput;
  /** Product id per product index (CleanResult.products). */
  products: readonly string[];
  /** Display name per product index ('' = use the id). */
  productNames?: readonly string[];
  customersCount: number;
  /** Segment label per customer index (−1 = none); enables segment fallbacks and tables. */
  segmentOf?: ArrayLike<number>;
  /** Name per segment label; default "segment <label>". */
  segmentNames?: readonly string[];
  /** Which product ids are goods (e.g. isOnlineRetailProduct); default all. */
  isProduct?: (productId: string) => boolean;
  /** Only orders at or before this time (epoch ms). */
  until?: number;
  /** Recommendations per customer (default 5). */
  count?: number;
  level?: CooccurrenceLevel;
  topK?: number;
  minSupport?: number;
  shrinkage?: number;
  /** Weigh bought products by recency with this half-life (days); absent = equal weights. */
  recencyHalfLifeDays?: number;
  segmentTables?: SegmentProductOptions;
};

export type Recommendation = {
  productId: string;
  productName: string;
  score: number;
  reason: string;
  reasonKind: ReasonKind;
};

export type NamedSegmentProduct = SegmentProduct & { productId: string; productName: string };

export type SegmentProducts = {
  segment: number;
  segmentName: string;
  customers: number;
  revenue: number;
  byRevenue: NamedSegmentProduct[];
  byLift: NamedSegmentProduct[];
};

export type RecommendResult = {
  recommendations: CustomerRecommendations;
  neighbours: ItemNeighbours;
  /** Everyone's best sellers (distinct buyers), all products bought by anyone. */
  bestSellers: BestSellerList;
  /** One per segment label, in label order; empty without segmentOf. */
  segments: SegmentProducts[];
  products: readonly string[];
  productNames: readonly string[];
  segmentNames: readonly string[];
};

/** Segment best-seller lists keep this many products (a customer who bought all of them gets global fills). */
const SEGMENT_LIST_DEPTH = 200;

/**
 * What the recommendations learn from the purchases alone, whatever the segments: baskets made into each
 * customer's products, the product neighbours and everyone's best sellers. It is most of the stage's work and
 * needs no segment, so a score run makes it in a pipeline thread while this one makes the segments. Typed
 * arrays only: it crosses threads as it is.
 */
export type RecommendationBasis = {
  items: CustomerItems;
  neighbours: ItemNeighbours;
  everyone: ProductPopularity;
  popular: BestSellerList;
};

/** What the basis is made from: RecommendInput without the segments, and goods as a mask (no function). */
export type RecommendationBasisInput = Pick<
  RecommendInput,
  'lines' | 'orders' | 'customersCount' | 'until' | 'level' | 'topK' | 'minSupport' | 'shrinkage'
> & {
  productsCount: number;
  /** 1 for each product index that is a good (productMaskFrom); absent = all. */
  productMask?: Uint8Array;
};

export function recommendationBasisInput(input: RecommendInput): RecommendationBasisInput {
  return {
    lines: input.lines,
    orders: input.orders,
    customersCount: input.customersCount,
    productsCount: input.products.length,
    productMask: productMaskFrom(input.products, input.isProduct),
    ...(input.until === undefined ? {} : { until: input.until }),
    ...(input.level === undefined ? {} : { level: input.level }),
    ...(input.topK === undefined ? {} : { topK: input.topK }),
    ...(input.minSupport === undefined ? {} : { minSupport: input.minSupport }),
    ...(input.shrinkage === undefined ? {} : { shrinkage: input.shrinkage }),
  };
}

export function recommendationBasis(input: RecommendationBasisInput): RecommendationBasis {
  const baskets = buildBaskets(input.lines, input.orders, input.productsCount, input.customersCount, {
    until: input.until,
    productMask: input.productMask,
  });
  const items = customerItems(baskets);
  const neighbours = learnNeighbours(input.level ?? RECOMMEND_DEFAULTS.level, baskets, items, {
    topK: input.topK,
    minSupport: input.minSupport,
    shrinkage: input.shrinkage,
  });
  const everyone = productPopularity(items);
  return { items, neighbours, everyone, popular: bestSellers(everyone) };
}

/**
 * @param basis made from `input` beforehand (recommendationBasis of recommendationBasisInput(input)), e.g. in
 *   a pipeline thread; made here when absent.
 */
export function recommendForCustomers(input: RecommendInput, basis?: RecommendationBasis): RecommendResult {
  checkProductNames(input);
  return recommendFromBasis(basis ?? recommendationBasis(recommendationBasisInput(input)), input);
}

/** What the recommendations need besides their basis: the products' names and the segments. */
export type RecommendFinishInput = Omit<
  RecommendInput,
  'lines' | 'orders' | 'isProduct' | RecommendBasisOption
>;

type RecommendBasisOption = 'until' | 'level' | 'topK' | 'minSupport' | 'shrinkage';

function checkProductNames(input: Pick<RecommendInput, 'products' | 'productNames'>): void {
  if (input.productNames && input.productNames.length !== input.products.length) {
    throw new RecommendError(
      'INVALID_INPUT',
      `productNames has ${input.productNames.length} entries for ${input.products.length} products`,
    );
  }
}

/**
 * The recommendations from their basis (recommendationBasis of the same purchases): segment best sellers and
 * tables, then each customer's products. Where the basis lives (a pipeline thread), this runs too.
 */
export function recommendFromBasis(basis: RecommendationBasis, input: RecommendFinishInput): RecommendResult {
  checkProductNames(input);
  const { products, customersCount, segmentOf } = input;
  const productNames = input.productNames ?? products.map(() => '');
  const { items, neighbours, everyone, popular } = basis;

  let segmentsCount = 0;
  if (segmentOf)
    for (let c = 0; c < segmentOf.length; c++) segmentsCount = Math.max(segmentsCount, segmentOf[c] + 1);
  if (input.segmentNames) segmentsCount = Math.max(segmentsCount, input.segmentNames.length);
  const segmentNames = Array.from(
    { length: segmentsCount },
    (_, s) => input.segmentNames?.[s] ?? `segment ${s}`,
  );
  const segmentLists: BestSellerList[] = [];
  const segments: SegmentProducts[] = [];
  if (segmentOf) {
    const groups = groupBySegment(segmentOf, segmentsCount, customersCount);
    for (let s = 0; s < segmentsCount; s++) {
      const inSegment = productPopularity(items, groups.list.subarray(groups.start[s], groups.start[s + 1]));
      segmentLists.push(bestSellers(inSegment, SEGMENT_LIST_DEPTH));
      const table = segmentProductTable(s, inSegment, everyone, input.segmentTables);
      const name = (r: SegmentProduct): NamedSegmentProduct => ({
        ...r,
        productId: products[r.product],
        productName: productNames[r.product] || products[r.product],
      });
      segments.push({
        ...table,
        segmentName: segmentNames[s],
        byRevenue: table.byRevenue.map(name),
        byLift: table.byLift.map(name),
      });
    }
  }
  const recommendations = recommendCustomers(items, neighbours, {
    count: input.count ?? RECOMMEND_DEFAULTS.count,
    recencyHalfLifeDays: input.recencyHalfLifeDays,
    bestSellers: popular,
    segmentOf,
    segmentBestSellers: segmentOf ? segmentLists : undefined,
  });
  return {
    recommendations,
    neighbours,
    bestSellers: popular,
    segments,
    products,
    productNames,
    segmentNames,
  };
}

/** Customer c's recommendations as objects with readable reasons, best first (empty slots left out). */
export function recommendationsOf(
  result: Pick<RecommendResult, 'recommendations' | 'products' | 'productNames' | 'segmentNames'>,
  c: number,
): Recommendation[] {
  const { recommendations: r, products, productNames, segmentNames } = result;
  const label = (p: number) => productNames[p] || products[p];
  const out: Recommendation[] = [];
  for (let k = c * r.count; k < (c + 1) * r.count; k++) {
    const p = r.product[k];
    if (p < 0) break;
    let reason: string;
    let reasonKind: ReasonKind;
    switch (r.reason[k]) {
      case REASON_OFTEN_BOUGHT_WITH:
        reasonKind = 'often-bought-with';
        reason = `often bought with ${label(r.because[k])}`;
        break;
      case REASON_SEGMENT_BEST_SELLER:
        reasonKind = 'segment-best-seller';
        reason = `popular with ${segmentNames[r.because[k]]} customers`;
        break;
      case REASON_BEST_SELLER:
      default:
        reasonKind = 'best-seller';
        reason = 'a best seller';
    }
    out.push({ productId: products[p], productName: label(p), score: r.score[k], reason, reasonKind });
  }
  return out;
}
