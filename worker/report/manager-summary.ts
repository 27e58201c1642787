/**
 * The aggregates of the manager's summary, from the per-customer arrays of a score run: totals, revenue at
 * risk, value by churn-risk band and by segment, and what changed since the previous run. Pure: arrays in,
 * numbers out. Risk bands are read as the churn stage wrote them (insights.churnRisk), never recomputed.
 */
import type { PreviousRunChange, ValueGroup } from './model-report';

export type CustomerArrays = {
  /** Revenue to the observation end, per customer. */
  revenue: ArrayLike<number>;
  /** Predicted value over the horizon, per customer. */
  predictedValue: ArrayLike<number>;
  /** Expected orders in the next month, per customer. */
  expectedOrdersNextMonth: ArrayLike<number>;
  /** Churn-risk band per customer ('low' | 'medium' | 'high', null when not scored); null when churn was not run. */
  risk: readonly (string | null)[] | null;
  /** Segment name per customer; null without segments. */
  segment: readonly string[] | null;
};

export type CustomerTotals = {
  customers: number;
  revenue: number;
  predictedValue: number;
  revenueAtRisk: number | null;
  highRiskCustomers: number | null;
  expectedOrdersNextMonth: number;
  risk: ValueGroup[] | null;
  segments: ValueGroup[] | null;
};

/** The band whose customers' predicted value is the revenue at risk. */
export const HIGH_RISK = 'high';
const BAND_ORDER = ['low', 'medium', HIGH_RISK];
export const NOT_SCORED = 'not scored';

/** Non-finite entries (a value a model could not give) count as 0 in the sums. */
const finite = (v: number) => (Number.isFinite(v) ? v : 0);

export function summarizeCustomers(a: CustomerArrays): CustomerTotals {
  const n = a.revenue.length;
  let revenue = 0;
  let predictedValue = 0;
  let orders = 0;
  for (let i = 0; i < n; i++) {
    revenue += finite(a.revenue[i]);
    predictedValue += finite(a.predictedValue[i]);
    orders += finite(a.expectedOrdersNextMonth[i]);
  }
  const risk = a.risk
    ? groupBy(
        a,
        a.risk.map((r) => r ?? NOT_SCORED),
      )
    : null;
  if (risk) risk.sort((x, y) => bandRank(x.name) - bandRank(y.name));
  const high = risk?.find((g) => g.name === HIGH_RISK);
  const segments = a.segment ? groupBy(a, a.segment) : null;
  segments?.sort((x, y) => y.predictedValue - x.predictedValue || y.customers - x.customers);
  return {
    customers: n,
    revenue,
    predictedValue,
    revenueAtRisk: risk ? (high?.predictedValue ?? 0) : null,
    highRiskCustomers: risk ? (high?.customers ?? 0) : null,
    expectedOrdersNextMonth: orders,
    risk,
    segments,
  };
}

/** Known bands low → high, other labels after them in first-seen order, 'not scored' last. */
function bandRank(name: string): number {
  if (name === NOT_SCORED) return Number.MAX_SAFE_INTEGER;
  const k = BAND_ORDER.indexOf(name);
  return k >= 0 ? k : BAND_ORDER.length;
}

function groupBy(a: CustomerArrays, labels: readonly string[]): ValueGroup[] {
  const groups = new Map<string, ValueGroup>();
  for (let i = 0; i < labels.length; i++) {
    let g = groups.get(labels[i]);
    if (!g) {
      g = { name: labels[i], customers: 0, revenue: 0, predictedValue: 0, highRisk: a.risk ? 0 : null };
      groups.set(labels[i], g);
    }
    g.customers++;
    g.revenue += finite(a.revenue[i]);
    g.predictedValue += finite(a.predictedValue[i]);
    if (g.highRisk !== null && a.risk?.[i] === HIGH_RISK) g.highRisk++;
  }
  return [...groups.values()];
}

export type PreviousRunInput = {
  /** The previous run's segment model: ids, names and customers per segment. */
  model: { ids: readonly string[]; names: readonly string[]; sizes?: readonly number[] };
  /** customer id → segment id of the previous run, when known. */
  segmentByCustomer?: ReadonlyMap<string, string>;
};

export type CurrentSegments = {
  ids: readonly string[];
  segmentId: readonly string[];
  segmentName: readonly string[];
  /** Customers of both runs who kept their segment (migration matrix), when it was computed. */
  stayedShare: number | null;
};

/** Customers and segment sizes then and now; segment ids are stable across runs, names may change. */
export function compareWithPrevious(current: CurrentSegments, previous: PreviousRunInput): PreviousRunChange {
  const map = previous.segmentByCustomer;
  const previousSizes = new Map<string, number>();
  if (map) for (const id of map.values()) previousSizes.set(id, (previousSizes.get(id) ?? 0) + 1);
  else previous.model.ids.forEach((id, k) => previousSizes.set(id, previous.model.sizes?.[k] ?? 0));
  let previousCustomers = 0;
  for (const size of previousSizes.values()) previousCustomers += size;

  let inBoth: number | null = null;
  if (map) {
    inBoth = 0;
    for (const id of current.ids) if (map.has(id)) inBoth++;
  }
  const now = new Map<string, { name: string; count: number }>();
  current.segmentId.forEach((id, i) => {
    const s = now.get(id) ?? { name: current.segmentName[i], count: 0 };
    s.count++;
    now.set(id, s);
  });
  const segments: PreviousRunChange['segments'] = [...now].map(([id, s]) => ({
    id,
    name: s.name,
    previous: previousSizes.get(id) ?? null,
    current: s.count,
  }));
  // Segments of the previous run that no customer is in now.
  previous.model.ids.forEach((id, k) => {
    if (!now.has(id) && previousSizes.has(id))
      segments.push({ id, name: previous.model.names[k], previous: previousSizes.get(id)!, current: 0 });
  });
  segments.sort((x, y) => naturalIdOrder(x.id, y.id));
  return {
    customers: previousCustomers,
    inBoth,
    newCustomers: inBoth === null ? null : current.ids.length - inBoth,
    keptSegment:
      current.stayedShare !== null && Number.isFinite(current.stayedShare) ? current.stayedShare : null,
    segments,
  };
}

/** 'seg-2' before 'seg-10'. */
function naturalIdOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
