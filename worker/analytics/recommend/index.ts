export { buildBaskets, customerItems, productMaskFrom, type BasketOptions } from './baskets';
export { RECOMMEND_DEFAULTS } from './defaults';
export { evaluateHitRate, type HitRate, type HitRateOptions } from './hit-rate';
export { itemNeighbours, type ProductSets, type SimilarityOptions } from './item-similarity';
export { learnNeighbours, noNeighbours } from './learn-neighbours';
export { bestSellers, groupBySegment, productPopularity, type ProductPopularity } from './product-popularity';
export {
  recommendCustomers,
  REASON_BEST_SELLER,
  REASON_NONE,
  REASON_OFTEN_BOUGHT_WITH,
  REASON_SEGMENT_BEST_SELLER,
  type CustomerRecommendations,
  type ScoringOptions,
} from './score-unbought-items';
export { RecommendError } from './recommend-error';
export {
  recommendationBasis,
  recommendationBasisInput,
  recommendationsOf,
  recommendForCustomers,
  recommendFromBasis,
  type RecommendFinishInput,
  type RecommendationBasis,
  type RecommendationBasisInput,
  type NamedSegmentProduct,
  type Recommendation,
  type RecommendInput,
  type RecommendResult,
  type SegmentProducts,
} from './recommendation-stage';
export {
  segmentProductTable,
  type SegmentProduct,
  type SegmentProductOptions,
  type SegmentProductTable,
} from './segment-products';
export type {
  Baskets,
  BestSellerList,
  CooccurrenceLevel,
  CustomerItems,
  ItemNeighbours,
  LinesInput,
  OrdersInput,
  ReasonKind,
} from './types';
