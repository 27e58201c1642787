/**
 * The standard objects and fields read (NOTES §4), in the order a sync reads them: owners and products before
 * the contacts that point at them, line items and contact roles before the opportunities that need them.
 * Every object is read by SystemModstamp, the audit field that also moves on system changes (NOTES §5.3).
 */
export const SYNCED_OBJECTS = [
  'User',
  'Product2',
  'Contact',
  'OpportunityLineItem',
  'OpportunityContactRole',
  'Opportunity',
  'Case',
] as const;
export type SyncedObject = (typeof SYNCED_OBJECTS)[number];

export const OBJECT_FIELDS: Readonly<Record<SyncedObject, readonly string[]>> = {
  User: ['Id', 'Name', 'Email', 'IsActive', 'SystemModstamp'],
  Product2: ['Id', 'Name', 'Family', 'SystemModstamp'],
  Contact: [
    'Id',
    'AccountId',
    'Email',
    'FirstName',
    'LastName',
    'MailingCountry',
    'MailingState',
    'MailingCity',
    'Birthdate',
    'LeadSource',
    'OwnerId',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  OpportunityLineItem: [
    'Id',
    'OpportunityId',
    'Product2Id',
    'Quantity',
    'UnitPrice',
    'TotalPrice',
    'SystemModstamp',
  ],
  OpportunityContactRole: ['Id', 'OpportunityId', 'ContactId', 'IsPrimary', 'CreatedDate', 'SystemModstamp'],
  Opportunity: [
    'Id',
    'AccountId',
    'Amount',
    'CloseDate',
    'IsWon',
    'IsClosed',
    'StageName',
    'LeadSource',
    'Type',
    'OwnerId',
    // Not CampaignId: unused here, and an org without Campaigns (or without access to them) has no such
    // column, so selecting it would fail every opportunity read (INVALID_FIELD).
    'LastModifiedDate',
    'SystemModstamp',
  ],
  Case: ['Id', 'ContactId', 'AccountId', 'Status', 'Priority', 'CreatedDate', 'ClosedDate', 'SystemModstamp'],
};

/**
 * Objects whose deletions an incremental read looks for (queryAll … IsDeleted = true, NOTES §5.3). User rows
 * are deactivated, never deleted, and User has no IsDeleted field.
 */
export const DELETABLE_OBJECTS: ReadonlySet<SyncedObject> = new Set([
  'Product2',
  'Contact',
  'OpportunityLineItem',
  'OpportunityContactRole',
  'Opportunity',
  'Case',
]);

/** The fields to select: Opportunity gains CurrencyIsoCode in a multi-currency org (describe tells). */
export function fieldsOf(object: SyncedObject, multiCurrency: boolean): readonly string[] {
  return object === 'Opportunity' && multiCurrency
    ? [...OBJECT_FIELDS.Opportunity, 'CurrencyIsoCode']
    : OBJECT_FIELDS[object];
}
