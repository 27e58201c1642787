import type { Engagement } from '../../domain/records';
import { finishMapping, rejected, type MapOutcome } from '../hubspot/map-outcome';
import type { SalesforceRecord } from './query-pages';
import { parentRecord, readDate, readDateTime, text } from './record-values';

export type ContactContext = {
  tenant: string;
  /** Counted from the contact's activities (domain/engagement.ts); absent: none, or counted by the store. */
  engagement?: Engagement;
  /** The channel (Type, else name) of the first campaign the contact joined, for a contact without LeadSource. */
  firstCampaignChannel?: string;
};

/** Country, region and city of an address given as [country, state, city] field names. */
function address(record: SalesforceRecord | undefined, [country, state, city]: readonly string[]) {
  if (record === undefined) return undefined;
  const where = { country: text(record, country), region: text(record, state), city: text(record, city) };
  return Object.values(where).some((v) => v !== undefined) ? where : undefined;
}

/**
 * Salesforce Contact → Customer. Id and CreatedDate are required (a bad one rejects the contact); an
 * unreadable Birthdate is dropped with a warning, so one odd optional field never costs the customer's CLV.
 * The location is the mailing address; a contact with none takes its Account's billing address (the
 * household's or company's address: read through the `Account.Billing…` relationship fields), whole, so a city
 * and a country never come from two different addresses. The acquisition channel is LeadSource, else the
 * channel of the first campaign the contact joined (a contact created from a campaign response often has no
 * lead source).
 * Example: mapContact({ Id: '003…', CreatedDate: '2024-01-05T10:00:00.000+0000', … }, { tenant: 'salesforce-00D…' })
 */
export function mapContact(contact: SalesforceRecord, context: ContactContext): MapOutcome<'customer'> {
  const id = text(contact, 'Id');
  if (id === undefined) return rejected('customer', '(no id)', 'Id: is required but was not provided');
  const created = readDateTime(contact, 'CreatedDate');
  if (!created.ok) return rejected('customer', id, created.problem);
  if (created.value === undefined)
    return rejected('customer', id, 'CreatedDate: is required but was not provided');
  const warnings: string[] = [];
  const modified = readDateTime(contact, 'LastModifiedDate');
  const stamp = readDateTime(contact, 'SystemModstamp');
  const birth = readDate(contact, 'Birthdate');
  if (!birth.ok) warnings.push(`${birth.problem}; value dropped`);
  const location =
    address(contact, ['MailingCountry', 'MailingState', 'MailingCity']) ??
    address(parentRecord(contact, 'Account'), ['BillingCountry', 'BillingState', 'BillingCity']);
  return finishMapping(
    'customer',
    {
      id,
      tenant: context.tenant,
      source: 'salesforce',
      externalId: id,
      createdAt: created.value,
      updatedAt:
        (modified.ok ? modified.value : undefined) ?? (stamp.ok ? stamp.value : undefined) ?? created.value,
      email: text(contact, 'Email'),
      firstName: text(contact, 'FirstName'),
      lastName: text(contact, 'LastName'),
      country: location?.country,
      region: location?.region,
      city: location?.city,
      birthDate: birth.ok ? birth.value : undefined,
      ownerId: text(contact, 'OwnerId'),
      acquisitionChannel: text(contact, 'LeadSource') ?? context.firstCampaignChannel,
      engagement: context.engagement,
    },
    warnings,
  );
}
