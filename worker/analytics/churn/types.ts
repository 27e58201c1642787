/**
 * Shapes of the churn model's inputs and outputs. Inputs are columnar, as CleanResult provides them, so a
 * million customers stay in typed arrays. Days are UTC day numbers (days since 1970-01-01, see
 * ../clean/parse-timestamp utcDay); a cutoff day is included in the history before it.
 */

/** Orders in columns (CleanResult.orders satisfies it). */
export type ChurnOrders = {
  /** Index into the customer list, 0 … customers − 1. */
  customer: Int32Array;
  /** Epoch ms UTC. */
  time: Float64Array;
  /** Order value in base currency. */
  amount: Float64Array;
  /** Index into `channels`, −1 when unknown. */
  channel?: Int32Array;
  /** Purchase lines per order (CleanResult.orders.lineCount): how broad the customer's baskets are. */
  lineCount?: Int32Array;
};

/** Refund/cancellation events (CleanResult.cancellations): customer −1 = not a known customer. */
export type ChurnCancellations = { customer: Int32Array; time: Float64Array; value: Float64Array };

/** Service cases (tickets); priority is numeric, higher = more urgent (NaN when unknown). */
export type ChurnServiceCases = { customer: Int32Array; time: Float64Array; priority?: Float64Array };

/**
 * Engagement counters per customer index (CRM snapshots such as HubSpot's email opens). The CRM keeps no
 * history of them: the value at a back-dated training cutoff is unknown, and today's counts partly record
 * the very purchases the labels are about (a customer who kept buying kept visiting). They are therefore
 * "snapshot" features (./feature-catalogue): listed in the feature availability, never used to train.
 */
export type ChurnEngagement = {
  emailOpens?: Float64Array;
  emailClicks?: Float64Array;
  pageViews?: Float64Array;
  socialClicks?: Float64Array;
};

/** Everything the features are computed from; only `orders` and `customers` are required. */
export type ChurnInput = {
  orders: ChurnOrders;
  /** Number of customers (indices 0 … customers − 1). */
  customers: number;
  /** Channel names for orders.channel (CleanResult.channels). */
  channels?: readonly string[];
  cancellations?: ChurnCancellations;
  serviceCases?: ChurnServiceCases;
  engagement?: ChurnEngagement;
};

export type ChurnRisk = 'low' | 'medium' | 'high';

export type ChurnDriver = { feature: string; contribution: number; text: string };

export type ChurnErrorCode = 'INVALID_CHURN_INPUT' | 'NOT_ENOUGH_CHURN_DATA' | 'FEATURE_LEAKS_FUTURE';

export class ChurnError extends Error {
  readonly code: ChurnErrorCode;
  /** The feature at fault, when one is (FEATURE_LEAKS_FUTURE always names one). */
  readonly feature?: string;
  constructor(code: ChurnErrorCode, message: string, feature?: string) {
    super(message);
    this.name = 'ChurnError';
    this.code = code;
    if (feature !== undefined) this.feature = feature;
  }
}
