/**
 * The campaign report (issue P8): the tenant's stored campaigns, members and orders and its last score run,
 * through campaignKpis; as text for the terminal, rows for campaigns.csv, and JSON for the dashboard.
 * Revenue is in the run's currency: won orders in another currency are left out and counted (the score run's
 * own --rates conversion is not kept in the store), so a mixed-currency book says how much it left out.
 */
import { campaignKpis, type CampaignKpis } from '../analytics/campaigns';
import type { Cell } from './write-csv';
import type { RecordStore } from '../state';
import { NoScoreRunError } from '../jobs/write-back-scores';

export type CampaignReport = {
  tenant: string;
  runId: string;
  currency: string;
  withinDays: number;
  campaigns: CampaignKpis[];
  /** Won orders in another currency than the run's, left out of revenue. */
  otherCurrencyOrders: number;
  note: string;
};

export const OBSERVATIONAL_NOTE =
  'Observational: members were chosen, not drawn at random. The comparison is with non-members of the same ' +
  'RFM segment and churn band over the same window (strata from the current scores); it is a baseline, ' +
  'not a measured effect. Our retention programs have a randomised holdout for that.';

export async function buildCampaignReport(
  store: Pick<RecordStore, 'readRecords' | 'readScoreRun'>,
  tenant: string,
  withinDays: number,
): Promise<CampaignReport> {
  const scored = await store.readScoreRun(tenant);
  if (scored === undefined) throw new NoScoreRunError(tenant);
  const currency = scored.run.currency;
  const [campaigns, members, allOrders] = await Promise.all([
    store.readRecords(tenant, 'campaign'),
    store.readRecords(tenant, 'campaignMember'),
    store.readRecords(tenant, 'order'),
  ]);
  const orders = allOrders.filter((o) => o.currency === currency);
  const otherCurrencyOrders = allOrders.filter((o) => o.currency !== currency && o.status === 'won').length;
  return {
    tenant,
    runId: scored.run.runId,
    currency,
    withinDays,
    campaigns: campaignKpis({ campaigns, members, orders, scores: scored.scores, withinDays }),
    otherCurrencyOrders,
    note: OBSERVATIONAL_NOTE,
  };
}

export const CAMPAIGN_CSV_HEADER = [
  'campaign_id',
  'name',
  'channel',
  'members',
  'responded',
  'response_rate',
  'converted',
  'conversion_rate',
  'conversion_low_95',
  'conversion_high_95',
  'revenue',
  'converted_clv',
  'cost',
  'roi',
  'matched_members',
  'baseline_conversion_rate',
  'conversion_lift',
  'incremental_revenue',
  'incremental_roi',
  'comparison',
] as const;

const round = (v: number | undefined, digits: number): Cell =>
  v === undefined ? '' : Number(v.toFixed(digits));

export function campaignCsvRow(k: CampaignKpis): Cell[] {
  const c = k.comparison;
  return [
    k.campaignId,
    k.name,
    k.channel ?? '',
    k.members,
    k.responded,
    round(k.responseRate, 4),
    k.converted,
    round(k.conversionRate, 4),
    round(k.conversionInterval?.low, 4),
    round(k.conversionInterval?.high, 4),
    round(k.revenue, 2),
    round(k.convertedClv, 2),
    round(k.cost, 2),
    round(k.roi, 4),
    c?.matchedMembers ?? '',
    round(c?.baselineConversionRate, 4),
    round(c?.conversionLift, 4),
    round(c?.incrementalRevenue, 2),
    round(c?.incrementalRoi, 4),
    c?.label ?? '',
  ];
}
