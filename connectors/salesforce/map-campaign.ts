import { finishMapping, optionalValues, rejected, type MapOutcome } from '../hubspot/map-outcome';
import type { SalesforceRecord } from './query-pages';
import { dateAsDateTime, readBoolean, readDate, readDateTime, readNumber, text } from './record-values';

/**
 * Campaign → Campaign: Type is the channel, Status as given; the cost is ActualCost, else BudgetedCost (a
 * campaign under way has a budget before it has an actual cost). Unreadable dates or costs are dropped with
 * a warning: the campaign is still one its members joined.
 */
export function mapCampaign(campaign: SalesforceRecord): MapOutcome<'campaign'> {
  const id = text(campaign, 'Id');
  if (id === undefined) return rejected('campaign', '(no id)', 'Id: is required but was not provided');
  const warnings: string[] = [];
  const optional = optionalValues(warnings);
  const actual = optional(readNumber(campaign, 'ActualCost'));
  const budgeted = optional(readNumber(campaign, 'BudgetedCost'));
  return finishMapping(
    'campaign',
    {
      id,
      name: text(campaign, 'Name'),
      startDate: optional(readDate(campaign, 'StartDate')),
      endDate: optional(readDate(campaign, 'EndDate')),
      cost: actual ?? budgeted,
      currency: text(campaign, 'CurrencyIsoCode')?.toUpperCase(),
      channel: text(campaign, 'Type'),
      status: text(campaign, 'Status'),
    },
    warnings,
  );
}

/**
 * CampaignMember → CampaignMember of its contact. A member without a ContactId (a lead, not yet converted)
 * belongs to no customer and is rejected with that reason. respondedAt is FirstRespondedDate (midnight UTC)
 * of a member that HasResponded; joinedAt is when the member was added (CreatedDate).
 */
export function mapCampaignMember(member: SalesforceRecord): MapOutcome<'campaignMember'> {
  const id = text(member, 'Id');
  if (id === undefined) return rejected('campaignMember', '(no id)', 'Id: is required but was not provided');
  const customerId = text(member, 'ContactId');
  if (customerId === undefined)
    return rejected(
      'campaignMember',
      id,
      'ContactId: the member is not a contact (a lead, or nobody), so it belongs to no customer',
    );
  const joined = readDateTime(member, 'CreatedDate');
  if (!joined.ok) return rejected('campaignMember', id, joined.problem);
  const responded = readBoolean(member, 'HasResponded');
  if (!responded.ok) return rejected('campaignMember', id, responded.problem);
  const first = readDate(member, 'FirstRespondedDate');
  if (!first.ok) return rejected('campaignMember', id, first.problem);
  return finishMapping(
    'campaignMember',
    {
      id,
      campaignId: text(member, 'CampaignId'),
      customerId,
      status: text(member, 'Status'),
      respondedAt: responded.value === true ? dateAsDateTime(first.value) : undefined,
      joinedAt: joined.value,
    },
    [],
  );
}
