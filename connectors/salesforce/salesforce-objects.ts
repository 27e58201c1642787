/**
 * The standard objects and fields read (NOTES §4), in the order a full sync reads them: owners and products
 * first; campaigns, their members and the activities before the contacts they are counted into (acquisition
 * channel, engagement); line items and contact roles before the opportunities that need them. Every object is
 * read by SystemModstamp, the audit field that also moves on system changes (NOTES §5.3).
 */
export const SYNCED_OBJECTS = [
  'User',
  'Product2',
  'Campaign',
  'CampaignMember',
  'Task',
  'Event',
  'Account',
  'Contact',
  'OpportunityLineItem',
  'OpportunityContactRole',
  'Opportunity',
  'Case',
] as const;
export type SyncedObject = (typeof SYNCED_OBJECTS)[number];

/** What describe told about the org (one describe of Opportunity per sync). */
export type OrgFeatures = {
  /** Opportunity has CurrencyIsoCode: every currency field's object has it (a multi-currency org). */
  multiCurrency: boolean;
  /**
   * Opportunity has CampaignId: the org has Campaigns and the integration user can read them. Without it,
   * selecting CampaignId fails every opportunity read (INVALID_FIELD), and Campaign and CampaignMember are not
   * read at all.
   */
  campaigns: boolean;
};

/** Objects read only where the org has Campaigns (OrgFeatures.campaigns). */
export const CAMPAIGN_OBJECTS: ReadonlySet<SyncedObject> = new Set(['Campaign', 'CampaignMember']);

/** The parent address a contact without a mailing address falls back to (map-contact.ts). */
export const ACCOUNT_ADDRESS_FIELDS = [
  'Account.BillingCountry',
  'Account.BillingState',
  'Account.BillingCity',
];

export const OBJECT_FIELDS: Readonly<Record<SyncedObject, readonly string[]>> = {
  User: ['Id', 'Name', 'Email', 'IsActive', 'SystemModstamp'],
  Product2: ['Id', 'Name', 'Family', 'SystemModstamp'],
  Campaign: [
    'Id',
    'Name',
    'Type',
    'Status',
    'StartDate',
    'EndDate',
    'ActualCost',
    'BudgetedCost',
    'SystemModstamp',
  ],
  CampaignMember: [
    'Id',
    'CampaignId',
    'ContactId',
    'Status',
    'HasResponded',
    'FirstRespondedDate',
    'CreatedDate',
    'SystemModstamp',
  ],
  Task: [
    'Id',
    'WhoId',
    'TaskSubtype',
    'IsClosed',
    'ActivityDate',
    'CompletedDateTime',
    'CreatedDate',
    'SystemModstamp',
  ],
  Event: ['Id', 'WhoId', 'ActivityDateTime', 'ActivityDate', 'CreatedDate', 'SystemModstamp'],
  // Only to notice a changed billing address: the contacts read it through their Account relationship.
  Account: ['Id', 'SystemModstamp'],
  Contact: [
    'Id',
    'AccountId',
    'Email',
    'FirstName',
    'LastName',
    'MailingCountry',
    'MailingState',
    'MailingCity',
    ...ACCOUNT_ADDRESS_FIELDS,
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
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  Case: ['Id', 'ContactId', 'AccountId', 'Status', 'Priority', 'CreatedDate', 'ClosedDate', 'SystemModstamp'],
};

/**
 * Objects whose deletions an incremental read looks for (queryAll … IsDeleted = true, NOTES §5.3). User rows
 * are deactivated, never deleted, and User has no IsDeleted field; a deleted Account deletes its contacts,
 * whose deletions are read.
 */
export const DELETABLE_OBJECTS: ReadonlySet<SyncedObject> = new Set([
  'Product2',
  'Campaign',
  'CampaignMember',
  'Task',
  'Event',
  'Contact',
  'OpportunityLineItem',
  'OpportunityContactRole',
  'Opportunity',
  'Case',
]);

/**
 * Objects read through queryAll (`IsDeleted = false`): Salesforce archives Events and closed Tasks after a
 * year, and query() leaves archived activities out ("use queryAll() to query archived activities", Task and
 * Event object reference, IsArchived); they are still the customer's history.
 */
export const ARCHIVED_OBJECTS: ReadonlySet<SyncedObject> = new Set(['Task', 'Event']);

/**
 * The fields to select: Opportunity and Campaign gain CurrencyIsoCode in a multi-currency org, Opportunity
 * CampaignId where the org has Campaigns (describe tells).
 */
export function fieldsOf(object: SyncedObject, features: OrgFeatures): readonly string[] {
  const fields = [...OBJECT_FIELDS[object]];
  if ((object === 'Opportunity' || object === 'Campaign') && features.multiCurrency)
    fields.push('CurrencyIsoCode');
  if (object === 'Opportunity' && features.campaigns) fields.push('CampaignId');
  return fields;
}
