/** Shapes of the cleaner's output. */

/**
 * Why an input row is not used as a purchase, in the order the rules are checked: a row is counted under
 * the first reason that applies, so the counts add up to the rows read (see quality-report.ts).
 */
export const EXCLUSION_REASONS = [
  'malformed_line',
  'missing_customer_id',
  'unparseable_date',
  'unparseable_amount',
  'duplicate_row',
  'future_date',
  'unknown_currency',
  'adjustment',
  'implausible_amount',
  'cancellation',
  'zero_or_negative_amount',
  'anomalous_order',
] as const;

export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export type QualityExample = { line: number; text: string };

export type AnomalySummary = {
  method: 'robust z-score of log order amount (median, MAD × 1.4826)';
  k: number;
  /** Orders with a positive amount the statistics were computed on. */
  ordersConsidered: number;
  /** exp(median log amount); null with fewer than 3 orders. */
  medianAmount: number | null;
  /** Median absolute deviation of the log amounts (unscaled). */
  madLog: number | null;
  /** Orders below lowerAmount or above upperAmount are flagged (null: nothing can be flagged). */
  lowerAmount: number | null;
  upperAmount: number | null;
  flagged: number;
  action: 'kept' | 'excluded';
  rowsExcluded: number;
};

/**
 * Amounts no real order has (implausible-amounts.ts): not finite, or above both an absolute ceiling and k
 * robust standard deviations above the median log order amount of the tenant. Always excluded.
 */
export type ImplausibleSummary = {
  rule: string;
  /** Absolute ceiling in base currency: nothing at or below it is implausible. */
  ceiling: number;
  k: number;
  /** Orders with a finite positive amount (before netting) the median and MAD were computed on. */
  ordersConsidered: number;
  /** exp(median log amount); null with fewer than 3 orders. */
  medianAmount: number | null;
  madLog: number | null;
  /** max(ceiling, exp(median + k · 1.4826 · MAD)): finite amounts above it are implausible. */
  limit: number;
  /** Orders excluded (all their rows) and cancellation/refund rows excluded, judged once all rows were read. */
  orders: number;
  cancellationRows: number;
  /** Rows excluded as they were read because their own value is not finite (e.g. quantity × price overflows). */
  rowsNotFinite: number;
  /** All rows excluded as implausible_amount (= rowsExcluded.implausible_amount). */
  rows: number;
};

/** How the input file was decoded (the reader's report, through Cleaner.noteEncoding). */
export type InputEncoding = {
  requested: string;
  used: string;
  /** Byte sequences that are not UTF-8; null when the file was not checked (an encoding was named). */
  invalidUtf8Sequences: number | null;
  firstInvalidUtf8Line: number | null;
  note: string;
};

export type QualityReport = {
  rowsRead: number;
  /** Rows that are part of a purchase order in the result (before netting removed fully cancelled orders). */
  rowsUsed: number;
  /** Every reason, 0 when it never applied; rowsRead = rowsUsed + Σ rowsExcluded. */
  rowsExcluded: Record<ExclusionReason, number>;
  rowsExcludedTotal: number;
  /** First few line numbers per reason with a short explanation. */
  examples: Record<ExclusionReason, QualityExample[]>;
  /** The order the rules are checked in (first match wins). */
  precedence: ExclusionReason[];
  /** Orders in the result. */
  orders: number;
  customers: {
    /** Distinct customer ids on any row that has one (whatever happened to the row). */
    seen: number;
    /** Customers with at least one purchase row. */
    withPurchases: number;
    /** Customers with cancellation rows but no purchase row. */
    onlyCancellations: number;
    /** Customers with at least one order in the result (after netting and anomaly exclusion). */
    inResult: number;
  };
  cancellations: {
    rule: string;
    rows: number;
    /** Σ |value| of the cancellation rows, base currency. */
    value: number;
    nettedValue: number;
    /** Value that found no earlier order of the customer (the purchase predates the data). */
    unmatchedValue: number;
    unmatchedRows: number;
    ordersReduced: number;
    /** Orders netted down to zero and removed from the result. */
    ordersFullyCancelled: number;
  };
  /** The same order id used by different customers: each extra customer gets an order of its own, flagged. */
  conflictingOrders: { orders: number; rows: number; examples: QualityExample[] };
  implausible: ImplausibleSummary;
  anomalies: AnomalySummary;
  /** Absent when the rows did not come from a file (a synced CRM store). */
  encoding?: InputEncoding;
  currency: { base: string; conversions: Record<string, { rows: number; rate: number }> };
  /** First and last order time in the result, ISO 8601 UTC; null when there are no orders. */
  dateRange: { first: string | null; last: string | null };
  /** Last day included, yyyy-mm-dd. */
  observationEnd: string;
};

/** Orders in columns, one entry per order (customer + order id). */
export type CleanOrders = {
  /** Index into CleanResult.customers. */
  customer: Int32Array;
  /** Earliest line time, epoch ms UTC. */
  time: Float64Array;
  /** Σ line amounts in base currency, net of cancellations. */
  amount: Float64Array;
  /** 1 = the amount is an outlier (see QualityReport.anomalies). */
  anomalous: Uint8Array;
  /** 1 = the order id is also used by another customer. */
  conflicting: Uint8Array;
  /** Purchase rows in the order. */
  lineCount: Int32Array;
  /** First line number of the order in the file. */
  firstLine: Int32Array;
  /** With keepOrderIds. */
  orderId?: string[];
  /** Index into CleanResult.channels of the order's first line, -1 when none; present when any row has one. */
  channel?: Int32Array;
};

/** Purchase lines (with keepLines): cancellations are not lines, they only reduce order amounts. */
export type CleanLines = {
  /** Index into CleanOrders. */
  order: Int32Array;
  /** Index into CleanResult.products, -1 when the row had no product id. */
  product: Int32Array;
  /** NaN when the row had no parseable quantity. */
  quantity: Float64Array;
  /** Line amount in base currency (before netting). */
  amount: Float64Array;
};

export type CleanResult = {
  /** Customer id per index; only customers with an order in the result, in order of first appearance. */
  customers: string[];
  orders: CleanOrders;
  channels?: string[];
  lines?: CleanLines;
  products?: string[];
  /** First non-empty description seen per product ('' when none). */
  productNames?: string[];
  quality: QualityReport;
  /**
   * Customer attributes seen on the rows (Online Retail's Country), one entry per customer index; '' when
   * none. Present when any row had one.
   */
  customerCountry?: string[];
  /**
   * Every cancellation/refund row (netted or not), for features such as "refunds before the cutoff".
   * customer: index into `customers`, −1 when that customer has no order in the result.
   */
  cancellations?: { customer: Int32Array; time: Float64Array; value: Float64Array };
};
