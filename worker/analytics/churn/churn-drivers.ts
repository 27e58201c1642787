/**
 * Per-customer explanations and risk bands. A driver is one feature's signed contribution to the logit
 * relative to the mean customer, β_j · (x_j − mean_j) / sd_j (positive = pushes towards churn), turned into
 * words by one template per feature that quotes the raw value ("no order for 142 days, 3× their usual gap").
 * The three largest |contributions| are kept, so a low-risk customer's drivers say why they look safe.
 */
import type { ChurnFeatures } from './churn-features';
import type { LogisticModel } from './logistic-regression';
import type { ChurnDriver, ChurnRisk } from './types';

const { abs, round } = Math;

/** Probability below `medium` is low risk, below `high` medium, else high. Default 0.3 / 0.6. */
export type RiskCutPoints = { medium: number; high: number };
export const DEFAULT_RISK_CUT_POINTS: RiskCutPoints = { medium: 0.3, high: 0.6 };

export function riskBand(probability: number, cuts: RiskCutPoints = DEFAULT_RISK_CUT_POINTS): ChurnRisk {
  return probability < cuts.medium ? 'low' : probability < cuts.high ? 'medium' : 'high';
}

/** Raw values of the row by feature name (NaN when the model has no such feature). */
type RowValues = (name: string) => number;

// Thousands separators by hand: Intl formatting is slow for millions of texts.
const count = (k: number) => {
  const text = String(round(k));
  return k > -1000 && k < 1000 ? text : text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
};
const money = count;
const times = (r: number) => (r >= 10 ? String(round(r)) : String(round(r * 10) / 10));
const plural = (k: number, one: string, many: string) => `${count(k)} ${round(k) === 1 ? one : many}`;

/** One template per feature: raw value, sign of the contribution, the row's other raw values. */
const TEMPLATES: Record<string, (v: number, up: boolean, row: RowValues) => string> = {
  recency_days: (v, up, row) => {
    if (!up) return `ordered ${plural(v, 'day', 'days')} ago`;
    const ratio = row('recency_gap_ratio');
    if (!(ratio >= 1.5)) return `no order for ${plural(v, 'day', 'days')}`;
    // A one-order customer has no gap of their own: the ratio is to the typical customer's (churn-features).
    const whose = row('frequency_orders') === 1 ? "a typical customer's" : 'their usual';
    return `no order for ${plural(v, 'day', 'days')}, ${times(ratio)}× ${whose} gap`;
  },
  frequency_orders: (v, up) =>
    up ? `only ${plural(v, 'order', 'orders')} so far` : `${plural(v, 'order', 'orders')} so far`,
  monetary_total: (v, up) => (up ? `only ${money(v)} spent in total` : `${money(v)} spent in total`),
  average_order_value: (v, up) =>
    up ? `small orders (${money(v)} on average)` : `orders of ${money(v)} on average`,
  tenure_days: (v, up) =>
    up ? `customer for only ${plural(v, 'day', 'days')}` : `customer for ${plural(v, 'day', 'days')}`,
  recency_gap_ratio: (v) => `quiet for ${times(v)}× their usual gap between orders`,
  gap_trend: (v) =>
    v !== v
      ? 'fewer than three purchase days, no gap trend yet'
      : v > 1
        ? `gaps between orders growing (last ${times(v)}× the usual)`
        : `orders coming faster (last gap ${times(v)}× the usual)`,
  spend_trend: (v) =>
    v < 0
      ? 'spend falling (recent vs earlier period)'
      : v > 0
        ? 'spend rising (recent vs earlier period)'
        : 'no recent spend',
  refunds_count: (v) => (v > 0 ? plural(v, 'refund', 'refunds') : 'no refunds'),
  refunds_value: (v) => (v > 0 ? `${money(v)} refunded` : 'nothing refunded'),
  support_tickets: (v) => (v > 0 ? plural(v, 'support ticket', 'support tickets') : 'no support tickets'),
  support_max_priority: (v) => (v > 0 ? `a support ticket of priority ${times(v)}` : 'no urgent tickets'),
  email_opens: (v, up) =>
    up ? `few email opens (${count(v)})` : `${plural(v, 'email open', 'email opens')}`,
  email_clicks: (v, up) =>
    up ? `few email clicks (${count(v)})` : `${plural(v, 'email click', 'email clicks')}`,
  page_views: (v, up) => (up ? `few page views (${count(v)})` : `${plural(v, 'page view', 'page views')}`),
  social_clicks: (v, up) =>
    up ? `few social clicks (${count(v)})` : `${plural(v, 'social click', 'social clicks')}`,
  p_alive: (v) => `P(alive) ${round(v * 100)}%`,
};

function channelText(name: string, v: number): string {
  const channel = name.slice('channel='.length);
  return v > 0 ? `buys mainly via ${channel}` : `does not buy mainly via ${channel}`;
}

export function describeDriver(name: string, rawValue: number, contribution: number, row: RowValues): string {
  if (name.startsWith('channel=')) return channelText(name, rawValue);
  const template = TEMPLATES[name];
  return template ? template(rawValue, contribution > 0, row) : `${name} = ${rawValue}`;
}

/**
 * The top `k` drivers of every feature row, as numbers only: feature[r·k + t] is the column of row r's
 * t-th driver (−1 when the model has fewer than k features), contribution[r·k + t] its signed
 * contribution. Texts are made on demand (describeRowDrivers), so a million customers do not hold three
 * million strings.
 */
export type DriverTable = { k: number; feature: Int32Array; contribution: Float64Array };

export function churnDriverTable(model: LogisticModel, features: ChurnFeatures, k = 3): DriverTable {
  const p = model.names.length;
  const n = features.customer.length;
  const weight = model.coefficients.map((b, j) => b / model.sd[j]);
  const contribution = new Float64Array(p);
  const top = new Int32Array(k);
  const tableFeature = new Int32Array(n * k).fill(-1);
  const tableContribution = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const off = r * p;
    for (let j = 0; j < p; j++) contribution[j] = weight[j] * (features.values[off + j] - model.mean[j]);
    let found = 0;
    for (let j = 0; j < p; j++) {
      // Insertion into the running top k.
      let pos = found < k ? found : k;
      while (pos > 0 && abs(contribution[top[pos - 1]]) < abs(contribution[j])) {
        if (pos < k) top[pos] = top[pos - 1];
        pos--;
      }
      if (pos < k) {
        top[pos] = j;
        if (found < k) found++;
      }
    }
    for (let t = 0; t < found; t++) {
      tableFeature[r * k + t] = top[t];
      tableContribution[r * k + t] = contribution[top[t]];
    }
  }
  return { k, feature: tableFeature, contribution: tableContribution };
}

/** Row r's drivers with their texts. */
export function describeRowDrivers(
  model: LogisticModel,
  features: ChurnFeatures,
  table: DriverTable,
  r: number,
): ChurnDriver[] {
  const p = model.names.length;
  const off = r * p;
  const row: RowValues = (name) => {
    const j = model.names.indexOf(name);
    return j < 0 ? NaN : features.raw[off + j];
  };
  const drivers: ChurnDriver[] = [];
  for (let t = 0; t < table.k; t++) {
    const j = table.feature[r * table.k + t];
    if (j < 0) break;
    const c = table.contribution[r * table.k + t];
    drivers.push({
      feature: model.names[j],
      contribution: c,
      text: describeDriver(model.names[j], features.raw[off + j], c, row),
    });
  }
  return drivers;
}

/** Top `k` drivers with texts for every feature row, by |contribution| (for small data and tests). */
export function churnDrivers(model: LogisticModel, features: ChurnFeatures, k = 3): ChurnDriver[][] {
  const table = churnDriverTable(model, features, k);
  return Array.from({ length: features.customer.length }, (_, r) =>
    describeRowDrivers(model, features, table, r),
  );
}
