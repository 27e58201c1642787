import type { PurchaseAndSpendHistory } from '../clv/types';

export type RfmPeriod = 'day' | 'week';

/** Orders in columns, as CleanResult.orders provides them. */
export type OrdersInput = {
  /** Index into the customers array. */
  customer: Int32Array;
  /** Epoch ms UTC. */
  time: Float64Array;
  /** Value in base currency. */
  amount: Float64Array;
};

/** A calendar day: 'yyyy-mm-dd', or a Date / epoch ms whose UTC day is used. The whole day is included. */
export type CalendarDay = string | number | Date;

export type SummaryOptions = {
  observationEnd: CalendarDay;
  /** With it, the summary is at calibrationEnd and holdout columns cover (calibrationEnd, observationEnd]. */
  calibrationEnd?: CalendarDay;
  period: RfmPeriod;
};

/**
 * lifetimes' summary_data_from_transaction_data (or calibration_and_holdout_data with calibrationEnd), one
 * entry per customer whose first purchase is on or before the summary's end. Ages in `period` units.
 */
export type RfmSummary = PurchaseAndSpendHistory & {
  ids: string[];
  /** Index of each row's customer in the input customers array (to join orders, lines and scores). */
  customerIndex: Int32Array;
  period: RfmPeriod;
  /** Time of the customer's first order (epoch ms). */
  firstPurchase: Float64Array;
  /** Σ order amounts up to the observation end (calibration and holdout): historic value. */
  totalRevenue: Float64Array;
  holdout?: {
    /** Distinct purchase days in (calibrationEnd, observationEnd]. */
    frequency: Float64Array;
    /** Mean per-day value of those days, 0 when there are none. */
    monetaryValue: Float64Array;
    /** observationEnd − calibrationEnd in `period` units. */
    duration: number;
  };
  /** UTC day numbers (days since 1970-01-01) of the ends used. */
  observationEndDay: number;
  calibrationEndDay?: number;
};
