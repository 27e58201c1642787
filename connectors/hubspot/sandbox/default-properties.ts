/**
 * The HubSpot-defined properties the seeded portal starts with, per object type. Names are HubSpot's standard
 * internal names (NOTES §4.1 defaults, §4.4 deal stages); `category` on products is a custom enumeration because
 * HubSpot's own `hs_product_type` only knows inventory/non_inventory/service.
 */

import { PRODUCT_CATEGORIES } from '../../../demo-data/product-catalogue';
import type { ObjectType, PropertyDefinition, PropertyGroup, PropertyOption } from './types';

type Spec = [name: string, type: string, fieldType: string, options?: readonly string[]];

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;
export const ANALYTICS_SOURCES = [
  'ORGANIC_SEARCH',
  'PAID_SEARCH',
  'EMAIL_MARKETING',
  'SOCIAL_MEDIA',
  'REFERRALS',
  'DIRECT_TRAFFIC',
  'OFFLINE',
] as const;
export const DEAL_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
  'refunded',
] as const;
export const TICKET_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
export const TICKET_STAGES = ['1', '2', '3', '4'] as const;
export const GENDERS = ['female', 'male', 'non_binary'] as const;
/** Task enumerations as HubSpot's tasks guide lists them (developers.hubspot.com/docs/api/crm/tasks). */
export const TASK_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'] as const;
export const TASK_PRIORITIES = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export const TASK_TYPES = ['CALL', 'EMAIL', 'TODO'] as const;

const COMMON: Spec[] = [
  ['hs_object_id', 'number', 'number'],
  ['createdate', 'datetime', 'date'],
  ['hubspot_owner_id', 'enumeration', 'select'],
];

const SPECS: Record<ObjectType, Spec[]> = {
  contacts: [
    ['lastmodifieddate', 'datetime', 'date'],
    ['email', 'string', 'text'],
    ['firstname', 'string', 'text'],
    ['lastname', 'string', 'text'],
    ['country', 'string', 'text'],
    ['city', 'string', 'text'],
    ['date_of_birth', 'date', 'date'],
    ['gender', 'enumeration', 'select', GENDERS],
    ['lifecyclestage', 'enumeration', 'radio', LIFECYCLE_STAGES],
    ['hs_analytics_source', 'enumeration', 'select', ANALYTICS_SOURCES],
    ['hs_analytics_num_page_views', 'number', 'number'],
    ['hs_analytics_num_visits', 'number', 'number'],
    ['hs_email_open', 'number', 'number'],
    ['hs_email_click', 'number', 'number'],
    ['hs_social_num_broadcast_clicks', 'number', 'number'],
    ['hs_last_sales_activity_timestamp', 'datetime', 'date'],
  ],
  deals: [
    ['hs_lastmodifieddate', 'datetime', 'date'],
    ['dealname', 'string', 'text'],
    ['amount', 'number', 'number'],
    ['deal_currency_code', 'enumeration', 'select', ['EUR', 'USD', 'GBP']],
    ['closedate', 'datetime', 'date'],
    ['pipeline', 'enumeration', 'select', ['default']],
    ['dealstage', 'enumeration', 'radio', DEAL_STAGES],
    ['hs_analytics_source', 'enumeration', 'select', ANALYTICS_SOURCES],
  ],
  line_items: [
    ['hs_lastmodifieddate', 'datetime', 'date'],
    ['name', 'string', 'text'],
    ['hs_product_id', 'string', 'text'],
    ['quantity', 'number', 'number'],
    ['price', 'number', 'number'],
    ['amount', 'number', 'number'],
  ],
  products: [
    ['hs_lastmodifieddate', 'datetime', 'date'],
    ['name', 'string', 'text'],
    ['price', 'number', 'number'],
    ['hs_sku', 'string', 'text'],
    ['category', 'enumeration', 'select', PRODUCT_CATEGORIES],
  ],
  tickets: [
    ['hs_lastmodifieddate', 'datetime', 'date'],
    ['subject', 'string', 'text'],
    ['hs_pipeline', 'enumeration', 'select', ['0']],
    ['hs_pipeline_stage', 'enumeration', 'select', TICKET_STAGES],
    ['hs_ticket_priority', 'enumeration', 'select', TICKET_PRIORITIES],
    ['closed_date', 'datetime', 'date'],
  ],
  tasks: [
    ['hs_lastmodifieddate', 'datetime', 'date'],
    // The due date; HubSpot refuses a task created without it (REQUIRED_PROPERTIES below).
    ['hs_timestamp', 'datetime', 'date'],
    ['hs_task_subject', 'string', 'text'],
    ['hs_task_body', 'string', 'textarea'],
    ['hs_task_status', 'enumeration', 'select', TASK_STATUSES],
    ['hs_task_priority', 'enumeration', 'select', TASK_PRIORITIES],
    ['hs_task_type', 'enumeration', 'select', TASK_TYPES],
  ],
};

/**
 * Properties a create must carry, per type: a task without `hs_timestamp` is a 400 (tasks guide: "Required");
 * the body is the one HubSpot answers ("Error creating TASK. Some required properties were not set.", context
 * `properties: ["hs_timestamp"]`, quoted in PipedreamHQ/pipedream#12366 [Q]).
 */
export const REQUIRED_PROPERTIES: Partial<Record<ObjectType, { label: string; names: readonly string[] }>> = {
  tasks: { label: 'TASK', names: ['hs_timestamp'] },
};

const GROUP_BY_TYPE: Record<ObjectType, string> = {
  contacts: 'contactinformation',
  deals: 'dealinformation',
  line_items: 'lineiteminformation',
  products: 'productinformation',
  tickets: 'ticketinformation',
  tasks: 'task',
};

export function defaultGroups(type: ObjectType): PropertyGroup[] {
  return [{ name: GROUP_BY_TYPE[type], label: 'Information', displayOrder: -1, archived: false }];
}

export function toOptions(values: readonly string[]): PropertyOption[] {
  return values.map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false }));
}

/** HubSpot-defined definitions for one type; owner options are filled from the seeded owners. */
export function defaultProperties(
  type: ObjectType,
  ownerIds: readonly string[],
  at: string,
): PropertyDefinition[] {
  return [...COMMON, ...SPECS[type]].map(([name, propType, fieldType, options], displayOrder) => ({
    name,
    label: name,
    type: propType,
    fieldType,
    groupName: GROUP_BY_TYPE[type],
    description: '',
    options: toOptions(name === 'hubspot_owner_id' ? ownerIds : (options ?? [])),
    displayOrder,
    hasUniqueValue: name === 'hs_object_id',
    hidden: false,
    formField: false,
    calculated: false,
    externalOptions: name === 'hubspot_owner_id',
    hubspotDefined: true,
    modificationMetadata: {
      archivable: false,
      readOnlyDefinition: true,
      readOnlyValue: name === 'hs_object_id',
    },
    createdAt: at,
    updatedAt: at,
    archived: false,
  }));
}

/** The property that carries "last modified" per type: contacts differ from the rest (NOTES §4.1 search). */
export function lastModifiedProperty(type: ObjectType): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}
