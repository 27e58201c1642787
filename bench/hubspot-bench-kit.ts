/**
 * Pure helpers of the HubSpot bench stages: request counting by route family (done at the sandbox, so the
 * figures do not depend on the connector's own counters), realistic wanted CLV values for every contact, the
 * 0.7 % change between runs, and a digest of what the sandbox holds for the write-back's check.
 */
import { createHash } from 'node:crypto';
import type { WantedValues, WrittenValues } from '../connectors/hubspot/changed-values';
import { BATCH_INPUT_LIMIT, formatPropertyValue } from '../connectors/hubspot/changed-values';
import {
  CHURN_RISK_OPTIONS,
  RETENTION_GROUP_OPTIONS,
  RFM_SEGMENT_OPTIONS,
} from '../connectors/hubspot/property-contract';
import { optionValue } from '../domain/rfm-segments';
import { createRandom } from '../worker/analytics/math/random';

export type FamilyCounts = {
  /** Requests that reached the sandbox, whatever their answer. */
  requests: number;
  /** 429 answers the sandbox sent. */
  rateLimited: number;
  /** Other answers ≥ 400. */
  errors: number;
  /** Batch inputs of requests answered 200/201/207. */
  inputsAccepted: number;
};

export type RequestCounts = Record<string, FamilyCounts>;

/**
 * The route family of a request, e.g. "batch update contacts", "list pages deals", "associations deals→contacts".
 * Example: routeFamily('POST', '/crm/v3/objects/contacts/batch/update') → 'batch update contacts'
 */
export function routeFamily(method: string, path: string): string {
  const m = method.toUpperCase();
  let match = /^\/crm\/v3\/objects\/([^/]+)\/batch\/([^/]+)$/.exec(path);
  if (match) return `batch ${match[2]} ${match[1]}`;
  match = /^\/crm\/v3\/objects\/([^/]+)\/search$/.exec(path);
  if (match && m === 'POST') return `search ${match[1]}`;
  match = /^\/crm\/v3\/objects\/([^/]+)\/?$/.exec(path);
  if (match) return m === 'GET' ? `list pages ${match[1]}` : `${m.toLowerCase()} ${match[1]}`;
  match = /^\/crm\/v3\/objects\/([^/]+)\/[^/]+$/.exec(path);
  if (match) return `${m.toLowerCase()} one ${match[1]}`;
  match = /^\/crm\/v4\/(?:associations|objects)\/([^/]+)\/([^/]+)\/batch\/read$/.exec(path);
  if (match) return `associations ${match[1]}→${match[2]}`;
  if (/^\/crm\/v3\/properties\/[^/]+\/groups/.test(path)) return `property groups ${m}`;
  if (path.startsWith('/crm/v3/properties/')) return `properties ${m}`;
  if (path.startsWith('/crm/v3/owners')) return 'owners';
  if (path.startsWith('/crm/v3/pipelines/')) return 'pipelines';
  return `${m} ${path}`;
}

export function emptyFamily(): FamilyCounts {
  return { requests: 0, rateLimited: 0, errors: 0, inputsAccepted: 0 };
}

/** Adds one finished request to `counts`. */
export function countRequest(
  counts: RequestCounts,
  method: string,
  path: string,
  status: number,
  inputs: number,
): void {
  const family = routeFamily(method, path);
  const c = (counts[family] ??= emptyFamily());
  c.requests++;
  if (status === 429) c.rateLimited++;
  else if (status >= 400) c.errors++;
  else if (status === 200 || status === 201 || status === 207) c.inputsAccepted += inputs;
}

/** `after − before`, per family; families with no requests in between are left out. */
export function diffCounts(after: RequestCounts, before: RequestCounts): RequestCounts {
  const out: RequestCounts = {};
  for (const [family, a] of Object.entries(after)) {
    const b = before[family] ?? emptyFamily();
    const d: FamilyCounts = {
      requests: a.requests - b.requests,
      rateLimited: a.rateLimited - b.rateLimited,
      errors: a.errors - b.errors,
      inputsAccepted: a.inputsAccepted - b.inputsAccepted,
    };
    if (d.requests > 0) out[family] = d;
  }
  return out;
}

export function totalCounts(counts: RequestCounts): FamilyCounts {
  const t = emptyFamily();
  for (const c of Object.values(counts)) {
    t.requests += c.requests;
    t.rateLimited += c.rateLimited;
    t.errors += c.errors;
    t.inputsAccepted += c.inputsAccepted;
  }
  return t;
}

/** Write calls a diff of `changed` contacts needs: ⌈changed / 100⌉. */
export function writeCallsFor(changed: number, batchSize = BATCH_INPUT_LIMIT): number {
  return Math.ceil(changed / batchSize);
}

/**
 * Seconds a sliding window of `perTenSeconds` needs at least for `calls` calls: the last call can start only
 * after ⌈calls / limit⌉ − 1 full windows. Example: 1,000 calls at 110 → 90 s (+ the last call's own time).
 */
export function slidingWindowFloorSeconds(calls: number, perTenSeconds: number): number {
  return calls <= 0 ? 0 : (Math.ceil(calls / perTenSeconds) - 1) * 10;
}

/** The behavioural segments the bench writes (stable ids are the clv_segment option values). */
export const BENCH_SEGMENTS: readonly { id: string; name: string }[] = [
  { id: 'seg-loyal-high', name: 'Loyal high spenders' },
  { id: 'seg-regular', name: 'Regular buyers' },
  { id: 'seg-new', name: 'New customers' },
  { id: 'seg-bargain', name: 'Bargain hunters' },
  { id: 'seg-lapsing', name: 'Lapsing' },
  { id: 'seg-dormant', name: 'Dormant one-timers' },
];

/** Interest segments the bench writes (clv_interest option labels; values are their snake form). */
export const BENCH_INTERESTS: readonly string[] = ['Coffee', 'Tea', 'Brewing', 'Gifts', 'Varied'];

const PRODUCTS = ['House Blend 250 g', 'Kenya AA 250 g', 'Sencha 100 g', 'Pour-over kettle', 'Gift box'];

const DRIVERS = [
  'no order for 140 days, longer than 80% of customers',
  'orders less often than before',
  '2 support tickets in the last 90 days',
];

const ACTIONS = [
  'Send loyalty reward',
  'Offer free shipping',
  'Win-back discount 15 %',
  'Cross-sell: kitchen',
  'Cross-sell: garden',
  'Invite to review',
  'Call from account manager',
  'No action',
];

const DAY_MS = 86_400_000;

/** Churn risk band of a churn probability (low < 0.3 ≤ medium < 0.6 ≤ high). */
export function riskBand(p: number): string {
  return p < 0.3
    ? CHURN_RISK_OPTIONS[0].value
    : p < 0.6
      ? CHURN_RISK_OPTIONS[1].value
      : CHURN_RISK_OPTIONS[2].value;
}

/**
 * Realistic scores for every contract property of every contact, deterministic in `seed`: gamma-distributed
 * CLV and history, P(alive) and churn probability that agree, RFM scores and segments, a next order date in
 * the next months, a next best action, a 10 % control group, one scoring time and model version.
 */
export function wantedScores(
  contactIds: readonly string[],
  seed: number,
  scoredAt = new Date('2026-11-20T06:00:00.000Z'),
): Map<string, WantedValues> {
  const random = createRandom(seed);
  const out = new Map<string, WantedValues>();
  for (const id of contactIds) {
    const orders = random.gamma(0.8, 0.25);
    const historic = orders * random.gamma(6.25, 6.25 / 35);
    const pAlive = random.beta(2, 1.2);
    const churn = Math.min(1, Math.max(0, 1 - pAlive + random.normal(0, 0.05)));
    const r = 1 + random.integer(5);
    const f = 1 + random.integer(5);
    const m = 1 + random.integer(5);
    out.set(id, {
      clv_segment: BENCH_SEGMENTS[random.integer(BENCH_SEGMENTS.length)].id,
      clv_rfm_segment: RFM_SEGMENT_OPTIONS[random.integer(RFM_SEGMENT_OPTIONS.length)].value,
      clv_rfm_score: `${r}${f}${m}`,
      clv_predicted_12m: historic * pAlive * 0.9,
      clv_historic: historic,
      clv_expected_orders_12m: orders * pAlive,
      clv_p_alive: pAlive,
      clv_churn_probability: churn,
      clv_churn_risk: riskBand(churn),
      clv_next_order_date: new Date(
        scoredAt.getTime() - (scoredAt.getTime() % DAY_MS) + (1 + random.integer(180)) * DAY_MS,
      ),
      clv_next_best_action: ACTIONS[random.integer(ACTIONS.length)],
      clv_retention_group:
        random.uniform() < 0.1 ? RETENTION_GROUP_OPTIONS[1].value : RETENTION_GROUP_OPTIONS[0].value,
      clv_recommended_products: [0, 1, 2].map(() => PRODUCTS[random.integer(PRODUCTS.length)]).join(', '),
      clv_interest: optionValue(BENCH_INTERESTS[random.integer(BENCH_INTERESTS.length)]),
      clv_top_churn_driver: DRIVERS[random.integer(DRIVERS.length)],
      clv_scored_at: scoredAt,
      clv_model_version: 'bgnbd+gg 2026.11',
    });
  }
  return out;
}

/**
 * The next scoring run: every contact gets a new clv_scored_at (a companion, written only with a change) and
 * model noise below the written precision; `changed` contacts, chosen by `seed`, get new CLV, churn values
 * and risk band. Returns the new values and the changed ids.
 */
export function rescore(
  previous: ReadonlyMap<string, WantedValues>,
  changed: number,
  seed: number,
  scoredAt = new Date('2026-11-27T06:00:00.000Z'),
): { values: Map<string, WantedValues>; changedIds: Set<string> } {
  const random = createRandom(seed + 1);
  const ids = [...previous.keys()];
  const changedIds = new Set<string>();
  // Partial Fisher-Yates: the first `changed` positions are a uniform sample.
  for (let i = 0; i < Math.min(changed, ids.length); i++) {
    const j = i + random.integer(ids.length - i);
    [ids[i], ids[j]] = [ids[j], ids[i]];
    changedIds.add(ids[i]);
  }
  const values = new Map<string, WantedValues>();
  for (const [id, v] of previous) {
    const next: Record<string, WantedValues[string]> = { ...v, clv_scored_at: scoredAt };
    // Model noise below the written precision (kept only where it does not move the rounded value): not a change.
    for (const [name, delta] of [
      ['clv_predicted_12m', 1e-7],
      ['clv_p_alive', -1e-9],
    ] as const) {
      const noisy = Number(v[name]) + delta;
      if (formatPropertyValue(name, noisy) === formatPropertyValue(name, Number(v[name]))) next[name] = noisy;
    }
    if (changedIds.has(id)) {
      const churn = Math.min(1, Number(v.clv_churn_probability) + 0.05 + random.uniform() * 0.3);
      next.clv_churn_probability = churn;
      next.clv_churn_risk = riskBand(churn);
      next.clv_p_alive = Math.max(0, 1 - churn);
      next.clv_predicted_12m = Number(v.clv_predicted_12m) * (1 - churn / 2) + 1;
    }
    values.set(id, next);
  }
  return { values, changedIds };
}

/**
 * sha256 over `id\tname=value\t…` of every contact's clv_* properties (names sorted), in the given id order.
 * The sandbox computes it from its store, the bench from lastWritten: equal digests mean every written value
 * arrived.
 */
export function clvDigest(
  ids: readonly string[],
  properties: (id: string) => Readonly<Record<string, string>> | undefined,
): string {
  const hash = createHash('sha256');
  for (const id of ids) {
    const p = properties(id) ?? {};
    const names = Object.keys(p)
      .filter((n) => n.startsWith('clv_') && p[n] !== '')
      .sort();
    hash.update(`${id}\t${names.map((n) => `${n}=${p[n]}`).join('\t')}\n`);
  }
  return hash.digest('hex');
}

export type { WrittenValues };

/** Percentiles of a list of numbers (nearest rank); NaN for an empty list. */
export function percentiles(values: readonly number[], ps: readonly number[]): number[] {
  if (values.length === 0) return ps.map(() => NaN);
  const sorted = [...values].sort((a, b) => a - b);
  return ps.map(
    (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))],
  );
}

/** The most requests any rolling 10 s window holds, for arrival times in ms (sorted ascending). */
export function maxInWindow(times: readonly number[], windowMs = 10_000): number {
  let best = 0;
  let head = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[head] <= times[i] - windowMs) head++;
    best = Math.max(best, i - head + 1);
  }
  return best;
}
