export {
  campaignKpis,
  DEFAULT_CONVERSION_DAYS,
  type CampaignKpiInput,
  type CampaignKpis,
  type CampaignScore,
  type MatchedComparison,
} from './campaign-kpis';
export { wilsonInterval, type Interval } from './wilson-interval';
