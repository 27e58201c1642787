import type { OrderLine } from '../../domain/records';
import { finishMapping, rejected, type MapOutcome } from '../hubspot/map-outcome';
import type { SalesforceRecord } from './query-pages';
import { readBoolean, readDate, readNumber, text } from './record-values';

export type OpportunityOutcome = 'won' | 'refunded' | 'lost' | 'open';

/**
 * Retail orgs record a returned sale as a closed, not-won stage named for it ('Refunded', 'Returned',
 * 'Chargeback'): a sale that was reversed, not a lost deal (the same rule as HubSpot's deal stages,
 * connectors/hubspot/deal-stages.ts).
 */
const REFUND_STAGE = /refund|return|chargeback/i;

export type OpportunityContext = {
  /** The contact the opportunity is attributed to (ContactRoleIndex); undefined when it has no role. */
  contactId: string | undefined;
  lines?: readonly OrderLine[];
  /** The org's currency, for single-currency orgs (no CurrencyIsoCode field). */
  defaultCurrency?: string;
};

/**
 * IsWon / IsClosed (derived by Salesforce from the stage, NOTES §4); a closed, not-won refund stage is
 * 'refunded'. Undefined when unreadable.
 */
export function opportunityOutcome(opportunity: SalesforceRecord): OpportunityOutcome | undefined {
  const won = readBoolean(opportunity, 'IsWon');
  const closed = readBoolean(opportunity, 'IsClosed');
  if (!won.ok || !closed.ok || won.value === undefined) return undefined;
  if (won.value) return 'won';
  if (!closed.value) return 'open';
  return REFUND_STAGE.test(text(opportunity, 'StageName') ?? '') ? 'refunded' : 'lost';
}

/**
 * Opportunity → Order, for won opportunities (DESIGN: "A deal/opportunity that is won is an order") and
 * refunded ones (an order with status 'refunded': the engine nets it and counts it as a refund), as the HubSpot
 * deal mapper does: open and lost ones are skipped with the reason and counted, never orders. A won or refunded
 * opportunity that cannot be an order (no Amount, no CloseDate, no contact role, no currency) is rejected with
 * the reason. placedAt is CloseDate at midnight UTC (a date field).
 */
export function mapOpportunity(
  opportunity: SalesforceRecord,
  context: OpportunityContext,
): MapOutcome<'order'> {
  const id = text(opportunity, 'Id');
  if (id === undefined) return rejected('order', '(no id)', 'Id: is required but was not provided');
  const outcome = opportunityOutcome(opportunity);
  if (outcome === undefined)
    return rejected('order', id, `IsWon: expected true or false, got ${JSON.stringify(opportunity.IsWon)}`);
  if (outcome !== 'won' && outcome !== 'refunded')
    return { kind: 'skipped', type: 'order', id, reason: `opportunity is ${outcome}` };

  const amount = readNumber(opportunity, 'Amount');
  if (!amount.ok) return rejected('order', id, amount.problem);
  if (amount.value === undefined) return rejected('order', id, 'Amount: is required but was not provided');
  const closeDate = readDate(opportunity, 'CloseDate');
  if (!closeDate.ok) return rejected('order', id, closeDate.problem);
  if (closeDate.value === undefined)
    return rejected('order', id, 'CloseDate: is required but was not provided');
  if (context.contactId === undefined)
    return rejected(
      'order',
      id,
      'customerId: the won opportunity has no contact role, so it belongs to no customer; add an OpportunityContactRole (primary) in Salesforce',
    );
  const currency = (text(opportunity, 'CurrencyIsoCode') ?? context.defaultCurrency)?.toUpperCase();
  if (currency === undefined)
    return rejected(
      'order',
      id,
      'CurrencyIsoCode: the org is single-currency and no default currency was configured (defaultCurrency)',
    );

  return finishMapping(
    'order',
    {
      id,
      customerId: context.contactId,
      placedAt: `${closeDate.value}T00:00:00.000Z`,
      amount: amount.value,
      currency,
      status: outcome,
      channel: text(opportunity, 'LeadSource'),
      ownerId: text(opportunity, 'OwnerId'),
      lines: context.lines !== undefined && context.lines.length > 0 ? [...context.lines] : undefined,
    },
    [],
  );
}
