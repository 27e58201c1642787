/**
 * Sales performance of a tenant from what its store holds: every deal, order, customer, rep and product, and
 * the latest run's Scores (worker/analytics/performance does the arithmetic). Written as reps.csv,
 * channels.csv, segment-products.csv and performance.json by writeSalesPerformance.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrmClvError } from '../../domain/errors';
import {
  channelPerformance,
  firstPurchases,
  repPerformance,
  segmentProductShares,
  type AcquisitionSpend,
  type ChannelFigures,
  type RepFigures,
  type SegmentProductFigures,
  type Skipped,
} from '../analytics/performance';
import type { RecordStore } from '../state';
import { writeCsv, type Cell } from './write-csv';

export type SalesPerformance = {
  tenant: string;
  runId: string;
  scoredAt: string;
  currency: string;
  clvMonths: number;
  reps: RepFigures[];
  channels: ChannelFigures[];
  segmentProducts: SegmentProductFigures[];
  skipped: Skipped[];
};

export type SalesPerformanceOptions = {
  spend?: readonly AcquisitionSpend[];
  /** Units of the run's currency per unit of each other currency. */
  rates?: Readonly<Record<string, number>>;
  bootstrap?: { samples: number; seed: number };
};

type Store = Pick<RecordStore, 'readRecords' | 'readScoreRun'>;

export async function buildSalesPerformance(
  store: Store,
  tenant: string,
  options: SalesPerformanceOptions = {},
): Promise<SalesPerformance> {
  const scored = await store.readScoreRun(tenant);
  if (scored === undefined)
    throw new CrmClvError(
      'TENANT_EMPTY',
      `tenant ${tenant} has no score run yet: run \`crm-clv score --tenant ${tenant}\` first`,
    );
  const [reps, deals, orders, customers, products] = await Promise.all([
    store.readRecords(tenant, 'rep'),
    store.readRecords(tenant, 'deal'),
    store.readRecords(tenant, 'order'),
    store.readRecords(tenant, 'customer'),
    store.readRecords(tenant, 'product'),
  ]);
  const money = { base: scored.run.currency, rates: options.rates ?? {} };
  const byRep = repPerformance({ reps, deals, orders, customers, scores: scored.scores, money });
  const products_ = segmentProductShares({
    orders,
    scores: scored.scores,
    productNames: new Map(products.map((p) => [p.id, p.name])),
    money,
  });
  const channels = channelPerformance({
    channelOf: new Map(customers.map((c) => [c.id, c.acquisitionChannel])),
    firstPurchases: firstPurchases(deals, orders),
    scores: scored.scores,
    spend: options.spend ?? [],
    clvMonths: scored.run.clvMonths,
    bootstrap: options.bootstrap,
  });
  return {
    tenant,
    runId: scored.run.runId,
    scoredAt: scored.run.scoredAt,
    currency: scored.run.currency,
    clvMonths: scored.run.clvMonths,
    reps: byRep.rows,
    channels,
    segmentProducts: products_.rows,
    skipped: [...byRep.skipped, ...products_.skipped],
  };
}

const round = (v: number | undefined, digits = 2): Cell => (v === undefined ? '' : Number(v.toFixed(digits)));

export const REP_COLUMNS = [
  'segment',
  'rank',
  'rep_id',
  'rep_name',
  'deals',
  'won',
  'lost',
  'open',
  'won_revenue',
  'win_rate',
  'win_rate_low',
  'win_rate_high',
  'shrunk_win_rate',
  'average_deal_size',
  'median_cycle_days',
  'open_pipeline',
  'new_customers',
  'new_customer_clv',
  'book_customers',
  'book_churn_rate',
  'book_value_retained',
] as const;

export const CHANNEL_COLUMNS = [
  'channel',
  'customers_acquired',
  'total_clv',
  'mean_clv',
  'mean_clv_low',
  'mean_clv_high',
  'spend',
  'customers_in_spend_months',
  'cac',
  'clv_to_cac',
  'clv_to_cac_low',
  'clv_to_cac_high',
  'payback_months',
  'payback_months_low',
  'payback_months_high',
] as const;

export const SEGMENT_PRODUCT_COLUMNS = [
  'segment',
  'product_id',
  'product_name',
  'revenue',
  'buyers',
  'segment_buyers',
  'attach_rate',
  'lift',
  'revenue_share',
] as const;

/** Writes the three CSV exports and performance.json into `dir` (created when missing); returns their paths. */
export async function writeSalesPerformance(dir: string, report: SalesPerformance): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = ['reps.csv', 'channels.csv', 'segment-products.csv', 'performance.json'].map((f) =>
    join(dir, f),
  );
  const reps = report.reps;
  await writeCsv(paths[0], REP_COLUMNS, reps.length, (i) => {
    const r = reps[i];
    return [
      r.segment,
      r.rank,
      r.repId,
      r.repName,
      r.deals,
      r.won,
      r.lost,
      r.open,
      round(r.wonRevenue),
      round(r.winRate, 4),
      round(r.winRateLow, 4),
      round(r.winRateHigh, 4),
      round(r.shrunkWinRate, 4),
      round(r.averageDealSize),
      round(r.medianCycleDays, 1),
      round(r.openPipeline),
      r.newCustomers,
      round(r.newCustomerClv),
      r.bookCustomers,
      round(r.bookChurnRate, 4),
      round(r.bookValueRetained, 4),
    ];
  });
  const channels = report.channels;
  await writeCsv(paths[1], CHANNEL_COLUMNS, channels.length, (i) => {
    const c = channels[i];
    return [
      c.channel,
      c.customersAcquired,
      round(c.totalClv),
      round(c.meanClv),
      round(c.meanClvInterval.low),
      round(c.meanClvInterval.high),
      round(c.spend),
      c.customersInSpendMonths ?? '',
      round(c.cac),
      round(c.clvToCac, 3),
      round(c.clvToCacInterval?.low, 3),
      round(c.clvToCacInterval?.high, 3),
      round(c.paybackMonths, 2),
      round(finite(c.paybackMonthsInterval?.low), 2),
      round(finite(c.paybackMonthsInterval?.high), 2),
    ];
  });
  const products = report.segmentProducts;
  await writeCsv(paths[2], SEGMENT_PRODUCT_COLUMNS, products.length, (i) => {
    const p = products[i];
    return [
      p.segment,
      p.productId,
      p.productName,
      round(p.revenue),
      p.buyers,
      p.segmentBuyers,
      round(p.attachRate, 4),
      round(p.lift, 3),
      round(p.revenueShare, 4),
    ];
  });
  await writeFile(
    paths[3],
    JSON.stringify(report, (_k, v: unknown) => (v === Infinity ? null : v), 2) + '\n',
  );
  return paths;
}

function finite(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}
