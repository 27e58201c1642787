/** The model report written by `crm-clv score` as report.json, and its readable renderings. */
import type { FrequencyBucket, HoldoutMetrics, TrackingPoint } from '../analytics/clv/model-comparison';
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
  warnings: string[];
  /** Wall seconds per stage of the run. */
  timings: Record<string, number>;
};

export type { FrequencyBucket };
