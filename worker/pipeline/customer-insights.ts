/**
 * The second half of the score path (issue P2): RFM and interest segments, behavioural clusters, churn and
 * recommendations for every scored customer. Pure orchestration of worker/analytics; rows follow the RFM
 * summary (the scores.csv order), joined to the cleaner's customer indices through summary.customerIndex.
 */
import type { CleanResult } from '../analytics/clean';
import { trainAndScoreChurn, type ChurnResult } from '../analytics/churn';
import {
  recommendationsOf,
  recommendForCustomers,
  type Recommendation,
  type RecommendResult,
} from '../analytics/recommend';
import type { RfmSummary } from '../analytics/rfm';
import {
  ClusterError,
  clusterCustomers,
  type ClusterModel,
  type CustomerSegments,
} from '../analytics/segments/clusters';
import { demographicSegments } from '../analytics/segments/demographics';
import { interestSegments, type InterestSegments } from '../analytics/segments/interests';
import { categorizeProducts } from '../analytics/segments/product-categories';
import {
  rfmValuesFromSummary,
  RFM_SEGMENTS,
  scoreRfm,
  type RfmScores,
} from '../analytics/segments/rfm-segments';
import { segmentProfiles, type SegmentProfile } from '../analytics/segments/segment-profile';

export type InsightSettings = {
  observationEnd: string;
  /** Churn window in days (default 90; personal 2× median gap when longer). */
  churnWindowDays: number;
  /** Explicit product → category map (e.g. the demo catalogue or a --categories file). */
  productCategories?: ReadonlyMap<string, string>;
  /** Number of behavioural segments; automatic (silhouette, 2…10) when absent. */
  clusters?: number;
  /** The previous run's segment model and assignments: keeps segment ids stable and gives migration. */
  previous?: { model: ClusterModel; segmentByCustomer?: ReadonlyMap<string, string> };
  /** Product names by id where the data have none (e.g. the demo catalogue). */
  productNames?: ReadonlyMap<string, string>;
  /** Which product ids are real products (Online Retail has postage, fees and manual adjustments). */
  isProduct?: (productId: string) => boolean;
};

export type CustomerInsights = {
  /** Null when the data cannot support clusters (a warning says why). */
  segments: CustomerSegments | null;
  rfm: RfmScores;
  /** Per summary row. */
  interest: string[];
  /** Per summary row: normalised country, 'unknown' when the data have none. */
  country: string[];
  /** Per summary row: churn probability (NaN when not scored), risk band and driver texts. */
  churnProbability: Float64Array;
  churnRisk: (string | null)[];
  churnDrivers: (row: number) => string[];
  churn: ChurnResult | null;
  /** Per summary row: up to five products not yet bought, each with a reason. */
  recommendations: (row: number) => Recommendation[];
  recommend: RecommendResult | null;
  profiles: {
    behaviour: SegmentProfile[];
    rfm: SegmentProfile[];
    interest: SegmentProfile[];
    country: SegmentProfile[];
  };
  interests: InterestSegments | null;
  warnings: string[];
};

export function customerInsights(
  clean: CleanResult,
  summary: RfmSummary,
  clv: Float64Array,
  settings: InsightSettings,
): CustomerInsights {
  const warnings: string[] = [];
  const rows = summary.ids.length;
  const rowCustomer = summary.customerIndex;

  const rfm = scoreRfm(rfmValuesFromSummary(summary));

  let interests: InterestSegments | null = null;
  let interest: string[] = new Array<string>(rows).fill('Unknown');
  let rowShares: Float64Array | undefined;
  if (clean.lines && clean.products) {
    const categories = categorizeProducts(clean.products, {
      names: clean.productNames,
      explicit: settings.productCategories,
    });
    interests = interestSegments(clean, categories);
    const k = interests.categories.length;
    rowShares = new Float64Array(rows * k);
    interest = new Array<string>(rows);
    for (let i = 0; i < rows; i++) {
      const c = rowCustomer[i];
      interest[i] = interests.interest[c];
      rowShares.set(interests.shares.subarray(c * k, (c + 1) * k), i * k);
    }
  }

  const extra =
    interests && rowShares ? { categoryShares: { names: interests.categories, values: rowShares } } : {};
  let segments: CustomerSegments | null = null;
  try {
    segments = clusterCustomers({
      summary,
      extra,
      options: { k: settings.clusters },
      previous: settings.previous,
    });
  } catch (error) {
    if (!(error instanceof ClusterError)) throw error;
    if (error.code === 'INCOMPATIBLE_CLUSTER_MODEL') {
      // The previous model used features these data lack: start a fresh model and say so.
      warnings.push(`segments: ${error.message}; fitted a new segment model (ids start afresh).`);
      segments = clusterCustomers({ summary, extra, options: { k: settings.clusters } });
    } else {
      // Too few customers (or no spread) for clusters: say so and leave the segment columns empty.
      warnings.push(`segments: no behavioural segments (${error.message}).`);
    }
  }

  // Demographics: CSV data carry at most a country; CRM connectors will add birth date, gender and region.
  const countryByCustomer = clean.customerCountry;
  const country = countryByCustomer
    ? demographicSegments(
        rows,
        { country: Array.from(rowCustomer, (c) => countryByCustomer[c]) },
        settings.observationEnd,
      ).country
    : new Array<string>(rows).fill('unknown');

  let churn: ChurnResult | null = null;
  const churnProbability = new Float64Array(rows).fill(NaN);
  const churnRisk: (string | null)[] = new Array<string | null>(rows).fill(null);
  try {
    churn = trainAndScoreChurn({
      orders: clean.orders,
      customers: clean.customers.length,
      channels: clean.channels,
      cancellations: clean.cancellations,
      observationEnd: settings.observationEnd,
      options: { windowDays: settings.churnWindowDays },
    });
    warnings.push(...churn.warnings.map((w) => `churn: ${w}`));
    for (let i = 0; i < rows; i++) {
      churnProbability[i] = churn.perCustomer.probability[rowCustomer[i]];
      churnRisk[i] = churn.perCustomer.risk[rowCustomer[i]];
    }
  } catch (error) {
    warnings.push(
      `churn model not trained: ${error instanceof Error ? error.message : String(error)} ` +
        '(the churn columns are left empty).',
    );
  }
  const churnModel = churn;
  const churnDrivers = (row: number): string[] =>
    churnModel ? churnModel.perCustomer.drivers(rowCustomer[row]).map((d) => d.text) : [];

  let recommend: RecommendResult | null = null;
  if (clean.lines && clean.products) {
    const segmentOf = new Int32Array(clean.customers.length).fill(-1);
    if (segments) {
      const labelOf = new Map(segments.model.ids.map((id, k) => [id, k]));
      for (let i = 0; i < rows; i++) segmentOf[rowCustomer[i]] = labelOf.get(segments.segmentId[i]) ?? -1;
    }
    recommend = recommendForCustomers({
      lines: clean.lines,
      orders: clean.orders,
      products: clean.products,
      productNames: namesOf(clean.products, clean.productNames, settings.productNames),
      customersCount: clean.customers.length,
      segmentOf: segments ? segmentOf : undefined,
      segmentNames: segments?.model.names,
      isProduct: settings.isProduct,
    });
  }
  const recommendResult = recommend;
  const recommendations = (row: number): Recommendation[] =>
    recommendResult ? recommendationsOf(recommendResult, rowCustomer[row]) : [];

  const categories = interests && rowShares ? { names: interests.categories, shares: rowShares } : undefined;
  const profile = (labels: string[], order?: readonly string[]) =>
    segmentProfiles({
      labels,
      revenue: summary.totalRevenue,
      clv,
      churn: churn ? churnProbability : undefined,
      categories,
      order,
    });
  return {
    segments,
    rfm,
    interest,
    country,
    churnProbability,
    churnRisk,
    churnDrivers,
    churn,
    recommendations,
    recommend,
    profiles: {
      behaviour: segments ? profile(segments.segmentName) : [],
      rfm: profile(rfm.segmentName, RFM_SEGMENTS),
      interest: profile(interest),
      country: countryByCustomer ? profile(country) : [],
    },
    interests,
    warnings,
  };
}

/** The data's product names, filled from a supplied map where the data have none. */
function namesOf(
  products: readonly string[],
  names: readonly string[] | undefined,
  fallback: ReadonlyMap<string, string> | undefined,
): string[] | undefined {
  if (!fallback) return names?.slice();
  return products.map((id, i) => names?.[i] || fallback.get(id) || '');
}
