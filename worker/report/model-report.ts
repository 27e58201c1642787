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

/** Customers, revenue and predicted value of one churn-risk band or one segment. */
export type ValueGroup = {
  /** The band ('low' | 'medium' | 'high' as the churn stage wrote it, 'not scored') or the segment name. */
  name: string;
  customers: number;
  /** Revenue to the observation end. */
  revenue: number;
  /** Predicted value over the CLV horizon (discounted, margin applied). */
  predictedValue: number;
  /** Customers of the group at high churn risk; null when churn was not scored. */
  highRisk: number | null;
};

/** What changed since the previous run the pipeline was given (--previous-run, or a tenant's stored run). */
export type PreviousRunChange = {
  /** Customers of the previous run. */
  customers: number;
  /** Customers scored in both runs, and new in this one; null without the previous run's assignments. */
  inBoth: number | null;
  newCustomers: number | null;
  /** Customers of both runs who kept their segment (share). */
  keptSegment: number | null;
  /** Per segment id: customers then (null for a new segment) and now. */
  segments: { id: string; name: string; previous: number | null; current: number }[];
};

/** The manager's summary at the top of the report (./manager-summary). */
export type ManagerSummary = {
  /** The dataset or tenant, for the title (never a path). */
  dataset: string;
  /** ISO 4217 code every amount is in (the tenant's base currency). */
  currency: string;
  observationEnd: string;
  /** Day of the first order in the data, yyyy-mm-dd (revenue to date counts from there). */
  firstOrder: string | null;
  /** Horizon of predictedValue, in months, and the margin applied to it. */
  months: number;
  margin: number;
  customers: number;
  revenue: number;
  predictedValue: number;
  /** Predicted value of the customers at high churn risk; null when churn was not scored. */
  revenueAtRisk: number | null;
  highRiskCustomers: number | null;
  /** Σ expected orders of today's customers in the next month (selected model). */
  expectedOrdersNextMonth: number;
  /** Churn-risk bands, low → high, as insights.churnRisk has them; null when churn was not scored. */
  risk: ValueGroup[] | null;
  /** Value by segment (behavioural segments, else RFM segments), largest predicted value first. */
  segmentKind: 'behavioural' | 'RFM' | null;
  segments: ValueGroup[] | null;
  previous: PreviousRunChange | null;
};

/** A finding the report states in words (a large holdout error, a fit at a parameter boundary). */
export type ReportCheck = {
  kind: 'holdout-error' | 'models-agree' | 'no-dropout' | 'boundary';
  /** One sentence for the manager's summary; null when it only concerns the analyst. */
  headline: string | null;
  /** The finding in full, with the numbers and what the product does about it. */
  text: string;
};

export type HistogramBin = { label: string; from: number; to: number; customers: number };

/** Data of the charts that need no calibration split. */
export type ReportDistributions = {
  /** Customers per band of predicted value. */
  clv: HistogramBin[];
  /** Customers per repeat-purchase count: observed and expected by the selected model fitted on all data. */
  frequency: null | {
    model: TransactionModelName;
    buckets: { label: string; actual: number; expected: number }[];
  };
};

export type ModelReport = {
  summary: ManagerSummary;
  checks: ReportCheck[];
  distributions: ReportDistributions;
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
    /** The model version whose classifier scored this run (its check was made when it was trained); null when trained now. */
    reusedFrom: string | null;
  };
  warnings: string[];
  /** Wall seconds per stage of the run. */
  timings: Record<string, number>;
};

export type { FrequencyBucket };
