/**
 * What the streaming cleaner has gathered when finish() is called, as buildCleanResult reads it: columns per
 * order, line and cancellation (only the first orderCount, lineCount and cancelCount entries are filled),
 * the interned ids and the counters of the quality report. The cleaner fills it row by row and
 * buildCleanResult nets, flags and renumbers it, so the shape is its own module that both import.
 */
import type { CleanerConfig } from './config';
import type { InputEncoding, QualityExample } from './types';

export type CleanerState = {
  readonly config: CleanerConfig;
  /** Currency code → units of base currency per unit (the base currency is 1). */
  readonly rates: ReadonlyMap<string, number>;
  readonly rowsRead: number;
  /** Lowered by buildCleanResult when implausible or anomalous orders are excluded. */
  rowsUsed: number;
  /** Per EXCLUSION_REASONS index: rows excluded and the first few examples. */
  readonly excluded: number[];
  readonly examples: QualityExample[][];

  readonly customerIds: readonly string[];
  /** Per customer: HAS_PURCHASE | HAS_CANCELLATION (customer-flags). */
  readonly customerFlags: Uint8Array;
  /** Per customer: 1 + index into `countries`, 0 = none. */
  readonly customerCountry: Int32Array;
  readonly countries: readonly string[];

  readonly orderCount: number;
  readonly oCustomer: Int32Array;
  readonly oTime: Float64Array;
  /** Netting lowers these in place. */
  readonly oAmount: Float64Array;
  readonly oLines: Int32Array;
  readonly oFirstLine: Int32Array;
  /** 1: its id was reused by another customer; 2: the order of the customer reusing it. */
  readonly oConflicting: Uint8Array;
  /** Index into `channels`, −1 for none; null when no row had a channel. */
  readonly oChannel: Int32Array | null;
  /** Null unless config.keepOrderIds. */
  readonly orderIds: readonly string[] | null;
  readonly channels: readonly string[];
  readonly conflictOrders: number;
  readonly conflictRows: number;
  readonly conflictExamples: QualityExample[];

  readonly products: string[];
  readonly productNames: string[];
  readonly lineCount: number;
  readonly lOrder: Int32Array;
  /** Index into `products`, −1 for a line without a product id. */
  readonly lProduct: Int32Array;
  /** Filled only with config.keepLines. */
  readonly lQuantity: Float64Array;
  readonly lAmount: Float64Array;

  readonly cancelCount: number;
  readonly cCustomer: Int32Array;
  readonly cProduct: Int32Array;
  readonly cTime: Float64Array;
  /** |value| in base currency. */
  readonly cValue: Float64Array;
  /** Line number of each cancellation row (examples of cancellations found implausible in finish()). */
  readonly cLine: Int32Array;
  readonly cancelValue: number;
  /** The reader's report on how the file was decoded; null for rows that did not come from a file. */
  readonly encoding: InputEncoding | null;
  /** Currency code → rows converted from it. */
  readonly conversions: ReadonlyMap<string, { rows: number }>;
};
