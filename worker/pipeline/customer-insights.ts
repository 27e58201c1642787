/**
 * The second half of the score path (issue P2): RFM and interest segments, behavioural clusters, churn and
 * recommendations for every scored customer. Pure orchestration of worker/analytics; rows follow the RFM
 * summary (the scores.csv order), joined to the cleaner's customer indices through summary.customerIndex.
 */
import { ONLINE_RETAIL_CATEGORY_RULES } from '../../connectors/csv/online-retail-categories';
import type { CleanResult } from '../analytics/clean';
import type { ChurnResult, StoredChurnModel } from '../analytics/churn';
import {
  recommendationsOf,
  productMaskFrom,
  recommendForCustomers,
  type RecommendationBasisInput,
  type RecommendInput,
  type Recommendation,
  type RecommendResult,
} from '../analytics/recommend';
import type { RfmSummary } from '../analytics/rfm';
import {
  ClusterError,
  behaviourFromSummary,
  clusterCustomers,
  segmentsOfFit,
  type ClusterFit,
  type ClusterModel,
  type ClusterModelOptions,
  type CustomerBehaviour,
  type CustomerSegments,
} from '../analytics/segments/clusters';
import { AGE_BANDS, demographicSegments, GENDERS } from '../analytics/segments/demographics';
import type { ChurnDriver } from '../analytics/churn';
import { churnStageInput, runChurnStage, type ChurnStageResult } from './customer-churn';
import type { CrmAttributes } from './crm-attributes';
import type { PipelineThreads } from './parallel/pipeline-threads';
import type { RecommendationsInThread } from './recommendations-in-thread';
import { interestSegments, type InterestSegments } from '../analytics/segments/interests';
import { categorizeProducts } from '../analytics/segments/product-categories';
import { rfmValuesFromSummary, scoreRfm, type RfmScores } from '../analytics/segments/rfm-segments';
import { RFM_SEGMENTS } from '../../domain/rfm-segments';
import { segmentProfiles, type SegmentProfile } from '../analytics/segments/segment-profile';

export type InsightSettings = {
  observationEnd: string;
  /** Churn window in days (default 90; personal 2× median gap when longer). */
  churnWindowDays: number;
  /** Explicit product → category map (e.g. the demo catalogue or a --categories file). */
  productCategories?: ReadonlyMap<string, string>;
  /** Number of behavioural segments; automatic (silhouette within 4…8) when absent. */
  clusters?: number;
  /** The previous run's segment model and assignments: keeps segment ids stable and gives migration. */
  previous?: { model: ClusterModel; segmentByCustomer?: ReadonlyMap<string, string> };
  /** Product names by id where the data have none (e.g. the demo catalogue). */
  productNames?: ReadonlyMap<string, string>;
  /** Which product ids are real products (Online Retail has postage, fees and manual adjustments). */
  isProduct?: (productId: string) => boolean;
  /** A CRM's customer attributes and service cases (synced tenants): age/gender profiles, churn features. */
  crm?: CrmAttributes;
  /** The promoted version's churn classifier, scored with instead of training one (trained when it cannot be). */
  reuseChurn?: { version: string; model: StoredChurnModel };
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
  churnDrivers: (row: number) => ChurnDriver[];
  churn: ChurnResult | null;
  /** The model version whose churn classifier scored this run; null when it was trained in this run. */
  churnReusedFrom: string | null;
  /** Per summary row: up to five products not yet bought, each with a reason. */
  recommendations: (row: number) => Recommendation[];
  recommend: RecommendResult | null;
  profiles: {
    behaviour: SegmentProfile[];
    rfm: SegmentProfile[];
    interest: SegmentProfile[];
    country: SegmentProfile[];
    /** From CRM birth dates or ages and genders; empty without CRM attributes. */
    ageBand: SegmentProfile[];
    gender: SegmentProfile[];
  };
  interests: InterestSegments | null;
  warnings: string[];
};

/** Every insight of the run, the churn stage run here. */
export function customerInsights(
  clean: CleanResult,
  summary: RfmSummary,
  clv: Float64Array,
  settings: InsightSettings,
): CustomerInsights {
  const segmented = insightsBesideChurn(clean, summary, settings);
  const recommend = recommendationsByRow(clean, summary, segmented.segments, settings);
  const churn = runChurnStage(churnStageInput(clean, settings));
  return withChurn(clean, summary, clv, { ...segmented, recommend }, churn);
}

/** Parts of the insights started earlier, in pipeline threads (customer-churn, recommendations-in-thread). */
export type StartedInsights = {
  churn: Promise<ChurnStageResult>;
  /** Null when the data have no product lines (or they are made here). */
  recommendations: RecommendationsInThread | null;
  /** The behavioural segments, started once the RFM summary is made (startSegments); made here when absent. */
  segments?: StartedSegments;
};

/** The behavioural segments under way in a pipeline thread, and the interests they were started from. */
export type StartedSegments = {
  interestRows: InterestRows;
  segments: Promise<CustomerSegments | null>;
  warnings: string[];
};

/**
 * Starts the behavioural clusters' fit (k-means over every customer, the largest of the segments' costs) on
 * one of `threads` as soon as the RFM summary exists, so it runs beside the CLV fits and predictions. The
 * interests are made here first: the clusters use their category shares. The result equals behaviouralSegments'.
 */
export function startSegments(
  clean: CleanResult,
  summary: RfmSummary,
  settings: InsightSettings,
  threads: PipelineThreads,
  thread?: number,
): StartedSegments {
  const interestRows = interestsByRow(clean, summary, settings);
  const warnings: string[] = [];
  const behaviour = { ...behaviourFromSummary(summary), ...clusterExtra(interestRows) };
  const fit = (previous?: ClusterModel) =>
    threads.run<ClusterFit>(
      'cluster-fit',
      { behaviour, options: { k: settings.clusters }, previous },
      [],
      thread,
    );
  const segments = segmentsWith(fit, summary.ids, settings.previous, warnings);
  // Awaited with the insights; a failure before then (a fit that throws) must not go unhandled.
  segments.catch(() => undefined);
  return { interestRows, segments, warnings };
}

/** What a pipeline thread's cluster-fit task is sent. */
export type ClusterFitInput = {
  behaviour: CustomerBehaviour;
  options: ClusterModelOptions;
  previous?: ClusterModel;
};

/**
 * Every insight of the run, with the churn stage and the recommendations started earlier (in pipeline
 * threads beside the fits): the segments are made while they run.
 */
export async function customerInsightsBeside(
  clean: CleanResult,
  summary: RfmSummary,
  clv: Float64Array,
  settings: InsightSettings,
  started: StartedInsights,
): Promise<CustomerInsights> {
  const segmented = started.segments
    ? await insightsWithStartedSegments(clean, summary, settings, started.segments)
    : insightsBesideChurn(clean, summary, settings);
  const input = recommendInputOf(clean, summary, segmented.segments, settings);
  let recommend: RecommendResult | null = null;
  if (input !== null) {
    const { lines: _lines, orders: _orders, isProduct: _isProduct, ...finish } = input;
    recommend = started.recommendations
      ? await started.recommendations.finish(finish)
      : recommendForCustomers(input);
  }
  return withChurn(clean, summary, clv, { ...segmented, recommend }, await started.churn);
}

/**
 * What the recommendations are made from besides the segments, as the input of their basis
 * (recommendationBasis): only the columns it reads (a thread is sent these); null without product lines.
 */
export function recommendationBasisOf(
  clean: CleanResult,
  settings: Pick<InsightSettings, 'isProduct'>,
): RecommendationBasisInput | null {
  if (!clean.lines || !clean.products) return null;
  const { lines, orders } = clean;
  return {
    lines: { order: lines.order, product: lines.product, amount: lines.amount },
    orders: { customer: orders.customer, time: orders.time },
    customersCount: clean.customers.length,
    productsCount: clean.products.length,
    productMask: productMaskFrom(clean.products, settings.isProduct),
  };
}

/** What the insights make besides the churn stage and the recommendations. */
type SegmentedInsights = {
  rfm: RfmScores;
  interestRows: InterestRows;
  segments: CustomerSegments | null;
  country: string[];
  demographics: { ageBand: string[]; gender: string[] } | null;
  warnings: string[];
};

type InsightParts = SegmentedInsights & { recommend: RecommendResult | null };

function insightsBesideChurn(
  clean: CleanResult,
  summary: RfmSummary,
  settings: InsightSettings,
): SegmentedInsights {
  const warnings: string[] = [];
  const interestRows = interestsByRow(clean, summary, settings);
  const segments = behaviouralSegments(summary, interestRows, settings, warnings);
  return { ...restOfSegmented(clean, summary, settings), interestRows, segments, warnings };
}

async function insightsWithStartedSegments(
  clean: CleanResult,
  summary: RfmSummary,
  settings: InsightSettings,
  started: StartedSegments,
): Promise<SegmentedInsights> {
  const rest = restOfSegmented(clean, summary, settings);
  const segments = await started.segments;
  return { ...rest, interestRows: started.interestRows, segments, warnings: started.warnings };
}

/** RFM scores and demographics: what the segmented insights hold besides interests and clusters. */
function restOfSegmented(
  clean: CleanResult,
  summary: RfmSummary,
  settings: InsightSettings,
): Pick<SegmentedInsights, 'rfm' | 'country' | 'demographics'> {
  const rfm = scoreRfm(rfmValuesFromSummary(summary));
  const country = countriesByRow(clean, summary, settings);
  const demographics = settings.crm ? crmDemographicsByRow(summary, country, settings.crm, settings) : null;
  return { rfm, country, demographics };
}

function withChurn(
  clean: CleanResult,
  summary: RfmSummary,
  clv: Float64Array,
  parts: InsightParts,
  stage: ChurnStageResult,
): CustomerInsights {
  const { rfm, interestRows, segments, country, demographics, recommend } = parts;
  // The segments' warnings, then the churn stage's: the order the stages are listed in the report.
  const warnings = [...parts.warnings, ...stage.warnings];
  const churn = churnByRow(summary, stage);
  const rowCustomer = summary.customerIndex;

  const profile = (labels: string[], order?: readonly string[]) =>
    segmentProfiles({
      labels,
      revenue: summary.totalRevenue,
      clv,
      churn: stage.churn ? churn.probability : undefined,
      categories: interestRows.shares,
      order,
    });
  return {
    segments,
    rfm,
    interest: interestRows.interest,
    country,
    churnProbability: churn.probability,
    churnRisk: churn.risk,
    churnDrivers: (row) => stage.churn?.perCustomer.drivers(rowCustomer[row]) ?? [],
    churn: stage.churn,
    churnReusedFrom: stage.reusedFrom,
    recommendations: (row) => (recommend ? recommendationsOf(recommend, rowCustomer[row]) : []),
    recommend,
    profiles: {
      behaviour: segments ? profile(segments.segmentName) : [],
      rfm: profile(rfm.segmentName, RFM_SEGMENTS),
      interest: profile(interestRows.interest),
      country: clean.customerCountry ? profile(country) : [],
      ageBand: demographics ? profile(demographics.ageBand, AGE_BANDS) : [],
      gender: demographics ? profile(demographics.gender, GENDERS) : [],
    },
    interests: interestRows.segments,
    warnings,
  };
}

type InterestRows = {
  segments: InterestSegments | null;
  interest: string[];
  /** Category shares re-ordered to the summary's rows (segment profiles and cluster features). */
  shares?: { names: string[]; shares: Float64Array };
};

function interestsByRow(clean: CleanResult, summary: RfmSummary, settings: InsightSettings): InterestRows {
  const rows = summary.ids.length;
  if (!clean.lines || !clean.products)
    return { segments: null, interest: new Array<string>(rows).fill('Unknown') };
  // Products without an explicit category are read with the Online Retail table whatever the format: it is
  // the only description table there is, and generic files and CRM products with giftware-like names are
  // categorised by it rather than all falling in Other.
  const categories = categorizeProducts(clean.products, {
    names: clean.productNames,
    explicit: settings.productCategories,
    ...ONLINE_RETAIL_CATEGORY_RULES,
  });
  const segments = interestSegments(clean, categories);
  const k = segments.categories.length;
  const shares = new Float64Array(rows * k);
  const interest = new Array<string>(rows);
  for (let i = 0; i < rows; i++) {
    const c = summary.customerIndex[i];
    interest[i] = segments.interest[c];
    shares.set(segments.shares.subarray(c * k, (c + 1) * k), i * k);
  }
  return { segments, interest, shares: { names: segments.categories, shares } };
}

function clusterExtra(interests: InterestRows): Pick<CustomerBehaviour, 'categoryShares'> {
  return interests.shares
    ? { categoryShares: { names: interests.shares.names, values: interests.shares.shares } }
    : {};
}

function behaviouralSegments(
  summary: RfmSummary,
  interests: InterestRows,
  settings: InsightSettings,
  warnings: string[],
): CustomerSegments | null {
  const extra = clusterExtra(interests);
  const options = { k: settings.clusters };
  const withWarnings = (segments: CustomerSegments): CustomerSegments => {
    warnings.push(...segments.warnings.map((w) => `segments: ${w}`));
    return segments;
  };
  try {
    return withWarnings(clusterCustomers({ summary, extra, options, previous: settings.previous }));
  } catch (error) {
    if (clusterFallback(error, warnings) === 'none') return null;
    return withWarnings(clusterCustomers({ summary, extra, options }));
  }
}

/** behaviouralSegments with the cluster fit made by `fit` (a pipeline thread's). */
async function segmentsWith(
  fit: (previous?: ClusterModel) => Promise<ClusterFit>,
  ids: readonly string[],
  previous: InsightSettings['previous'],
  warnings: string[],
): Promise<CustomerSegments | null> {
  const withWarnings = (segments: CustomerSegments): CustomerSegments => {
    warnings.push(...segments.warnings.map((w) => `segments: ${w}`));
    return segments;
  };
  try {
    return withWarnings(segmentsOfFit(await fit(previous?.model), ids, previous?.segmentByCustomer));
  } catch (error) {
    if (clusterFallback(error, warnings) === 'none') return null;
    return withWarnings(segmentsOfFit(await fit(), ids));
  }
}

/**
 * What a failed cluster fit leads to: a previous model these data cannot use is dropped ('refit', said in a
 * warning); too few customers or no spread leave the segment columns empty ('none', said); anything else is
 * thrown on. A fit in a pipeline thread fails with the same code, rebuilt as a CrmClvError.
 */
function clusterFallback(error: unknown, warnings: string[]): 'refit' | 'none' {
  const code =
    error instanceof ClusterError || (error as Error)?.name === 'ClusterError'
      ? (error as ClusterError).code
      : undefined;
  if (code === undefined) throw error;
  const message = (error as Error).message;
  if (code === 'INCOMPATIBLE_CLUSTER_MODEL') {
    // The previous model used features these data lack: start a fresh model and say so.
    warnings.push(`segments: ${message}; fitted a new segment model (ids start afresh).`);
    return 'refit';
  }
  // Too few customers (or no spread) for clusters: say so and leave the segment columns empty.
  warnings.push(`segments: no behavioural segments (${message}).`);
  return 'none';
}

/** Demographics: CSV data carry at most a country; CRM connectors add birth date, gender and region. */
function countriesByRow(clean: CleanResult, summary: RfmSummary, settings: InsightSettings): string[] {
  const byCustomer = clean.customerCountry;
  if (!byCustomer) return new Array<string>(summary.ids.length).fill('unknown');
  const country = Array.from(summary.customerIndex, (c) => byCustomer[c]);
  return demographicSegments(country.length, { country }, settings.observationEnd).country;
}

/** Age band and gender per summary row from the CRM's customer attributes (country as the data have it). */
function crmDemographicsByRow(
  summary: RfmSummary,
  country: string[],
  crm: CrmAttributes,
  settings: InsightSettings,
): { ageBand: string[]; gender: string[] } {
  const rows = summary.ids.length;
  const attributes = Array.from(summary.ids, (id) => crm.customers.get(id));
  const d = demographicSegments(
    rows,
    {
      birthDate: attributes.map((a) => a?.birthDate),
      age: attributes.map((a) => a?.age),
      gender: attributes.map((a) => a?.gender),
      country,
      region: attributes.map((a) => a?.region),
    },
    settings.observationEnd,
  );
  return { ageBand: d.ageBand, gender: d.gender };
}

/** The churn stage's result by summary row: probability (NaN when not scored) and risk band. */
function churnByRow(
  summary: RfmSummary,
  stage: ChurnStageResult,
): { probability: Float64Array; risk: (string | null)[] } {
  const rows = summary.ids.length;
  const probability = new Float64Array(rows).fill(NaN);
  const risk: (string | null)[] = new Array<string | null>(rows).fill(null);
  const perCustomer = stage.churn?.perCustomer;
  if (perCustomer) {
    for (let i = 0; i < rows; i++) {
      probability[i] = perCustomer.probability[summary.customerIndex[i]];
      risk[i] = perCustomer.risk[summary.customerIndex[i]];
    }
  }
  return { probability, risk };
}

function recommendationsByRow(
  clean: CleanResult,
  summary: RfmSummary,
  segments: CustomerSegments | null,
  settings: InsightSettings,
): RecommendResult | null {
  const input = recommendInputOf(clean, summary, segments, settings);
  return input === null ? null : recommendForCustomers(input);
}

function recommendInputOf(
  clean: CleanResult,
  summary: RfmSummary,
  segments: CustomerSegments | null,
  settings: InsightSettings,
): RecommendInput | null {
  if (!clean.lines || !clean.products) return null;
  // The recommender falls back to the best sellers of the customer's behavioural segment.
  const segmentOf = new Int32Array(clean.customers.length).fill(-1);
  if (segments) {
    const labelOf = new Map(segments.model.ids.map((id, k) => [id, k]));
    for (let i = 0; i < summary.ids.length; i++) {
      segmentOf[summary.customerIndex[i]] = labelOf.get(segments.segmentId[i]) ?? -1;
    }
  }
  return {
    lines: clean.lines,
    orders: clean.orders,
    products: clean.products,
    productNames: namesOf(clean.products, clean.productNames, settings.productNames),
    customersCount: clean.customers.length,
    segmentOf: segments ? segmentOf : undefined,
    segmentNames: segments?.model.names,
    isProduct: settings.isProduct,
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
