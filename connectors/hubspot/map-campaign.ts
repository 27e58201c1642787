/**
 * HubSpot marketing campaigns (Marketing Campaigns API v3, sandbox/campaign-routes.ts has the contract) into
 * canonical Campaign and CampaignMember records.
 */
import { finishMapping, optionalValues, rejected, type MapOutcome } from './map-outcome';
import { readDate, readNumber, text, toIsoDateTime } from './property-values';

/** A PublicCampaign as the list answers it: property values are strings. */
export type HubSpotCampaign = {
  id?: string;
  properties?: Record<string, string | null | undefined>;
  createdAt?: string;
  updatedAt?: string;
};

/** The properties the mapper reads (the list's `properties` parameter). */
export const CAMPAIGN_PROPERTIES = [
  'hs_name',
  'hs_start_date',
  'hs_end_date',
  'hs_campaign_status',
  'hs_currency_code',
  'hs_budget_items_sum_amount',
  'hs_spend_items_sum_amount',
] as const;

/**
 * Campaign → Campaign: hs_name, the start and end dates, hs_campaign_status; the cost is what was spent
 * (hs_spend_items_sum_amount), else the budget (hs_budget_items_sum_amount: a campaign under way has a budget
 * before its spend is entered), as the Salesforce mapper takes ActualCost, else BudgetedCost. HubSpot campaigns
 * have no type, so no channel. An unreadable date or amount is dropped with a warning.
 */
export function mapCampaign(campaign: HubSpotCampaign): MapOutcome<'campaign'> {
  const id = campaign.id?.trim();
  if (id === undefined || id === '')
    return rejected('campaign', '(no id)', 'id: is required but was not provided');
  const props = campaign.properties ?? {};
  const warnings: string[] = [];
  const optional = optionalValues(warnings);
  const spend = optional(readNumber(props, 'hs_spend_items_sum_amount'));
  const budget = optional(readNumber(props, 'hs_budget_items_sum_amount'));
  return finishMapping(
    'campaign',
    {
      id,
      name: text(props, 'hs_name'),
      startDate: optional(readDate(props, 'hs_start_date')),
      endDate: optional(readDate(props, 'hs_end_date')),
      cost: spend ?? budget,
      currency: text(props, 'hs_currency_code')?.toUpperCase(),
      status: text(props, 'hs_campaign_status'),
    },
    warnings,
  );
}

/**
 * When a campaign's contacts count as having joined it: the attribution reports list contact ids only, with
 * no time per contact, so every member joins on the campaign's start date (midnight UTC), else when the
 * campaign was created. Undefined when neither is readable (its members cannot be dated, so none is stored).
 */
export function campaignJoinTime(campaign: HubSpotCampaign): string | undefined {
  const start = readDate(campaign.properties ?? {}, 'hs_start_date');
  if (start.ok && start.value !== undefined) return `${start.value}T00:00:00.000Z`;
  return toIsoDateTime(campaign.createdAt);
}

/**
 * One contact the influencedContacts report lists → CampaignMember `${campaignId}:${contactId}` (one
 * membership per campaign and contact). An influenced contact is one that interacted with the campaign's
 * assets, so it responded: respondedAt is its join time, and the status says how it was attributed.
 */
export function mapCampaignMember(
  campaignId: string,
  contactId: string | undefined,
  joinedAt: string,
): MapOutcome<'campaignMember'> {
  const customerId = contactId?.trim();
  if (customerId === undefined || customerId === '')
    return rejected(
      'campaignMember',
      `${campaignId}:(no id)`,
      'id: the report listed a contact without an id',
    );
  return finishMapping(
    'campaignMember',
    {
      id: `${campaignId}:${customerId}`,
      campaignId,
      customerId,
      status: 'influenced',
      respondedAt: joinedAt,
      joinedAt,
    },
    [],
  );
}
