/**
 * Sales performance per rep (deal owner), over every deal and overall and per customer segment:
 * - won revenue, win rate = won / closed with its Wilson 95% interval (win-rate-interval.ts), average won
 *   deal size, median sales cycle (created → closed, won deals, days), open pipeline (open deals' amounts);
 * - new customers: those whose first won deal the rep closed (first-purchases.ts), and their predicted CLV;
 * - the rep's book (customers they own, from the latest Scores): expected churn rate = mean churn
 *   probability, and value retained = Σ CLV·(1 − churn probability) / Σ CLV, the share of the book's predicted
 *   value held by customers expected to stay.
 * Reps are ranked by their shrunk win rate (win-rate-shrinkage.ts) so three lucky deals do not top the table.
 * A deal's segment is its customer's; deals with no customer or no Score count under UNSCORED.
 */
import type { Customer, Deal, Order, Rep } from '../../../domain/records';
import type { Score } from '../../../domain/score';
import { firstPurchases } from './first-purchases';
import { median } from './median';
import { inBase, type Rates, type Skipped } from './money';
import { wilsonInterval } from './win-rate-interval';
import { fitWinRatePrior, shrunkWinRate, type BetaPrior } from './win-rate-shrinkage';

export const ALL_SEGMENTS = 'all';
export const UNSCORED = 'unscored';
const DAY_MS = 86_400_000;

export type RepFigures = {
  repId: string;
  repName: string;
  segment: string;
  deals: number;
  won: number;
  lost: number;
  open: number;
  wonRevenue: number;
  /** won / (won + lost); undefined without a closed deal. */
  winRate?: number;
  winRateLow: number;
  winRateHigh: number;
  /** Posterior-mean win rate under the team prior fitted over the reps of this segment. */
  shrunkWinRate: number;
  averageDealSize?: number;
  medianCycleDays?: number;
  openPipeline: number;
  newCustomers: number;
  newCustomerClv: number;
  bookCustomers: number;
  bookChurnRate?: number;
  bookValueRetained?: number;
  /** 1 = best by shrunk win rate within the segment. */
  rank: number;
};

export type RepPerformanceInput = {
  reps: readonly Rep[];
  deals: readonly Deal[];
  orders: readonly Order[];
  customers: readonly Customer[];
  scores: readonly Score[];
  money: Rates;
};

export type RepPerformance = { rows: RepFigures[]; priors: Record<string, BetaPrior>; skipped: Skipped[] };

type Tally = {
  won: number;
  lost: number;
  open: number;
  wonRevenue: number;
  openPipeline: number;
  cycles: number[];
  newCustomers: number;
  newCustomerClv: number;
  book: Score[];
};

const emptyTally = (): Tally => ({
  won: 0,
  lost: 0,
  open: 0,
  wonRevenue: 0,
  openPipeline: 0,
  cycles: [],
  newCustomers: 0,
  newCustomerClv: 0,
  book: [],
});

export function repPerformance(input: RepPerformanceInput): RepPerformance {
  const skipped: Skipped[] = [];
  const scoreOf = new Map(input.scores.map((s) => [s.customerId, s]));
  const segmentOf = (customerId: string | undefined): string =>
    (customerId !== undefined ? scoreOf.get(customerId)?.segmentName : undefined) ?? UNSCORED;
  const nameOf = new Map(input.reps.map((r) => [r.id, r.name]));
  // repId → segment → tally, 'all' included.
  const tallies = new Map<string, Map<string, Tally>>();
  const tallyOf = (repId: string, segment: string): Tally[] => {
    let bySegment = tallies.get(repId);
    if (bySegment === undefined) tallies.set(repId, (bySegment = new Map()));
    const out: Tally[] = [];
    for (const key of new Set([ALL_SEGMENTS, segment])) {
      let t = bySegment.get(key);
      if (t === undefined) bySegment.set(key, (t = emptyTally()));
      out.push(t);
    }
    return out;
  };
  for (const r of input.reps) tallyOf(r.id, ALL_SEGMENTS);

  for (const deal of input.deals) {
    const amount = inBase(deal.amount, deal.currency, input.money);
    if (amount === undefined) {
      skipped.push({
        type: 'deal',
        id: deal.id,
        reason: `currency ${deal.currency} has no rate to ${input.money.base}`,
      });
      continue;
    }
    for (const t of tallyOf(deal.ownerId, segmentOf(deal.customerId))) {
      if (deal.status === 'open') {
        t.open++;
        t.openPipeline += amount;
      } else if (deal.status === 'lost') t.lost++;
      else {
        t.won++;
        t.wonRevenue += amount;
        if (deal.closedAt !== undefined)
          t.cycles.push(Math.max(0, Date.parse(deal.closedAt) - Date.parse(deal.createdAt)) / DAY_MS);
      }
    }
  }
  for (const first of firstPurchases(input.deals, input.orders).values()) {
    if (first.ownerId === undefined) continue;
    const score = scoreOf.get(first.customerId);
    for (const t of tallyOf(first.ownerId, segmentOf(first.customerId))) {
      t.newCustomers++;
      t.newCustomerClv += score?.clvPredicted ?? 0;
    }
  }
  for (const c of input.customers) {
    const score = scoreOf.get(c.id);
    if (c.ownerId === undefined || score === undefined) continue;
    for (const t of tallyOf(c.ownerId, segmentOf(c.id))) t.book.push(score);
  }

  const rows: RepFigures[] = [];
  const priors: Record<string, BetaPrior> = {};
  const segments = new Set<string>();
  for (const bySegment of tallies.values()) for (const s of bySegment.keys()) segments.add(s);
  for (const segment of segments) {
    const members = [...tallies].flatMap(([repId, bySegment]) => {
      const t = bySegment.get(segment);
      return t ? [{ repId, t }] : [];
    });
    const prior = fitWinRatePrior(members.map(({ t }) => ({ won: t.won, closed: t.won + t.lost })));
    priors[segment] = prior;
    const segmentRows = members.map(({ repId, t }) =>
      figures(repId, nameOf.get(repId) ?? repId, segment, t, prior),
    );
    segmentRows
      .sort(
        (a, b) =>
          b.shrunkWinRate - a.shrunkWinRate || b.winRateLow - a.winRateLow || a.repId.localeCompare(b.repId),
      )
      .forEach((row, i) => (row.rank = i + 1));
    rows.push(...segmentRows);
  }
  return { rows, priors, skipped };
}

function figures(repId: string, repName: string, segment: string, t: Tally, prior: BetaPrior): RepFigures {
  const closed = t.won + t.lost;
  const interval = wilsonInterval(t.won, closed);
  const row: RepFigures = {
    repId,
    repName,
    segment,
    deals: closed + t.open,
    won: t.won,
    lost: t.lost,
    open: t.open,
    wonRevenue: t.wonRevenue,
    winRateLow: interval.low,
    winRateHigh: interval.high,
    shrunkWinRate: shrunkWinRate({ won: t.won, closed }, prior),
    openPipeline: t.openPipeline,
    newCustomers: t.newCustomers,
    newCustomerClv: t.newCustomerClv,
    bookCustomers: t.book.length,
    rank: 0,
  };
  if (closed > 0) row.winRate = t.won / closed;
  if (t.won > 0) row.averageDealSize = t.wonRevenue / t.won;
  const cycle = median(t.cycles);
  if (cycle !== undefined) row.medianCycleDays = cycle;
  const withChurn = t.book.filter((s) => s.churnProbability !== undefined);
  if (withChurn.length > 0) {
    row.bookChurnRate = withChurn.reduce((sum, s) => sum + s.churnProbability!, 0) / withChurn.length;
    const value = withChurn.reduce((sum, s) => sum + Math.max(0, s.clvPredicted), 0);
    if (value > 0)
      row.bookValueRetained =
        withChurn.reduce((sum, s) => sum + Math.max(0, s.clvPredicted) * (1 - s.churnProbability!), 0) /
        value;
  }
  return row;
}
