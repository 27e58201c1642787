import { finishMapping, rejected, type MapOutcome } from '../hubspot/map-outcome';
import { opportunityOutcome } from './map-opportunity';
import type { SalesforceRecord } from './query-pages';
import { dateAsDateTime, readDate, readDateTime, readNumber, text } from './record-values';

export type DealContext = {
  /** The contact the opportunity is attributed to (ContactRoleIndex); undefined when it has no role. */
  contactId: string | undefined;
  /** The org's currency, for single-currency orgs (no CurrencyIsoCode field). */
  defaultCurrency?: string;
};

/**
 * Opportunity → Deal, for every opportunity (DESIGN: every deal, for sales performance): status from IsWon /
 * IsClosed (derived by Salesforce from the stage, NOTES §4), so a closed, not-won one is 'lost' whatever its
 * stage (a 'Refunded' stage stays readable in `stage`). CreatedDate, OwnerId and StageName are required
 * (Salesforce always sets them), and so is a currency (CurrencyIsoCode, else the configured one). Amount is
 * optional in Salesforce (an early opportunity has none): a missing one counts as 0 with a warning, an
 * unreadable one rejects the deal. closedAt is the CloseDate of a closed deal at midnight UTC; an open deal's
 * CloseDate is only expected, so it has none. The customer is the contact role's contact, when there is one.
 */
export function mapDeal(opportunity: SalesforceRecord, context: DealContext): MapOutcome<'deal'> {
  const id = text(opportunity, 'Id');
  if (id === undefined) return rejected('deal', '(no id)', 'Id: is required but was not provided');
  const outcome = opportunityOutcome(opportunity);
  if (outcome === undefined)
    return rejected('deal', id, `IsWon: expected true or false, got ${JSON.stringify(opportunity.IsWon)}`);
  const warnings: string[] = [];
  const amount = readNumber(opportunity, 'Amount');
  if (!amount.ok) return rejected('deal', id, amount.problem);
  if (amount.value === undefined) warnings.push('Amount: not set; the deal counts as 0');
  for (const required of ['OwnerId', 'StageName', 'CreatedDate'])
    if (text(opportunity, required) === undefined)
      return rejected('deal', id, `${required}: is required but was not provided`);
  const created = readDateTime(opportunity, 'CreatedDate');
  if (!created.ok) return rejected('deal', id, created.problem);
  let closedAt: string | undefined;
  if (outcome !== 'open') {
    const closeDate = readDate(opportunity, 'CloseDate');
    if (!closeDate.ok) return rejected('deal', id, closeDate.problem);
    if (closeDate.value === undefined)
      return rejected('deal', id, 'CloseDate: is required for a closed opportunity but was not provided');
    closedAt = dateAsDateTime(closeDate.value);
  }
  const currency = (text(opportunity, 'CurrencyIsoCode') ?? context.defaultCurrency)?.toUpperCase();
  if (currency === undefined)
    return rejected(
      'deal',
      id,
      'CurrencyIsoCode: the org is single-currency and no default currency was configured (defaultCurrency)',
    );
  return finishMapping(
    'deal',
    {
      id,
      customerId: context.contactId,
      ownerId: text(opportunity, 'OwnerId'),
      amount: amount.value ?? 0,
      currency,
      createdAt: created.value,
      closedAt,
      stage: text(opportunity, 'StageName'),
      status: outcome === 'won' || outcome === 'open' ? outcome : 'lost',
      source: text(opportunity, 'LeadSource'),
      campaignId: text(opportunity, 'CampaignId'),
    },
    warnings,
  );
}
