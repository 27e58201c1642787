export { summarizePurchases, RfmInputError } from './summarize-purchases';
export type { CalendarDay, OrdersInput, RfmPeriod, RfmSummary, SummaryOptions } from './types';
