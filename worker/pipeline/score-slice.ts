/**
 * A score result cut into slices of customers that Scores can be made from anywhere: in this process
 * (build-scores) or in a score-shard job on another worker, after the slice has gone through Redis. A slice
 * holds numbers and short strings only (it survives structured cloning and v8.serialize); what every slice of
 * a run shares (the run, product and segment names, the peers the driver texts compare with) is the basis,
 * stored once per run.
 */
import type { DriverTextBasis } from '../analytics/churn';
import { describeDrivers } from '../analytics/churn';
import { recommendationsOf, type RecommendResult } from '../analytics/recommend';
import { CrmClvError } from '../../domain/errors';
import { CHURN_RISKS, type ChurnRisk, type Score, type ScoreRun } from '../../domain/score';
import type { CardFacts } from '../../playbooks';
import { clvQuintileOf } from './customer-facts';
import { nextBestActionsOf } from './process-playbooks';
import type { ScoreResult } from './score-transactions';

const MS_PER_DAY = 86_400_000;

export class NonFiniteScoreError extends CrmClvError<'NON_FINITE_SCORE'> {
  constructor(customerId: string, field: string, value: number) {
    super(
      'NON_FINITE_SCORE',
      `customer ${customerId}: ${field} came out ${value}; check the input amounts for implausible values`,
    );
  }
}

/** What every slice of a run shares. */
export type ScoreBasis = {
  run: ScoreRun;
  /** Historic CLV is revenue × margin. */
  margin: number;
  /** The last day of data (days since the epoch) and a model period's length in days: next order dates. */
  observationEndDay: number;
  daysPerPeriod: number;
  /** Names the recommendations quote (every product of the run; segments for "popular with …"). */
  products: { ids: string[]; names: string[]; segmentNames: string[] } | null;
  drivers: DriverTextBasis | null;
  /** Predicted CLV quintile cut points over the whole run (customer-facts): the same quintile in every slice. */
  clvCuts: number[];
};

type Recommendations = RecommendResult['recommendations'];

/** Customers [from, from + ids.length) of a run, in summary-row order. */
export type ScoreSlice = {
  from: number;
  ids: string[];
  revenue: Float64Array;
  clv: Float64Array;
  clvNet: Float64Array | null;
  expectedPurchases: Float64Array;
  expectedAverageValue: Float64Array;
  /** Periods until the next expected order; not finite when none is expected. */
  nextPurchase: Float64Array;
  pAlive: Float64Array | null;
  /** What the next best actions need beside the Score (customer-facts); day counts from the observation end. */
  facts: {
    daysSinceLastOrder: Float64Array;
    /** NaN for a one-day buyer. */
    usualGapDays: Float64Array;
    orders: Int32Array;
    openTickets: Int32Array | null;
    /** '' when the CRM has none. */
    firstName: string[] | null;
  };
  insights: {
    segmentId: string[] | null;
    segmentName: string[] | null;
    rfmScore: string[];
    rfmSegment: string[];
    interest: string[];
    churnProbability: Float64Array;
    churnRisk: (string | null)[];
    /** The driver table's rows (k per customer) and the raw values of the basis features (q per customer). */
    drivers: {
      k: number;
      q: number;
      feature: Int32Array;
      contribution: Float64Array;
      raw: Float64Array;
    } | null;
    recommendations: Recommendations | null;
  } | null;
};

export function scoreBasis(result: ScoreResult, run: ScoreRun): ScoreBasis {
  const { summary, insights, report } = result;
  const recommend = insights?.recommend ?? null;
  const churn = insights?.churn ?? null;
  return {
    run,
    margin: report.clv.margin,
    observationEndDay: summary.observationEndDay,
    daysPerPeriod: summary.period === 'week' ? 7 : 1,
    products: recommend
      ? {
          ids: [...recommend.products],
          names: [...recommend.productNames],
          segmentNames: [...recommend.segmentNames],
        }
      : null,
    drivers: churn ? churn.perCustomer.driverBasis : null,
    clvCuts: [...result.facts.clvCuts],
  };
}

/** Summary rows [from, to) of a result as a slice. */
export function scoreSlice(result: ScoreResult, from: number, to: number): ScoreSlice {
  const { summary, predictions: p, insights, facts } = result;
  const rows = to - from;
  const daysPerPeriod = summary.period === 'week' ? 7 : 1;
  const daysSinceLastOrder = new Float64Array(rows);
  // T − recency is the time from the last purchase day to the observation end, in periods.
  for (let r = 0; r < rows; r++)
    daysSinceLastOrder[r] = Math.round((summary.T[from + r] - summary.recency[from + r]) * daysPerPeriod);
  const pick = (a: Float64Array) => a.slice(from, to);
  const customerOf = summary.customerIndex.subarray(from, to);
  let sliceInsights: ScoreSlice['insights'] = null;
  if (insights) {
    const churn = insights.churn?.perCustomer;
    let drivers = null;
    if (churn) {
      const k = churn.driverCount;
      const q = churn.driverBasis.featureNames.length;
      const feature = new Int32Array(rows * k).fill(-1);
      const contribution = new Float64Array(rows * k);
      const raw = new Float64Array(rows * q).fill(NaN);
      for (let r = 0; r < rows; r++) {
        const c = customerOf[r];
        feature.set(churn.driverFeature.subarray(c * k, (c + 1) * k), r * k);
        contribution.set(churn.driverContribution.subarray(c * k, (c + 1) * k), r * k);
        const values = churn.featureRow(c);
        if (values) raw.set(values, r * q);
      }
      drivers = { k, q, feature, contribution, raw };
    }
    let recommendations: Recommendations | null = null;
    const recs = insights.recommend?.recommendations;
    if (recs) {
      const n = recs.count;
      recommendations = {
        count: n,
        product: new Int32Array(rows * n),
        score: new Float64Array(rows * n),
        reason: new Uint8Array(rows * n),
        because: new Int32Array(rows * n),
      };
      for (let r = 0; r < rows; r++) {
        const c = customerOf[r];
        recommendations.product.set(recs.product.subarray(c * n, (c + 1) * n), r * n);
        recommendations.score.set(recs.score.subarray(c * n, (c + 1) * n), r * n);
        recommendations.reason.set(recs.reason.subarray(c * n, (c + 1) * n), r * n);
        recommendations.because.set(recs.because.subarray(c * n, (c + 1) * n), r * n);
      }
    }
    sliceInsights = {
      segmentId: insights.segments ? insights.segments.segmentId.slice(from, to) : null,
      segmentName: insights.segments ? insights.segments.segmentName.slice(from, to) : null,
      rfmScore: insights.rfm.rfmScore.slice(from, to),
      rfmSegment: insights.rfm.segmentName.slice(from, to),
      interest: insights.interest.slice(from, to),
      churnProbability: insights.churnProbability.slice(from, to),
      churnRisk: insights.churnRisk.slice(from, to),
      drivers,
      recommendations,
    };
  }
  return {
    from,
    ids: Array.from(summary.ids.slice(from, to)),
    revenue: pick(summary.totalRevenue),
    clv: pick(p.clv),
    clvNet: p.clvNet ? pick(p.clvNet) : null,
    expectedPurchases: pick(p.expectedPurchases),
    expectedAverageValue: pick(p.expectedAverageValue),
    nextPurchase: pick(p.nextPurchase),
    pAlive: result.pAlive.values ? pick(result.pAlive.values) : null,
    facts: {
      daysSinceLastOrder,
      usualGapDays: pick(facts.usualGapDays),
      orders: facts.orders.slice(from, to),
      openTickets: facts.openTickets ? facts.openTickets.slice(from, to) : null,
      firstName: facts.firstName ? facts.firstName.slice(from, to) : null,
    },
    insights: sliceInsights,
  };
}

/** The next expected order as YYYY-MM-DD, or undefined when none is expected within the model's reach. */
export function nextOrderDay(
  basis: Pick<ScoreBasis, 'observationEndDay' | 'daysPerPeriod'>,
  inPeriods: number,
): string | undefined {
  if (!Number.isFinite(inPeriods)) return undefined;
  const endMs = (basis.observationEndDay + 1) * MS_PER_DAY;
  return new Date(endMs + Math.round(inPeriods * basis.daysPerPeriod) * MS_PER_DAY)
    .toISOString()
    .slice(0, 10);
}

/** The slice's Scores; a non-finite value stops with the customer and field named. */
export function scoresOfSlice(basis: ScoreBasis, slice: ScoreSlice): Score[] {
  const { run } = basis;
  const ins = slice.insights;
  const recommend =
    ins?.recommendations && basis.products
      ? {
          recommendations: ins.recommendations,
          products: basis.products.ids,
          productNames: basis.products.names,
          segmentNames: basis.products.segmentNames,
        }
      : null;
  const scores: Score[] = [];
  for (let r = 0; r < slice.ids.length; r++) {
    const customerId = slice.ids[r];
    const number = (field: string, value: number): number => {
      if (!Number.isFinite(value)) throw new NonFiniteScoreError(customerId, field, value);
      return value;
    };
    const score: Score = {
      customerId,
      clvHistoric: number('clvHistoric', slice.revenue[r] * basis.margin),
      clvPredicted: number('clvPredicted', slice.clv[r]),
      clvNet: number('clvNet', slice.clvNet ? slice.clvNet[r] : slice.clv[r]),
      expectedOrders: number('expectedOrders', slice.expectedPurchases[r]),
      expectedOrderValue: number('expectedOrderValue', slice.expectedAverageValue[r]),
      nextOrderDate: nextOrderDay(basis, slice.nextPurchase[r]),
      modelVersion: run.modelVersion,
      scoredAt: run.scoredAt,
    };
    if (slice.pAlive !== null) score.pAlive = number('pAlive', slice.pAlive[r]);
    if (ins) {
      score.segmentId = ins.segmentId?.[r];
      score.segmentName = ins.segmentName?.[r];
      score.rfmScore = ins.rfmScore[r];
      score.rfmSegment = ins.rfmSegment[r];
      score.interest = ins.interest[r] || undefined;
      const churnProbability = ins.churnProbability[r];
      if (Number.isFinite(churnProbability)) score.churnProbability = churnProbability;
      const risk = ins.churnRisk[r];
      if (risk && (CHURN_RISKS as readonly string[]).includes(risk)) score.churnRisk = risk as ChurnRisk;
      const d = ins.drivers;
      if (d && basis.drivers) {
        const drivers = describeDrivers(
          basis.drivers,
          d.raw.subarray(r * d.q, (r + 1) * d.q),
          d.feature.subarray(r * d.k, (r + 1) * d.k),
          d.contribution.subarray(r * d.k, (r + 1) * d.k),
        );
        if (drivers.length > 0) score.churnDrivers = drivers;
      }
      if (recommend) {
        const picks = recommendationsOf(recommend, r);
        if (picks.length > 0)
          score.recommendations = picks.map(({ productId, productName, score: s, reason }) => ({
            productId,
            productName: productName || productId,
            score: s,
            reason,
          }));
      }
    }
    const actions = nextBestActionsOf(score, cardFactsOf(basis, slice, r, score.clvPredicted));
    if (actions.length > 0) score.nextBestActions = actions;
    scores.push(score);
  }
  return scores;
}

/** Row r's CardFacts; absent values (no CRM, a one-day buyer's gap) stay absent. */
function cardFactsOf(basis: ScoreBasis, slice: ScoreSlice, r: number, clvPredicted: number): CardFacts {
  const f = slice.facts;
  const facts: CardFacts = {
    currency: basis.run.currency,
    clvMonths: basis.run.clvMonths,
    daysSinceLastOrder: f.daysSinceLastOrder[r],
    orders: f.orders[r],
  };
  const gap = f.usualGapDays[r];
  if (Number.isFinite(gap) && gap > 0) facts.usualGapDays = gap;
  if (f.openTickets) facts.openTickets = f.openTickets[r];
  const firstName = f.firstName?.[r];
  if (firstName) facts.firstName = firstName;
  const orders = f.orders[r];
  if (orders > 0 && slice.revenue[r] > 0) facts.averageOrderValue = slice.revenue[r] / orders;
  const quintile = clvQuintileOf(basis.clvCuts, clvPredicted);
  if (quintile !== undefined) facts.clvQuintile = quintile;
  return facts;
}
