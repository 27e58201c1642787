/**
 * Campaign KPIs (issue P8, "Campaigns"): per campaign its members, response rate, conversion to a won order
 * within N days of joining, that revenue, the predicted CLV of the converted, cost and ROI; and, since a
 * campaign's members were chosen rather than drawn at random, a comparison with matched non-members that is
 * labelled observational.
 *
 * Matching is exact stratification on the Score's RFM segment and churn band (Cochran, "The effectiveness of
 * adjustment by subclassification in removing bias in observational studies", Biometrics 24, 1968): each
 * matched member is compared with the scored non-members of its stratum over the same N-day window, starting
 * the UTC day the member joined; expected conversions and revenue are summed over the members, so the
 * baseline has the members' mix of strata (direct standardisation). Members without a Score, or whose stratum
 * has no non-member, are left out of the comparison and counted. The strata come from the current Scores,
 * which may themselves reflect the campaign; the label says so.
 * Pure: arrays in, numbers out; no I/O, no clock.
 */
import type { Campaign, CampaignMember, Order } from '../../../domain/records';
import type { Score } from '../../../domain/score';
import { wilsonInterval, type Interval } from './wilson-interval';

const DAY_MS = 86_400_000;
export const DEFAULT_CONVERSION_DAYS = 30;

export type CampaignScore = Pick<Score, 'customerId' | 'rfmSegment' | 'churnRisk' | 'clvPredicted'>;

export type CampaignKpiInput = {
  campaigns: readonly Campaign[];
  members: readonly CampaignMember[];
  orders: readonly Pick<Order, 'customerId' | 'placedAt' | 'amount' | 'status'>[];
  scores: readonly CampaignScore[];
  /** Conversion window after joining, in days (default 30). */
  withinDays?: number;
};

export type MatchedComparison = {
  label: 'observational';
  /** Members compared (scored, with non-members in their stratum). */
  matchedMembers: number;
  unmatchedMembers: number;
  memberConversionRate: number;
  /** Conversion rate the matched non-members had, weighted to the members' strata. */
  baselineConversionRate: number;
  /** memberConversionRate − baselineConversionRate, in rate points. */
  conversionLift: number;
  /** Σ over matched members of (their window revenue − their stratum's mean non-member window revenue). */
  incrementalRevenue: number;
  /** (incrementalRevenue − cost) / cost; absent without a positive cost. */
  incrementalRoi?: number;
};

export type CampaignKpis = {
  campaignId: string;
  name: string;
  channel?: string;
  members: number;
  responded: number;
  responseRate?: number;
  converted: number;
  conversionRate?: number;
  conversionInterval?: Interval;
  /** Won-order revenue of members within the window after they joined. */
  revenue: number;
  /** Σ predicted CLV of the converted members that have a Score. */
  convertedClv: number;
  cost?: number;
  /** (revenue − cost) / cost: revenue attributed to the campaign, not its increment. */
  roi?: number;
  comparison?: MatchedComparison;
};

type Window = { from: number; to: number };

/** Won orders per customer, sorted by time, for window sums. */
function ordersByCustomer(orders: CampaignKpiInput['orders']): Map<string, { at: number; amount: number }[]> {
  const out = new Map<string, { at: number; amount: number }[]>();
  for (const o of orders) {
    if (o.status !== 'won') continue;
    let list = out.get(o.customerId);
    if (list === undefined) out.set(o.customerId, (list = []));
    list.push({ at: Date.parse(o.placedAt), amount: o.amount });
  }
  for (const list of out.values()) list.sort((a, b) => a.at - b.at);
  return out;
}

/** Revenue and whether any won order fell in [from, to]. */
function inWindow(
  list: { at: number; amount: number }[] | undefined,
  w: Window,
): { bought: boolean; revenue: number } {
  let revenue = 0;
  let bought = false;
  for (const o of list ?? []) {
    if (o.at < w.from) continue;
    if (o.at > w.to) break;
    bought = true;
    revenue += o.amount;
  }
  return { bought, revenue };
}

const stratumOf = (s: CampaignScore) => `${s.rfmSegment ?? '-'}|${s.churnRisk ?? '-'}`;

export function campaignKpis(input: CampaignKpiInput): CampaignKpis[] {
  const days = input.withinDays ?? DEFAULT_CONVERSION_DAYS;
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError(`withinDays must be a whole number ≥ 1, got ${days}`);
  const spanMs = days * DAY_MS;
  const orders = ordersByCustomer(input.orders);
  const scores = new Map(input.scores.map((s) => [s.customerId, s]));
  const strata = new Map<string, string[]>();
  for (const s of input.scores) {
    const key = stratumOf(s);
    let list = strata.get(key);
    if (list === undefined) strata.set(key, (list = []));
    list.push(s.customerId);
  }

  // Each customer's earliest join per campaign: a customer added twice is one member.
  const joins = new Map<string, Map<string, { joinedAt: number; responded: boolean }>>();
  for (const m of input.members) {
    let byCustomer = joins.get(m.campaignId);
    if (byCustomer === undefined) joins.set(m.campaignId, (byCustomer = new Map()));
    const at = Date.parse(m.joinedAt);
    const prev = byCustomer.get(m.customerId);
    byCustomer.set(m.customerId, {
      joinedAt: prev === undefined ? at : Math.min(prev.joinedAt, at),
      responded: (prev?.responded ?? false) || m.respondedAt !== undefined,
    });
  }

  return input.campaigns.map((campaign) => {
    const byCustomer = joins.get(campaign.id) ?? new Map<string, { joinedAt: number; responded: boolean }>();
    let responded = 0;
    let converted = 0;
    let revenue = 0;
    let convertedClv = 0;
    // Baselines per (stratum, join day), computed once for all members sharing them.
    const baselines = new Map<string, { rate: number; revenue: number } | undefined>();
    let matched = 0;
    let matchedConverted = 0;
    let expectedConverted = 0;
    let incrementalRevenue = 0;

    for (const [customerId, join] of byCustomer) {
      if (join.responded) responded++;
      const own = inWindow(orders.get(customerId), { from: join.joinedAt, to: join.joinedAt + spanMs });
      if (own.bought) {
        converted++;
        convertedClv += scores.get(customerId)?.clvPredicted ?? 0;
      }
      revenue += own.revenue;

      const score = scores.get(customerId);
      if (score === undefined) continue;
      const day = Math.floor(join.joinedAt / DAY_MS) * DAY_MS;
      const key = `${stratumOf(score)}@${day}`;
      if (!baselines.has(key)) {
        const pool = (strata.get(stratumOf(score)) ?? []).filter((id) => !byCustomer.has(id));
        if (pool.length === 0) baselines.set(key, undefined);
        else {
          let buyers = 0;
          let poolRevenue = 0;
          for (const id of pool) {
            const r = inWindow(orders.get(id), { from: day, to: day + spanMs });
            if (r.bought) buyers++;
            poolRevenue += r.revenue;
          }
          baselines.set(key, { rate: buyers / pool.length, revenue: poolRevenue / pool.length });
        }
      }
      const baseline = baselines.get(key);
      if (baseline === undefined) continue;
      matched++;
      if (own.bought) matchedConverted++;
      expectedConverted += baseline.rate;
      incrementalRevenue += own.revenue - baseline.revenue;
    }

    const members = byCustomer.size;
    const cost = campaign.cost;
    const out: CampaignKpis = {
      campaignId: campaign.id,
      name: campaign.name,
      ...(campaign.channel === undefined ? {} : { channel: campaign.channel }),
      members,
      responded,
      converted,
      revenue,
      convertedClv,
      ...(cost === undefined ? {} : { cost }),
    };
    if (members > 0) {
      out.responseRate = responded / members;
      out.conversionRate = converted / members;
      out.conversionInterval = wilsonInterval(converted, members);
    }
    if (cost !== undefined && cost > 0) out.roi = (revenue - cost) / cost;
    if (matched > 0) {
      const memberRate = matchedConverted / matched;
      const baselineRate = expectedConverted / matched;
      out.comparison = {
        label: 'observational',
        matchedMembers: matched,
        unmatchedMembers: members - matched,
        memberConversionRate: memberRate,
        baselineConversionRate: baselineRate,
        conversionLift: memberRate - baselineRate,
        incrementalRevenue,
        ...(cost !== undefined && cost > 0 ? { incrementalRoi: (incrementalRevenue - cost) / cost } : {}),
      };
    }
    return out;
  });
}
