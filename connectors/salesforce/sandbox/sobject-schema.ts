/**
 * The sObject types the sandbox org has and their fields: the standard fields we read (NOTES §4, checked
 * against sobjects-subset-v59.oas.json) with Salesforce's describe field types, key prefixes and parent
 * relationship names. Custom fields are added at run time (`defineCustomField` in org-store.ts).
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'picklist'
  | 'reference'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime';

export type FieldDef = {
  name: string;
  label: string;
  type: FieldType;
  /** For references: the parent type and the relationship name used in SOQL (`Account.Name`). */
  referenceTo?: string;
  relationshipName?: string;
  picklistValues?: string[];
  /** A restricted picklist refuses values outside `picklistValues` (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). */
  restrictedPicklist?: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  custom: boolean;
  /** Text length, or precision/scale for numbers. */
  length?: number;
  precision?: number;
  scale?: number;
};

export type SObjectDef = {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  /** Fields by canonical name, in describe order. */
  fields: Map<string, FieldDef>;
  /** Fields a create must carry (REQUIRED_FIELD_MISSING). */
  required: string[];
};

type Spec = [name: string, type: FieldType, extra?: Partial<FieldDef>];

const readOnly: Partial<FieldDef> = { createable: false, updateable: false };
const ref = (to: string, relationshipName: string): Partial<FieldDef> => ({
  referenceTo: to,
  relationshipName,
});
const owner = (): Spec => ['OwnerId', 'reference', ref('User', 'Owner')];
const picklist = (...values: string[]): Partial<FieldDef> => ({ picklistValues: values });

/** The standard LeadSource values (Web, Phone Inquiry, Partner Referral, Purchased List, Other) as a retail org extends them. */
export const LEAD_SOURCES = [
  'Web',
  'Phone Inquiry',
  'Partner Referral',
  'Purchased List',
  'Other',
  'Organic Search',
  'Paid Search',
  'Email',
  'Social Media',
];

/** Opportunity stages of the standard Sales Process, plus the retail org's closed, not-won `Refunded`. */
export const OPPORTUNITY_STAGES: { name: string; probability: number; closed: boolean; won: boolean }[] = [
  { name: 'Prospecting', probability: 10, closed: false, won: false },
  { name: 'Qualification', probability: 20, closed: false, won: false },
  { name: 'Needs Analysis', probability: 40, closed: false, won: false },
  { name: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
  { name: 'Negotiation/Review', probability: 90, closed: false, won: false },
  { name: 'Closed Won', probability: 100, closed: true, won: true },
  { name: 'Closed Lost', probability: 0, closed: true, won: false },
  { name: 'Refunded', probability: 0, closed: true, won: false },
];

/** Key prefixes: the first three characters of every id of a type (Salesforce object reference). */
const OBJECTS: { name: string; keyPrefix: string; plural: string; required: string[]; fields: Spec[] }[] = [
  {
    name: 'User',
    keyPrefix: '005',
    plural: 'Users',
    required: ['LastName', 'Username', 'Email'],
    fields: [
      ['Username', 'string', { length: 80 }],
      ['FirstName', 'string', { length: 40 }],
      ['LastName', 'string', { length: 80 }],
      ['Name', 'string', readOnly],
      ['Email', 'email'],
      ['IsActive', 'boolean'],
    ],
  },
  {
    name: 'Account',
    keyPrefix: '001',
    plural: 'Accounts',
    required: ['Name'],
    fields: [
      ['Name', 'string', { length: 255 }],
      ['Type', 'picklist', picklist('Customer - Direct', 'Customer - Channel', 'Prospect', 'Other')],
      ['Industry', 'picklist', picklist('Retail', 'Consumer Goods', 'Other')],
      ['BillingCity', 'string'],
      ['BillingState', 'string'],
      ['BillingCountry', 'string'],
      ['AnnualRevenue', 'currency'],
      ['NumberOfEmployees', 'int'],
      owner(),
    ],
  },
  {
    name: 'Contact',
    keyPrefix: '003',
    plural: 'Contacts',
    required: ['LastName'],
    fields: [
      ['AccountId', 'reference', ref('Account', 'Account')],
      ['FirstName', 'string', { length: 40 }],
      ['LastName', 'string', { length: 80 }],
      ['Name', 'string', readOnly],
      ['Email', 'email'],
      ['MailingCity', 'string'],
      // A standard Contact field (the v59 sObjects spec lists it); the connector reads it as the region.
      ['MailingState', 'string'],
      ['MailingCountry', 'string'],
      ['Birthdate', 'date'],
      ['GenderIdentity', 'picklist', picklist('Female', 'Male', 'Nonbinary', 'Not Listed')],
      ['LeadSource', 'picklist', picklist(...LEAD_SOURCES)],
      owner(),
    ],
  },
  {
    name: 'Product2',
    keyPrefix: '01t',
    plural: 'Products',
    required: ['Name'],
    fields: [
      ['Name', 'string'],
      ['ProductCode', 'string'],
      ['Family', 'picklist'],
      ['Description', 'textarea'],
      ['IsActive', 'boolean'],
    ],
  },
  {
    name: 'Pricebook2',
    keyPrefix: '01s',
    plural: 'Price Books',
    required: ['Name'],
    fields: [
      ['Name', 'string'],
      ['IsActive', 'boolean'],
      ['IsStandard', 'boolean', readOnly],
    ],
  },
  {
    name: 'PricebookEntry',
    keyPrefix: '01u',
    plural: 'Price Book Entries',
    required: ['Pricebook2Id', 'Product2Id', 'UnitPrice'],
    fields: [
      ['Name', 'string', readOnly],
      ['Pricebook2Id', 'reference', ref('Pricebook2', 'Pricebook2')],
      ['Product2Id', 'reference', ref('Product2', 'Product2')],
      ['ProductCode', 'string', readOnly],
      ['UnitPrice', 'currency'],
      ['IsActive', 'boolean'],
      ['UseStandardPrice', 'boolean'],
    ],
  },
  {
    name: 'Opportunity',
    keyPrefix: '006',
    plural: 'Opportunities',
    required: ['Name', 'StageName', 'CloseDate'],
    fields: [
      ['AccountId', 'reference', ref('Account', 'Account')],
      // Read-only, derived from the primary contact role; settable on create only (NOTES §4).
      ['ContactId', 'reference', { ...ref('Contact', 'Contact'), updateable: false }],
      ['Name', 'string', { length: 120 }],
      ['StageName', 'picklist', picklist(...OPPORTUNITY_STAGES.map((s) => s.name))],
      ['Amount', 'currency'],
      ['Probability', 'percent'],
      ['CloseDate', 'date'],
      [
        'Type',
        'picklist',
        picklist('New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Replacement'),
      ],
      ['LeadSource', 'picklist', picklist(...LEAD_SOURCES)],
      // Derived from StageName and not settable (NOTES §4).
      ['IsClosed', 'boolean', readOnly],
      ['IsWon', 'boolean', readOnly],
      ['CurrencyIsoCode', 'picklist', picklist('EUR', 'USD', 'GBP', 'CHF', 'SEK')],
      ['Pricebook2Id', 'reference', ref('Pricebook2', 'Pricebook2')],
      // The primary campaign source (Campaign Influence); an org without Campaigns has no such field.
      ['CampaignId', 'reference', ref('Campaign', 'Campaign')],
      owner(),
    ],
  },
  {
    name: 'OpportunityLineItem',
    keyPrefix: '00k',
    plural: 'Opportunity Product',
    required: ['OpportunityId', 'Quantity'],
    fields: [
      ['OpportunityId', 'reference', { ...ref('Opportunity', 'Opportunity'), updateable: false }],
      ['PricebookEntryId', 'reference', { ...ref('PricebookEntry', 'PricebookEntry'), updateable: false }],
      ['Product2Id', 'reference', { ...ref('Product2', 'Product2'), updateable: false }],
      ['Name', 'string', readOnly],
      ['Quantity', 'double'],
      ['UnitPrice', 'currency'],
      ['TotalPrice', 'currency'],
      ['ListPrice', 'currency', readOnly],
      ['ServiceDate', 'date'],
    ],
  },
  {
    name: 'OpportunityContactRole',
    keyPrefix: '00K',
    plural: 'Opportunity Contact Role',
    required: ['OpportunityId', 'ContactId'],
    fields: [
      ['OpportunityId', 'reference', { ...ref('Opportunity', 'Opportunity'), updateable: false }],
      ['ContactId', 'reference', ref('Contact', 'Contact')],
      ['Role', 'picklist', picklist('Decision Maker', 'Economic Buyer', 'Business User', 'Other')],
      ['IsPrimary', 'boolean'],
    ],
  },
  {
    name: 'Case',
    keyPrefix: '500',
    plural: 'Cases',
    required: [],
    fields: [
      ['CaseNumber', 'string', readOnly],
      ['ContactId', 'reference', ref('Contact', 'Contact')],
      ['AccountId', 'reference', ref('Account', 'Account')],
      ['Subject', 'string'],
      ['Status', 'picklist', picklist('New', 'Working', 'Escalated', 'Closed')],
      ['Priority', 'picklist', picklist('High', 'Medium', 'Low')],
      ['Origin', 'picklist', picklist('Phone', 'Email', 'Web')],
      ['IsClosed', 'boolean', readOnly],
      ['ClosedDate', 'datetime', readOnly],
      owner(),
    ],
  },
  {
    name: 'Task',
    keyPrefix: '00T',
    plural: 'Tasks',
    required: [],
    fields: [
      ['WhoId', 'reference', ref('Contact', 'Who')],
      ['WhatId', 'reference', ref('Opportunity', 'What')],
      ['Subject', 'string', { length: 255 }],
      ['ActivityDate', 'date'],
      [
        'Status',
        'picklist',
        picklist('Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'),
      ],
      ['Priority', 'picklist', picklist('High', 'Normal', 'Low')],
      ['IsClosed', 'boolean', readOnly],
      [
        'TaskSubtype',
        'picklist',
        { ...picklist('Task', 'Email', 'List Email', 'Cadence', 'Call'), updateable: false },
      ],
      ['CompletedDateTime', 'datetime', readOnly],
      owner(),
    ],
  },
  {
    name: 'Event',
    keyPrefix: '00U',
    plural: 'Events',
    required: [],
    fields: [
      ['WhoId', 'reference', ref('Contact', 'Who')],
      ['WhatId', 'reference', ref('Opportunity', 'What')],
      ['Subject', 'string', { length: 255 }],
      ['ActivityDateTime', 'datetime'],
      ['ActivityDate', 'date'],
      ['DurationInMinutes', 'int'],
      owner(),
    ],
  },
  {
    name: 'Campaign',
    keyPrefix: '701',
    plural: 'Campaigns',
    required: ['Name'],
    fields: [
      ['Name', 'string'],
      ['Type', 'picklist', picklist('Email', 'Webinar', 'Advertisement', 'Other')],
      ['Status', 'picklist', picklist('Planned', 'In Progress', 'Completed', 'Aborted')],
      ['StartDate', 'date'],
      ['EndDate', 'date'],
      ['BudgetedCost', 'currency'],
      ['ActualCost', 'currency'],
      // A multi-currency org has it on every object with currency fields (the org here is one, as Opportunity says).
      ['CurrencyIsoCode', 'picklist', picklist('EUR', 'USD', 'GBP', 'CHF', 'SEK')],
      ['IsActive', 'boolean'],
      owner(),
    ],
  },
  {
    name: 'CampaignMember',
    keyPrefix: '00v',
    plural: 'Campaign Members',
    required: ['CampaignId'],
    fields: [
      ['CampaignId', 'reference', { ...ref('Campaign', 'Campaign'), updateable: false }],
      ['ContactId', 'reference', { ...ref('Contact', 'Contact'), updateable: false }],
      // A status's HasResponded flag is the org's CampaignMemberStatus setting; here 'Responded' has it.
      ['Status', 'picklist', picklist('Sent', 'Responded')],
      ['HasResponded', 'boolean', readOnly],
      ['FirstRespondedDate', 'date', readOnly],
    ],
  },
];

/** Label from an API name: `MailingCountry` → `Mailing Country`. */
function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/Id$/, ' ID')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2');
}

function field(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    label: labelOf(name),
    type,
    createable: true,
    updateable: true,
    nillable: true,
    custom: false,
    ...extra,
  };
}

/** A fresh copy per org, so one sandbox's custom fields never show in another's describe. */
export function standardObjects(): Map<string, SObjectDef> {
  const objects = new Map<string, SObjectDef>();
  for (const spec of OBJECTS) {
    const fields = new Map<string, FieldDef>();
    const add = (f: FieldDef) => fields.set(f.name, f);
    add(field('Id', 'id', { ...readOnly, nillable: false }));
    add(field('IsDeleted', 'boolean', { ...readOnly, nillable: false }));
    for (const [name, type, extra] of spec.fields) add(field(name, type, extra));
    add(field('CreatedDate', 'datetime', readOnly));
    add(field('CreatedById', 'reference', { ...readOnly, ...ref('User', 'CreatedBy') }));
    add(field('LastModifiedDate', 'datetime', readOnly));
    add(field('LastModifiedById', 'reference', { ...readOnly, ...ref('User', 'LastModifiedBy') }));
    add(field('SystemModstamp', 'datetime', readOnly));
    for (const name of spec.required) fields.get(name)!.nillable = false;
    objects.set(spec.name, {
      name: spec.name,
      label: labelOf(spec.name).replace(/ ?2$/, ''),
      labelPlural: spec.plural,
      keyPrefix: spec.keyPrefix,
      fields,
      required: spec.required,
    });
  }
  return objects;
}

/** The SOQL evaluator's view of a field type. */
export function soqlType(
  type: FieldType,
): 'id' | 'reference' | 'string' | 'boolean' | 'number' | 'date' | 'datetime' {
  switch (type) {
    case 'id':
    case 'reference':
    case 'boolean':
    case 'date':
    case 'datetime':
      return type;
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return 'number';
    default:
      return 'string';
  }
}
