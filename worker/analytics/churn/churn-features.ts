/**
 * Churn features at a cutoff day, one row per customer with an order on or before it. Heavy-tailed counts
 * and amounts enter as log1p(x) (a customer with 200 orders is not 100× as loyal as one with 2); ratios of
 * gaps as logs of (days + 1) ratios, so "3× the usual gap" and "a third of it" are symmetric. Standardising
 * is the model's job (./logistic-regression stores the means and SDs).
 *
 * | name | value | raw (for driver texts) |
 * |---|---|---|
 * | recency_days | log1p(days since last order) | days |
 * | frequency_orders | log1p(orders) | orders |
 * | monetary_total | log1p(Σ order amounts) | amount |
 * | average_order_value | log1p(mean order amount) | amount |
 * | tenure_days | log1p(days since first order) | days |
 * | recency_gap_ratio | ln((recency + 1) / (usual gap + 1)) | recency / usual gap |
 * | gap_trend | ln((last gap + 1) / (median gap + 1)), 0 with < 3 purchase days | last gap / median gap |
 * | spend_trend | log1p(spend in the last `trendDays`) − log1p(spend in the `trendDays` before) | same |
 * | recent_orders | log1p(orders in the last `trendDays`) | orders |
 * | refunds_count, refunds_value | log1p of count / Σ |value| before the cutoff (with cancellations) | count / value |
 * | support_tickets, support_max_priority | log1p(cases opened before the cutoff), max priority (0 = none) | count / priority |
 * | email_opens, email_clicks, page_views, social_clicks | log1p(snapshot count) (with engagement) | count |
 * | channel=<name> | 1 when it is the customer's most used channel (the most common one is the baseline) | 0/1 |
 * | p_alive | P(alive) from a transaction model at the same cutoff (when given) | probability |
 * The usual gap is the median gap between the customer's distinct purchase days; customers with a single
 * purchase day get the median of the other customers' usual gaps, so the ratio still means "quiet for k
 * typical intervals".
 */
import { MS_PER_DAY } from '../clean/parse-timestamp';
import { endBefore, medianGapDays, type CustomerHistories } from './customer-histories';
import { ChurnError, type ChurnInput } from './types';

const { log, log1p, abs, floor } = Math;

/** The columns a model was trained on; scoring at a later cutoff must rebuild exactly these. */
export type ChurnFeatureSpec = {
  names: string[];
  /** orders.channel values that got a one-hot column, in column order. */
  channelColumns: number[];
};

export type ChurnFeatures = {
  names: string[];
  spec: ChurnFeatureSpec;
  cutoffDay: number;
  /** Customer index of each row. */
  customer: Int32Array;
  /** rows × names.length, row-major, transformed values. */
  values: Float64Array;
  /** Same shape, the untransformed values the driver texts quote. */
  raw: Float64Array;
};

export type ChurnFeatureOptions = {
  /** Length of each of the two periods spend_trend compares; default 90. */
  trendDays?: number;
  /** P(alive) per customer index at this cutoff. */
  pAlive?: Float64Array;
  /** Reuse a trained model's columns (required when scoring with it). */
  spec?: ChurnFeatureSpec;
  /** Most one-hot channel columns when no spec is given (default 8; rarer channels share the baseline). */
  maxChannels?: number;
};

const CORE = [
  'recency_days',
  'frequency_orders',
  'monetary_total',
  'average_order_value',
  'tenure_days',
  'recency_gap_ratio',
  'gap_trend',
  'spend_trend',
  'recent_orders',
] as const;
const ENGAGEMENT = {
  email_opens: 'emailOpens',
  email_clicks: 'emailClicks',
  page_views: 'pageViews',
  social_clicks: 'socialClicks',
} as const;

export function computeChurnFeatures(
  input: ChurnInput,
  h: CustomerHistories,
  cutoffDay: number,
  options: ChurnFeatureOptions = {},
): ChurnFeatures {
  const n = input.customers;
  if (h.customers !== n) {
    throw new ChurnError('INVALID_CHURN_INPUT', 'the order grouping was built for another customer count.');
  }
  const trendDays = options.trendDays ?? 90;
  const mainChannel = input.orders.channel ? mainChannels(input, h, cutoffDay) : null;
  const spec = options.spec ?? defaultSpec(input, options, mainChannel);
  checkSpec(spec, input, options);
  const names = spec.names;
  const p = names.length;
  const col = new Map(names.map((name, j) => [name, j]));

  // One binary search per customer: end[c] = one past the last entry on or before the cutoff.
  const ends = new Int32Array(n);
  let nRows = 0;
  for (let c = 0; c < n; c++) {
    ends[c] = endBefore(h, c, cutoffDay);
    if (ends[c] > h.start[c]) nRows++;
  }
  const customer = new Int32Array(nRows);
  for (let c = 0, r = 0; c < n; c++) if (ends[c] > h.start[c]) customer[r++] = c;
  const values = new Float64Array(nRows * p);
  const raw = new Float64Array(nRows * p);
  const rowOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < nRows; r++) rowOf[customer[r]] = r;

  let maxOrders = 1;
  for (let c = 0; c < n; c++)
    if (h.start[c + 1] - h.start[c] > maxOrders) maxOrders = h.start[c + 1] - h.start[c];
  const scratch = new Float64Array(maxOrders);
  const usualGap = new Float64Array(nRows);
  const medians = new Float64Array(nRows);
  let withGap = 0;
  for (let r = 0; r < nRows; r++) {
    const c = customer[r];
    usualGap[r] = medianGapDays(h.day, h.start[c], ends[c], scratch);
    if (usualGap[r] === usualGap[r]) medians[withGap++] = usualGap[r];
  }
  const populationGap = withGap ? median(medians.subarray(0, withGap)) : 90;

  const amount = input.orders.amount;
  const channelCols = spec.channelColumns.map((k) => col.get(channelName(input, k))!);
  const set = (r: number, j: number, v: number, rawValue: number) => {
    values[r * p + j] = v;
    raw[r * p + j] = rawValue;
  };
  const day = h.day;
  const order = h.order;
  const twoTrend = 2 * trendDays;
  for (let r = 0; r < nRows; r++) {
    const c = customer[r];
    const from = h.start[c];
    const end = ends[c];
    const orders = end - from;
    let total = 0;
    let recent = 0;
    let previous = 0;
    let recentOrders = 0;
    let distinct = 1;
    let lastGap = NaN;
    for (let j = from; j < end; j++) {
      const a = amount[order[j]];
      total += a;
      const age = cutoffDay - day[j];
      if (age < trendDays) {
        recent += a;
        recentOrders++;
      } else if (age < twoTrend) previous += a;
      if (j > from && day[j] > day[j - 1]) {
        distinct++;
        lastGap = day[j] - day[j - 1];
      }
    }
    // The last gap between distinct purchase days counts from 3 distinct days on.
    if (distinct < 3) lastGap = NaN;
    const recency = cutoffDay - day[end - 1];
    const tenure = cutoffDay - day[from];
    const own = usualGap[r];
    const gap = own === own ? own : populationGap;
    const aov = total / orders;
    const trend = log1p(recent > 0 ? recent : 0) - log1p(previous > 0 ? previous : 0);
    const off = r * p;
    values[off] = log1p(recency);
    raw[off] = recency;
    values[off + 1] = log1p(orders);
    raw[off + 1] = orders;
    values[off + 2] = log1p(total > 0 ? total : 0);
    raw[off + 2] = total;
    values[off + 3] = log1p(aov > 0 ? aov : 0);
    raw[off + 3] = aov;
    values[off + 4] = log1p(tenure);
    raw[off + 4] = tenure;
    values[off + 5] = log((recency + 1) / (gap + 1));
    raw[off + 5] = recency / gap;
    values[off + 6] = lastGap === lastGap ? log((lastGap + 1) / (own + 1)) : 0;
    raw[off + 6] = lastGap / own;
    values[off + 7] = trend;
    raw[off + 7] = trend;
    values[off + 8] = log1p(recentOrders);
    raw[off + 8] = recentOrders;
    if (mainChannel) {
      for (let k = 0; k < channelCols.length; k++) {
        const on = mainChannel[c] === spec.channelColumns[k] ? 1 : 0;
        values[off + channelCols[k]] = on;
        raw[off + channelCols[k]] = on;
      }
    }
  }

  const refundsCount = col.get('refunds_count');
  const refundsValue = col.get('refunds_value');
  if (refundsCount !== undefined && refundsValue !== undefined && input.cancellations) {
    const { customer: cc, time: ct, value: cv } = input.cancellations;
    const count = new Float64Array(nRows);
    const value = new Float64Array(nRows);
    for (let e = 0; e < cc.length; e++) {
      const c = cc[e];
      if (c < 0 || c >= n || floor(ct[e] / MS_PER_DAY) > cutoffDay) continue;
      const r = rowOf[c];
      if (r < 0) continue;
      count[r]++;
      value[r] += abs(cv[e]);
    }
    for (let r = 0; r < nRows; r++) {
      set(r, refundsCount, log1p(count[r]), count[r]);
      set(r, refundsValue, log1p(value[r]), value[r]);
    }
  }
  const tickets = col.get('support_tickets');
  const priorityCol = col.get('support_max_priority');
  if (tickets !== undefined && input.serviceCases) {
    const { customer: sc, time: st, priority } = input.serviceCases;
    const count = new Float64Array(nRows);
    const maxPriority = new Float64Array(nRows);
    for (let e = 0; e < sc.length; e++) {
      const c = sc[e];
      if (c < 0 || c >= n || floor(st[e] / MS_PER_DAY) > cutoffDay) continue;
      const r = rowOf[c];
      if (r < 0) continue;
      count[r]++;
      if (priority && priority[e] > maxPriority[r]) maxPriority[r] = priority[e];
    }
    for (let r = 0; r < nRows; r++) {
      set(r, tickets, log1p(count[r]), count[r]);
      if (priorityCol !== undefined) set(r, priorityCol, maxPriority[r], maxPriority[r]);
    }
  }
  for (const [name, key] of Object.entries(ENGAGEMENT)) {
    const j = col.get(name);
    const source = input.engagement?.[key];
    if (j === undefined || !source) continue;
    for (let r = 0; r < nRows; r++) {
      const v = source[customer[r]];
      const x = v > 0 ? v : 0;
      set(r, j, log1p(x), x);
    }
  }
  const pAliveCol = col.get('p_alive');
  if (pAliveCol !== undefined && options.pAlive) {
    for (let r = 0; r < nRows; r++) {
      const v = options.pAlive[customer[r]];
      const x = v === v ? v : 0.5;
      set(r, pAliveCol, x, x);
    }
  }
  return { names, spec, cutoffDay, customer, values, raw };
}

/** Each customer's most used channel among orders up to the cutoff (ties: the lower index); −1 if none. */
function mainChannels(input: ChurnInput, h: CustomerHistories, cutoffDay: number): Int32Array {
  const channel = input.orders.channel!;
  let k = 0;
  for (let o = 0; o < channel.length; o++) if (channel[o] + 1 > k) k = channel[o] + 1;
  const main = new Int32Array(input.customers).fill(-1);
  const tally = new Int32Array(Math.max(1, k));
  for (let c = 0; c < input.customers; c++) {
    const from = h.start[c];
    const end = endBefore(h, c, cutoffDay);
    if (end === from) continue;
    let best = -1;
    for (let j = from; j < end; j++) {
      const ch = channel[h.order[j]];
      if (ch < 0) continue;
      tally[ch]++;
      if (best < 0 || tally[ch] > tally[best] || (tally[ch] === tally[best] && ch < best)) best = ch;
    }
    for (let j = from; j < end; j++) {
      const ch = channel[h.order[j]];
      if (ch >= 0) tally[ch] = 0;
    }
    main[c] = best;
  }
  return main;
}

function channelName(input: ChurnInput, k: number): string {
  return `channel=${input.channels?.[k] ?? String(k)}`;
}

function defaultSpec(
  input: ChurnInput,
  options: ChurnFeatureOptions,
  mainChannel: Int32Array | null,
): ChurnFeatureSpec {
  const names: string[] = [...CORE];
  let channelColumns: number[] = [];
  if (mainChannel) {
    const counts = new Map<number, number>();
    for (let c = 0; c < mainChannel.length; c++) {
      if (mainChannel[c] >= 0) counts.set(mainChannel[c], (counts.get(mainChannel[c]) ?? 0) + 1);
    }
    // Most common first; it is the baseline (no column), the next ones get columns.
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([k]) => k);
    channelColumns = ranked.slice(1, 1 + (options.maxChannels ?? 8));
    for (const k of channelColumns) names.push(channelName(input, k));
  }
  if (input.cancellations) names.push('refunds_count', 'refunds_value');
  if (input.serviceCases) {
    names.push('support_tickets');
    if (input.serviceCases.priority) names.push('support_max_priority');
  }
  for (const [name, key] of Object.entries(ENGAGEMENT)) if (input.engagement?.[key]) names.push(name);
  if (options.pAlive) names.push('p_alive');
  return { names, channelColumns };
}

function checkSpec(spec: ChurnFeatureSpec, input: ChurnInput, options: ChurnFeatureOptions): void {
  const missing = (what: string) =>
    new ChurnError('INVALID_CHURN_INPUT', `the model uses ${what}; pass it to score with this model.`);
  for (let j = 0; j < CORE.length; j++) {
    if (spec.names[j] !== CORE[j]) {
      throw new ChurnError('INVALID_CHURN_INPUT', 'the feature spec does not start with the core features.');
    }
  }
  const has = (name: string) => spec.names.includes(name);
  if (has('refunds_count') && !input.cancellations) throw missing('cancellations');
  if (has('support_tickets') && !input.serviceCases) throw missing('serviceCases');
  if (has('support_max_priority') && !input.serviceCases?.priority) throw missing('serviceCases.priority');
  for (const [name, key] of Object.entries(ENGAGEMENT)) {
    if (has(name) && !input.engagement?.[key]) throw missing(`engagement.${key}`);
  }
  if (has('p_alive') && !options.pAlive) throw missing('pAlive');
  if (spec.channelColumns.length && !input.orders.channel) throw missing('orders.channel');
}

function median(a: Float64Array): number {
  a.sort();
  const k = a.length;
  return k % 2 === 1 ? a[(k - 1) >> 1] : 0.5 * (a[k / 2 - 1] + a[k / 2]);
}
