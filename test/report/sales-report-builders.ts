/** Hand-made sales-performance and campaign reports for the renderers' tests: every figure set by the test. */
import type { CampaignKpis } from '../../worker/analytics/campaigns';
import type { ChannelFigures, RepFigures } from '../../worker/analytics/performance';
import type { CampaignReport } from '../../worker/pipeline/campaign-report';
import type { SalesPerformance } from '../../worker/pipeline/sales-performance';

export function buildRep(overrides: Partial<RepFigures> = {}): RepFigures {
  return {
    repId: 'r1',
    repName: 'Ada Lovelace',
    segment: 'all',
    deals: 12,
    won: 6,
    lost: 4,
    open: 2,
    wonRevenue: 12_345.5,
    winRate: 0.6,
    winRateLow: 0.3127,
    winRateHigh: 0.8318,
    shrunkWinRate: 0.55,
    averageDealSize: 2057.58,
    medianCycleDays: 21,
    openPipeline: 4000,
    newCustomers: 5,
    newCustomerClv: 2500,
    bookCustomers: 40,
    bookChurnRate: 0.25,
    bookValueRetained: 0.8,
    rank: 1,
    ...overrides,
  };
}

export function buildChannel(overrides: Partial<ChannelFigures> = {}): ChannelFigures {
  return {
    channel: 'ORGANIC_SEARCH',
    customersAcquired: 120,
    totalClv: 60_000,
    meanClv: 500,
    meanClvInterval: { low: 450, high: 550 },
    ...overrides,
  };
}

export function buildSalesPerformance(overrides: Partial<SalesPerformance> = {}): SalesPerformance {
  return {
    tenant: 'hubspot-1000',
    runId: 'run-1',
    scoredAt: '2026-03-01T00:00:00.000Z',
    currency: 'USD',
    clvMonths: 12,
    reps: [buildRep()],
    channels: [buildChannel()],
    segmentProducts: [],
    skipped: [],
    ...overrides,
  };
}

export function buildCampaign(overrides: Partial<CampaignKpis> = {}): CampaignKpis {
  return {
    campaignId: 'c1',
    name: 'Spring sale',
    channel: 'Email',
    members: 200,
    responded: 50,
    responseRate: 0.25,
    converted: 20,
    conversionRate: 0.1,
    conversionInterval: { low: 0.0658, high: 0.1492 },
    revenue: 4000,
    convertedClv: 9000,
    cost: 1000,
    roi: 3,
    ...overrides,
  };
}

export function buildCampaignReport(overrides: Partial<CampaignReport> = {}): CampaignReport {
  return {
    tenant: 'salesforce-00D000000000001AAA',
    runId: 'run-1',
    currency: 'USD',
    withinDays: 30,
    campaigns: [buildCampaign()],
    otherCurrencyOrders: 0,
    note: 'Observational.',
    ...overrides,
  };
}
