/**
 * The business reading of each built-in churn feature, written out independently of the catalogue: +1 more
 * of it means more churn, −1 less, 0 no direction. A test compares the catalogue and the fitted
 * coefficients with this table, so a constraint dropped in either place shows.
 */
export const BUSINESS_DIRECTION: Readonly<Record<string, -1 | 0 | 1>> = {
  recency_days: 1,
  frequency_orders: -1,
  monetary_total: -1,
  average_order_value: -1,
  tenure_days: -1,
  recency_gap_ratio: 1,
  gap_trend: 1,
  spend_trend: -1,
  recent_orders: -1,
  lines_per_order: -1,
  main_channel: 0,
  refunds_count: 1,
  refunds_value: 1,
  support_tickets: 1,
  support_max_priority: 1,
  email_opens: -1,
  email_clicks: -1,
  page_views: -1,
  social_clicks: -1,
  p_alive: -1,
};
