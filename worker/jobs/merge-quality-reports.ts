/**
 * The quality report of a tenant cleaned in parts, as the whole tenant's cleaning writes it. Counts are sums.
 * Each part's examples are its first few rows per reason, so the whole tenant's first few are among them: the
 * parts' examples, renumbered to the whole tenant's lines and sorted, cut to the same number. The implausible
 * and anomaly summaries are made over every part's orders (the limits are the tenant's). Sums of money are
 * summed per part and then over parts, so they may differ from a one-piece run's in the last digits.
 */
import type { CleanerConfig, QualityExample, QualityReport } from '../analytics/clean';
import { EXCLUSION_REASONS } from '../analytics/clean';
import { isoDay } from '../analytics/clean/describe-exclusion';
import { IMPLAUSIBLE_RULE, type ImplausibleFlags } from '../analytics/clean/implausible-amounts';
import type { AnomalyFlags } from '../analytics/clean/order-anomalies';

export type QualityTotals = {
  orders: number;
  customers: number;
  /** First and last order time of the merged result (epoch ms), or null without orders. */
  dateRange: { first: number; last: number } | null;
  implausible: ImplausibleFlags;
  anomalies: AnomalyFlags;
};

export function mergeQualityReports(
  reports: readonly QualityReport[],
  /** A part's line number → the whole tenant's. */
  wholeLine: (part: number, line: number) => number,
  config: CleanerConfig,
  totals: QualityTotals,
): QualityReport {
  const sum = (value: (q: QualityReport) => number) => reports.reduce((n, q) => n + value(q), 0);
  const examples = (pick: (q: QualityReport) => QualityExample[]): QualityExample[] =>
    reports
      .flatMap((q, part) => pick(q).map((e) => ({ ...e, line: wholeLine(part, e.line) })))
      .sort((a, b) => a.line - b.line)
      .slice(0, config.maxExamples);
  const rowsExcluded = {} as QualityReport['rowsExcluded'];
  const byReason = {} as QualityReport['examples'];
  for (const reason of EXCLUSION_REASONS) {
    rowsExcluded[reason] = sum((q) => q.rowsExcluded[reason]);
    byReason[reason] = examples((q) => q.examples[reason]);
  }
  const conversions: QualityReport['currency']['conversions'] = {};
  for (const q of reports)
    for (const [code, { rows, rate }] of Object.entries(q.currency.conversions))
      conversions[code] = { rows: (conversions[code]?.rows ?? 0) + rows, rate };
  const { implausible: i, anomalies: a } = totals;
  return {
    rowsRead: sum((q) => q.rowsRead),
    rowsUsed: sum((q) => q.rowsUsed),
    rowsExcluded,
    rowsExcludedTotal: sum((q) => q.rowsExcludedTotal),
    examples: byReason,
    precedence: [...EXCLUSION_REASONS],
    orders: totals.orders,
    customers: {
      seen: sum((q) => q.customers.seen),
      withPurchases: sum((q) => q.customers.withPurchases),
      onlyCancellations: sum((q) => q.customers.onlyCancellations),
      inResult: totals.customers,
    },
    cancellations: {
      rule: reports[0]?.cancellations.rule ?? '',
      rows: sum((q) => q.cancellations.rows),
      value: sum((q) => q.cancellations.value),
      nettedValue: sum((q) => q.cancellations.nettedValue),
      unmatchedValue: sum((q) => q.cancellations.unmatchedValue),
      unmatchedRows: sum((q) => q.cancellations.unmatchedRows),
      ordersReduced: sum((q) => q.cancellations.ordersReduced),
      ordersFullyCancelled: sum((q) => q.cancellations.ordersFullyCancelled),
    },
    conflictingOrders: {
      orders: sum((q) => q.conflictingOrders.orders),
      rows: sum((q) => q.conflictingOrders.rows),
      examples: examples((q) => q.conflictingOrders.examples),
    },
    implausible: {
      rule: IMPLAUSIBLE_RULE,
      ceiling: config.implausible.ceiling,
      k: config.implausible.k,
      ordersConsidered: i.considered,
      medianAmount: i.medianLog === null ? null : Math.exp(i.medianLog),
      madLog: i.madLog,
      limit: i.limit,
      orders: i.orderCount,
      cancellationRows: i.cancellationCount,
      rowsNotFinite: sum((q) => q.implausible.rowsNotFinite),
      rows: rowsExcluded.implausible_amount,
    },
    anomalies: {
      method: 'robust z-score of log order amount (median, MAD × 1.4826)',
      k: config.anomaly.k,
      ordersConsidered: a.considered,
      medianAmount: a.medianLog === null ? null : Math.exp(a.medianLog),
      madLog: a.madLog,
      lowerAmount: a.lowerAmount,
      upperAmount: a.upperAmount,
      flagged: a.flagged,
      action: config.anomaly.exclude ? 'excluded' : 'kept',
      rowsExcluded: 0,
    },
    currency: { base: config.baseCurrency, conversions: sortedKeys(conversions) },
    dateRange: totals.dateRange
      ? {
          first: new Date(totals.dateRange.first).toISOString(),
          last: new Date(totals.dateRange.last).toISOString(),
        }
      : { first: null, last: null },
    observationEnd: isoDay(config.observationEnd),
  };
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
