/**
 * The engine's per-customer summary input (lifetimes' frequency / recency / T / monetary_value), one typed
 * array per column: what a summary CSV import produces and the models fit on.
 */
export type PurchaseHistory = {
  /** Repeat purchase periods x (purchases after the first, same-period purchases merged). */
  frequency: Float64Array;
  /** t_x: age of the customer at the last purchase (0 when frequency is 0). */
  recency: Float64Array;
  /** T: age of the customer at the end of observation. */
  T: Float64Array;
};

/** PurchaseHistory plus the mean value of the repeat purchases (0 when frequency is 0). */
export type PurchaseAndSpendHistory = PurchaseHistory & { monetaryValue: Float64Array };
