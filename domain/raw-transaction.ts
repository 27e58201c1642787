/**
 * The engine's input row: one transaction line as a connector hands it over, before any parsing, so the
 * cleaner can count every bad value instead of a reader throwing on it.
 */

/** Layouts the transaction reader understands. */
export type TransactionFormat = 'generic' | 'online-retail' | 'cdnow';

/**
 * One transaction line as read from the file: raw strings, not parsed (numbers only where stored records are
 * the source, see `amount`). Parsing and validation belong to the
 * cleaner (worker/analytics/clean) so that a bad value is counted in the quality report instead of thrown.
 * Every row object has every key (undefined when the layout has no such column) so V8 keeps one shape.
 */
export type RawTransaction = {
  /** 1-based physical line number of the row's first line in the (decompressed) file. */
  line: number;
  customerId: string;
  orderId: string;
  /** ISO date or datetime (generic, online-retail) or yyyymmdd (cdnow). */
  date: string;
  /**
   * Line amount; undefined when the layout has none (online-retail: the cleaner uses quantity × unitPrice).
   * Amount, quantity and unit price are text as read from a file, or numbers where the row is built from
   * stored records (a synced tenant): the cleaner takes a number as the value its decimal text would parse to.
   */
  amount?: string | number;
  productId?: string;
  quantity?: string | number;
  unitPrice?: string | number;
  channel?: string;
  currency?: string;
  country?: string;
  description?: string;
  /** Set when the line could not be split into the layout's fields; says why. Other fields are then ''. */
  malformed?: string;
};
