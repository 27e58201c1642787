import { finishMapping, rejected, type MapOutcome } from '../hubspot/map-outcome';
import type { SalesforceRecord } from './query-pages';
import { readDate, readDateTime, text } from './record-values';

export type ContactContext = { tenant: string };

/**
 * Salesforce Contact → Customer. Id and CreatedDate are required (a bad one rejects the contact); an
 * unreadable Birthdate is dropped with a warning, so one odd optional field never costs the customer's CLV.
 * LeadSource is the acquisition channel; the mailing address gives country, region and city.
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
      country: text(contact, 'MailingCountry'),
      region: text(contact, 'MailingState'),
      city: text(contact, 'MailingCity'),
      birthDate: birth.ok ? birth.value : undefined,
      ownerId: text(contact, 'OwnerId'),
      acquisitionChannel: text(contact, 'LeadSource'),
    },
    warnings,
  );
}
