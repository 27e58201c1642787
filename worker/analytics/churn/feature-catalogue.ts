/**
 * The built-in churn features, each with its declared properties (./feature-definition). Heavy-tailed
 * counts and amounts enter as log1p(x) (a customer with 200 orders is not 100× as loyal as one with 2);
 * ratios of gaps as logs of (days + 1) ratios, so "3× the usual gap" and "a third of it" are symmetric.
 * Standardising is the model's job (./logistic-regression stores the means and SDs).
 *
 * | name | model value | raw (for texts) | as of | direction |
 * |---|---|---|---|---|
 * | recency_days | log1p(days since last order), spline | days | history | + |
 * | frequency_orders | log1p(orders), spline | orders | history | − |
 * | monetary_total | log1p(Σ order amounts) | amount | history | − |
 * | average_order_value | log1p(mean order amount) | amount | history | − |
 * | tenure_days | log1p(days since first order) | days | history | − |
 * | recency_gap_ratio | ln((recency + 1) / (usual gap + 1)), spline | recency / usual gap | history | + |
 * | gap_trend | ln((last gap + 1) / (median gap + 1)), 0 below 3 buying days | last / median | history | + |
 * | spend_trend | log1p(spend, last trendDays) − log1p(spend, trendDays before) | same | history | − |
 * | recent_orders | log1p(orders in the last trendDays) | orders | history | − |
 * | lines_per_order | log1p(mean purchase lines per order) (with orders.lineCount) | lines | history | − |
 * | main_channel | one-hot main channel (the most common one is the baseline) | channel | history | none |
 * | refunds_count, refunds_value | log1p(count / Σ value before the cutoff) | count / value | history | + |
 * | support_tickets, support_max_priority | log1p(cases before cutoff), max priority | same | history | + |
 * | email_opens, email_clicks, page_views, social_clicks | log1p(count) (engagement) | count | snapshot | − |
 * | p_alive | P(alive) from a transaction model at the same cutoff (when given) | probability | history | − |
 *
 * Directions are the business reading, and the fitted coefficients are held to them: longer silence, more
 * refunds and more tickets can only raise the risk; more orders, more spend, larger baskets, a longer
 * relationship and a higher P(alive) can only lower it. Where the data disagree (in Online Retail customers
 * with refunds are the large, loyal accounts) the coefficient stays at 0 rather than flipping, so the
 * feature is simply not used, and no customer is ever told a refund-free record is why they may leave.
 */
import { MS_PER_DAY } from '../clean/parse-timestamp';
import { endBefore, type CustomerHistories } from './customer-histories';
import { channelWords, count, days, money, plural, times } from './driver-words';
import type {
  ChurnFeatureDefinition,
  DriverTextContext,
  FeatureContext,
  FeatureValues,
  FeatureWords,
} from './feature-definition';
import type { ChurnInput } from './types';

const { log, log1p, abs, floor } = Math;

// Plain loops over the rows rather than typed-array map with a closure: these run for every row at each
// of the churn stage's cutoffs and again in the leakage check.
function log1pOf(raw: Float64Array): FeatureValues {
  const value = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i];
    value[i] = log1p(x > 0 ? x : 0);
  }
  return { raw, value };
}

/** Words for a plain count or amount of something ("3 refunds, more than 95% of customers"). */
export function countWords(one: string, many: string, silentAtZero = false): FeatureWords {
  return { value: (v) => plural(v, one, many), compare: ['more than', 'fewer than'], silentAtZero };
}

function recencyText(v: number, risk: boolean, text: DriverTextContext): string {
  const ratio = text.row('recency_gap_ratio');
  if (!risk) {
    const when = v < 1 ? 'ordered today' : `ordered ${days(v)} ago`;
    return ratio < 1 && text.row('frequency_orders') > 1 ? `${when}, within their usual gap` : when;
  }
  if (!(ratio >= 1.5)) return `no order for ${days(v)}`;
  // A one-order customer has no gap of their own: the ratio is to the typical customer's (order-statistics).
  const whose = text.row('frequency_orders') === 1 ? "a typical customer's" : 'their usual';
  return `no order for ${days(v)} (${times(ratio)}× ${whose} gap)`;
}

function recentOrdersText(v: number, risk: boolean, text: DriverTextContext): string {
  const d = text.trendDays;
  const said = `${plural(v, 'order', 'orders')} in the last ${days(d)}`;
  if (!risk) return said;
  // Against the customer's own pace before the period: a slowdown, not "few orders".
  const orders = text.row('frequency_orders');
  const tenure = text.row('tenure_days');
  if (!(tenure >= 2 * d)) return said;
  const before = ((orders - v) * d) / (tenure - d);
  return before >= v + 0.5 ? `${said}, against about ${times(before)} per ${days(d)} before` : said;
}

export const RECENCY: ChurnFeatureDefinition = {
  name: 'recency_days',
  asOf: 'history',
  direction: 1,
  spline: true,
  words: { value: recencyText, compare: ['longer than', 'more recently than'] },
  compute: (ctx) => log1pOf(ctx.stats().recency.slice()),
};

const FREQUENCY: ChurnFeatureDefinition = {
  name: 'frequency_orders',
  asOf: 'history',
  direction: -1,
  spline: true,
  words: {
    value: (v, risk) =>
      risk ? (v === 1 ? 'a single order so far' : `${count(v)} orders so far`) : plural(v, 'order', 'orders'),
    compare: ['more than', 'fewer than'],
  },
  compute: (ctx) => log1pOf(ctx.stats().orders.slice()),
};

const MONETARY: ChurnFeatureDefinition = {
  name: 'monetary_total',
  asOf: 'history',
  direction: -1,
  words: { value: (v) => `${money(v)} spent in total`, compare: ['more than', 'less than'] },
  compute: (ctx) => log1pOf(ctx.stats().total.slice()),
};

const AVERAGE_ORDER: ChurnFeatureDefinition = {
  name: 'average_order_value',
  asOf: 'history',
  direction: -1,
  words: { value: (v) => `orders of ${money(v)} on average`, compare: ['larger than', 'smaller than'] },
  compute: (ctx) => {
    const s = ctx.stats();
    const mean = new Float64Array(s.total.length);
    for (let r = 0; r < mean.length; r++) mean[r] = s.total[r] / s.orders[r];
    return log1pOf(mean);
  },
};

const TENURE: ChurnFeatureDefinition = {
  name: 'tenure_days',
  asOf: 'history',
  direction: -1,
  words: { value: (v) => `customer for ${days(v)}`, compare: ['longer than', 'newer than'] },
  compute: (ctx) => log1pOf(ctx.stats().tenure.slice()),
};

const GAP_RATIO: ChurnFeatureDefinition = {
  name: 'recency_gap_ratio',
  asOf: 'history',
  direction: 1,
  spline: true,
  words: {
    value: (v, risk, text) => {
      const whose = text.row('frequency_orders') === 1 ? "a typical customer's" : 'their usual';
      return risk || v >= 1
        ? `quiet for ${times(v)}× ${whose} gap between orders`
        : `last order within ${whose} gap`;
    },
    compare: ['longer than', 'shorter than'],
    partOf: 'recency_days',
  },
  compute: (ctx) => {
    const { recency, gap } = ctx.stats();
    const raw = new Float64Array(recency.length);
    const value = new Float64Array(recency.length);
    for (let i = 0; i < raw.length; i++) {
      raw[i] = recency[i] / gap[i];
      value[i] = log((recency[i] + 1) / (gap[i] + 1));
    }
    return { raw, value };
  },
};

const GAP_TREND: ChurnFeatureDefinition = {
  name: 'gap_trend',
  asOf: 'history',
  direction: 1,
  words: {
    value: (v) =>
      v > 1
        ? `gaps between orders growing (the last ${times(v)}× the usual)`
        : `orders coming faster (the last gap ${times(v)}× the usual)`,
  },
  compute: (ctx) => {
    const { lastGap, ownGap } = ctx.stats();
    const raw = new Float64Array(lastGap.length);
    const value = new Float64Array(lastGap.length);
    for (let i = 0; i < raw.length; i++) {
      const g = lastGap[i];
      raw[i] = g / ownGap[i];
      value[i] = g === g ? log((g + 1) / (ownGap[i] + 1)) : 0;
    }
    return { raw, value };
  },
};

const SPEND_TREND: ChurnFeatureDefinition = {
  name: 'spend_trend',
  asOf: 'history',
  direction: -1,
  words: {
    value: (v, _risk, text) =>
      `spend ${v < 0 ? 'falling' : 'rising'} (the last ${days(text.trendDays)} against the ${days(text.trendDays)} before)`,
    silentAtZero: true,
  },
  compute: (ctx) => {
    const { recentSpend, previousSpend } = ctx.stats();
    const raw = new Float64Array(recentSpend.length);
    for (let i = 0; i < raw.length; i++) {
      const a = recentSpend[i];
      const b = previousSpend[i];
      raw[i] = log1p(a > 0 ? a : 0) - log1p(b > 0 ? b : 0);
    }
    return { raw };
  },
};

const RECENT_ORDERS: ChurnFeatureDefinition = {
  name: 'recent_orders',
  asOf: 'history',
  direction: -1,
  // "No order lately" is the recency feature's to say.
  words: { value: recentOrdersText, silentAtZero: true },
  compute: (ctx) => log1pOf(ctx.stats().recentOrders.slice()),
};

const LINES_PER_ORDER: ChurnFeatureDefinition = {
  name: 'lines_per_order',
  asOf: 'history',
  direction: -1,
  words: {
    value: (v) => `baskets of ${times(v)} ${v === 1 ? 'item' : 'items'} on average`,
    compare: ['larger than', 'smaller than'],
  },
  compute: (ctx) => log1pOf(ctx.stats().linesPerOrder.slice()),
};

const MAIN_CHANNEL: ChurnFeatureDefinition = {
  name: 'main_channel',
  asOf: 'history',
  direction: 0,
  categorical: true,
  words: { value: (k, _risk, text) => `buys mainly ${channelWords(text.channelName(k))}` },
  compute: (ctx) => ({ raw: mainChannels(ctx) }),
};

/** Events (cancellations, service cases) per row up to the cutoff: count, Σ |value| and max value. */
function eventsBefore(
  ctx: FeatureContext,
  events: { customer: Int32Array; time: Float64Array },
  value?: Float64Array,
): { count: Float64Array; sum: Float64Array; max: Float64Array } {
  const n = ctx.customer.length;
  const out = { count: new Float64Array(n), sum: new Float64Array(n), max: new Float64Array(n) };
  const customers = ctx.input.customers;
  for (let e = 0; e < events.customer.length; e++) {
    const c = events.customer[e];
    if (c < 0 || c >= customers || floor(events.time[e] / MS_PER_DAY) > ctx.cutoffDay) continue;
    const r = ctx.rowOf[c];
    if (r < 0) continue;
    out.count[r]++;
    if (value) {
      out.sum[r] += abs(value[e]);
      if (value[e] > out.max[r]) out.max[r] = value[e];
    }
  }
  return out;
}

const REFUNDS_COUNT: ChurnFeatureDefinition = {
  name: 'refunds_count',
  asOf: 'history',
  direction: 1,
  words: countWords('refund', 'refunds', true),
  compute: (ctx) => log1pOf(eventsBefore(ctx, ctx.input.cancellations!).count),
};

const REFUNDS_VALUE: ChurnFeatureDefinition = {
  name: 'refunds_value',
  asOf: 'history',
  direction: 1,
  words: { value: (v) => `${money(v)} refunded`, compare: ['more than', 'less than'], silentAtZero: true },
  compute: (ctx) => log1pOf(eventsBefore(ctx, ctx.input.cancellations!, ctx.input.cancellations!.value).sum),
};

const SUPPORT_TICKETS: ChurnFeatureDefinition = {
  name: 'support_tickets',
  asOf: 'history',
  direction: 1,
  words: countWords('support ticket', 'support tickets', true),
  compute: (ctx) => log1pOf(eventsBefore(ctx, ctx.input.serviceCases!).count),
};

const SUPPORT_PRIORITY: ChurnFeatureDefinition = {
  name: 'support_max_priority',
  asOf: 'history',
  direction: 1,
  words: { value: (v) => `a support ticket of priority ${times(v)}`, silentAtZero: true },
  compute: (ctx) => {
    const { max } = eventsBefore(ctx, ctx.input.serviceCases!, ctx.input.serviceCases!.priority);
    return { raw: max };
  },
};

const ENGAGEMENT_KEYS = {
  email_opens: ['emailOpens', 'email open', 'email opens'],
  email_clicks: ['emailClicks', 'email click', 'email clicks'],
  page_views: ['pageViews', 'page view', 'page views'],
  social_clicks: ['socialClicks', 'social click', 'social clicks'],
} as const;

const ENGAGEMENT: ChurnFeatureDefinition[] = Object.entries(ENGAGEMENT_KEYS).map(
  ([name, [key, one, many]]) => ({
    name,
    // The CRM keeps only today's counter: its value at a back-dated cutoff is unknown (see types.ts).
    asOf: 'snapshot' as const,
    direction: -1 as const,
    words: countWords(one, many),
    compute: (ctx: FeatureContext) => {
      const source = ctx.input.engagement![key]!;
      return log1pOf(Float64Array.from(ctx.customer, (c) => (source[c] > 0 ? source[c] : 0)));
    },
  }),
);

const P_ALIVE: ChurnFeatureDefinition = {
  name: 'p_alive',
  asOf: 'history',
  direction: -1,
  words: {
    value: (v) => `P(alive) ${Math.round(v * 100)}% by the purchase model`,
    compare: ['higher than', 'lower than'],
  },
  // Supplied per cutoff by the caller (./transaction-model-p-alive refits on the orders up to it).
  compute: (ctx) => ({
    raw: Float64Array.from(ctx.customer, (c) => (ctx.pAlive![c] === ctx.pAlive![c] ? ctx.pAlive![c] : 0.5)),
  }),
};

/** The built-in features whose inputs are present, in their fixed column order. */
export function builtInFeatures(input: ChurnInput, hasPAlive: boolean): ChurnFeatureDefinition[] {
  const out = [
    RECENCY,
    FREQUENCY,
    MONETARY,
    AVERAGE_ORDER,
    TENURE,
    GAP_RATIO,
    GAP_TREND,
    SPEND_TREND,
    RECENT_ORDERS,
  ];
  if (input.orders.lineCount) out.push(LINES_PER_ORDER);
  if (input.orders.channel) out.push(MAIN_CHANNEL);
  if (input.cancellations) out.push(REFUNDS_COUNT, REFUNDS_VALUE);
  if (input.serviceCases) {
    out.push(SUPPORT_TICKETS);
    if (input.serviceCases.priority) out.push(SUPPORT_PRIORITY);
  }
  for (const def of ENGAGEMENT) {
    const key = ENGAGEMENT_KEYS[def.name as keyof typeof ENGAGEMENT_KEYS][0];
    if (input.engagement?.[key]) out.push(def);
  }
  if (hasPAlive) out.push(P_ALIVE);
  return out;
}

/** Every built-in feature, whatever the inputs. */
export const BUILT_IN_FEATURES: readonly ChurnFeatureDefinition[] = [
  RECENCY,
  FREQUENCY,
  MONETARY,
  AVERAGE_ORDER,
  TENURE,
  GAP_RATIO,
  GAP_TREND,
  SPEND_TREND,
  RECENT_ORDERS,
  LINES_PER_ORDER,
  MAIN_CHANNEL,
  REFUNDS_COUNT,
  REFUNDS_VALUE,
  SUPPORT_TICKETS,
  SUPPORT_PRIORITY,
  ...ENGAGEMENT,
  P_ALIVE,
];

/** Names of every built-in feature (a caller's feature may not reuse one). */
export const BUILT_IN_FEATURE_NAMES: ReadonlySet<string> = new Set(BUILT_IN_FEATURES.map((d) => d.name));

/** Each row's most used channel among its orders up to the cutoff (ties: the lower index); −1 if none. */
function mainChannels(ctx: FeatureContext): Float64Array {
  const channel = ctx.input.orders.channel!;
  const { h, customer } = ctx;
  let k = 0;
  for (let o = 0; o < channel.length; o++) if (channel[o] + 1 > k) k = channel[o] + 1;
  const main = new Float64Array(customer.length).fill(-1);
  const tally = new Int32Array(Math.max(1, k));
  for (let r = 0; r < customer.length; r++) {
    const from = h.start[customer[r]];
    const end = ctx.end[r];
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
    main[r] = best;
  }
  return main;
}

/** Rows at a cutoff: customers with an order on or before it, and each one's end index. */
export function rowsAt(
  h: CustomerHistories,
  cutoffDay: number,
): { customer: Int32Array; end: Int32Array; rowOf: Int32Array } {
  const n = h.customers;
  const ends = new Int32Array(n);
  let rows = 0;
  for (let c = 0; c < n; c++) {
    ends[c] = endBefore(h, c, cutoffDay);
    if (ends[c] > h.start[c]) rows++;
  }
  const customer = new Int32Array(rows);
  const end = new Int32Array(rows);
  const rowOf = new Int32Array(n).fill(-1);
  for (let c = 0, r = 0; c < n; c++) {
    if (ends[c] > h.start[c]) {
      customer[r] = c;
      end[r] = ends[c];
      rowOf[c] = r++;
    }
  }
  return { customer, end, rowOf };
}
