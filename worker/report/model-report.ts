/** The model report written by `crm-clv score` as report.json, and its readable renderings. */
import type { FrequencyBucket, HoldoutMetrics, TrackingPoint } from '../analytics/clv/model-comparison';
import type { ChurnEvaluation } from '../analytics/churn';
import type { MigrationMatrix } from '../analytics/segments/clusters';
import type { SegmentProfile } from '../analytics/segments/segment-profile';
import type { FitDiagnostics, ModelName, TransactionModelName } from '../analytics/clv/types';

export type ReportedFit = {
  model: ModelName;
  params: Record<string, number>;
  standardErrors: Record<string, number>;
  logLikelihood: number;
  n: number;
  penalizer: number;
  diagnostics: FitDiagnostics;
  /** Set when the fit failed; the other fields are then empty. */
  error?: string;
};

export type ModelReport = {
  input: {
    file: string;
    format: string;
    observationEnd: string;
    calibrationEnd: string | null;
    period: 'day' | 'week';
  };
  customers: { scored: number; repeatBuyers: number };
  calibration: null | {
    customers: number;
    fits: ReportedFit[];
    holdoutDuration: number;
    metrics: HoldoutMetrics[];
    tracking: TrackingPoint[];
    /** Where the calibration period ends on the tracking curve's time axis. */
    calibrationEndPeriod: number;
  };
  fits: ReportedFit[];
  spend: ReportedFit & { spendFrequencyCorrelation: number; populationMeanValue: number };
  selectedModel: TransactionModelName;
  selectionReason: string;
  clv: {
    months: number;
    monthlyDiscountRate: number;
    margin: number;
    acquisitionCost: number;
    totalHistoric: number;
    totalPredicted: number;
    meanPredicted: number;
    percentiles: Record<string, number>;
    expectedPurchasesHorizon: number;
  };
  /** What the selected model expects of a customer acquired today, over the CLV horizon. */
  newCustomer: {
    horizon: number;
    expectedPurchases: number;
    /** P(X(horizon) = n) for n = 0…5, and the remaining mass as "6+". */
    purchaseDistribution: { purchases: string; probability: number }[];
  };
  /** Segment profiles: size, revenue share, CLV, churn rate, top categories. */
  /** Null when the run skipped segments, churn and recommendations (--no-insights). */
  segments: null | {
    behaviour: SegmentProfile[];
    rfm: SegmentProfile[];
    interest: SegmentProfile[];
    /** By country, when the data have one (Online Retail); empty otherwise. */
    country: SegmentProfile[];
    /** By age band and by gender, from a CRM's customer attributes (synced tenants); empty otherwise. */
    ageBand: SegmentProfile[];
    gender: SegmentProfile[];
    /** The behavioural segment model: k, how it was chosen, coarse groups, migration from the previous run. */
    model: null | {
      k: number;
      /** Mean silhouette per k tried (empty when k was configured). */
      silhouette: { k: number; score: number }[];
      ids: string[];
      names: string[];
      coarse: { id: string; name: string; members: string[] }[];
    };
    migration: MigrationMatrix | null;
    /** Per behavioural segment: best products by revenue and by lift over the whole customer base. */
    products: {
      segment: string;
      customers: number;
      byRevenue: { productId: string; productName: string; revenue: number; buyers: number }[];
      byLift: { productId: string; productName: string; lift: number; buyers: number }[];
    }[];
  };
  churn: null | {
    windowDays: number;
    gapMultiple: number;
    /** UTC day number the scoring model's features were taken at (labels up to the observation end). */
    trainedAtDay: number;
    training: { labelable: number; fitted: number; calibration: number; churnRate: number };
    riskCutPoints: { medium: number; high: number };
    riskCounts: Record<string, number>;
    calibration: string;
    /** Out-of-time check: a model trained one window earlier, scored and compared with what happened. */
    evaluation: ChurnEvaluation | null;
  };
  warnings: string[];
  /** Wall seconds per stage of the run. */
  timings: Record<string, number>;
};

export type { FrequencyBucket };
