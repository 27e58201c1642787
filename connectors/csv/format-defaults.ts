/**
 * Cleaning options each layout needs, made explicit instead of special-cased in the cleaner:
 * - online-retail: invoices starting with "C" are cancellations, "A" bad-debt adjustments (UCI notes);
 * - cdnow: $0.00 rows are kept as purchases. lifetimes keeps them (they count as purchase days and as
 *   zero-value repeat transactions in zbar); without them cdnow_customers_summary*.csv cannot be
 *   reproduced: 8 of the 2,357 sample customers would disappear.
 * Spread these under the caller's own settings: { ...cleaningDefaultsFor(format), observationEnd, ... }.
 */
import type { TransactionFormat } from '../../domain/raw-transaction';

export type FormatCleaningDefaults = {
  cancelledOrderPrefix?: string;
  adjustmentOrderPrefix?: string;
  keepZeroAmounts?: boolean;
};

export function cleaningDefaultsFor(format: TransactionFormat): FormatCleaningDefaults {
  switch (format) {
    case 'online-retail':
      return { cancelledOrderPrefix: 'C', adjustmentOrderPrefix: 'A' };
    case 'cdnow':
      return { keepZeroAmounts: true };
    case 'generic':
      return {};
  }
}
