/**
 * The sandbox org's state, in memory: sObject definitions (standard + custom fields), records per type in
 * creation order, a global id index and id sequences. Deleted records stay with IsDeleted = true, so
 * queryAll can show them (NOTES §2.1, §5.3). A Metadata API router (a later file) only needs
 * `defineCustomField` and `objects`.
 */

import { salesforceId } from './salesforce-ids';
import { OPPORTUNITY_STAGES, standardObjects, type FieldDef, type SObjectDef } from './sobject-schema';

export type SfRecord = { Id: string; [field: string]: unknown };

export type OrgStore = {
  orgId: string;
  /** The integration user the sandbox's tokens belong to (CreatedById / LastModifiedById of API writes). */
  apiUserId: string;
  objects: Map<string, SObjectDef>;
  /** Type → id → record, in creation order. */
  records: Map<string, Map<string, SfRecord>>;
  /** Any id → its type. */
  typeOf: Map<string, string>;
  sequences: Map<string, number>;
};

/** REST JSON dateTime output: `2024-01-05T10:00:00.000+0000` (NOTES §4 "Formats"). */
export function sfDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function createOrgStore(orgId: string): OrgStore {
  const objects = standardObjects();
  const store: OrgStore = {
    orgId,
    apiUserId: '',
    objects,
    records: new Map([...objects.keys()].map((name) => [name, new Map()])),
    typeOf: new Map(),
    sequences: new Map(),
  };
  return store;
}

/** Case-insensitive sObject lookup (SOQL and URLs accept any case). */
export function objectDef(store: OrgStore, name: string): SObjectDef | undefined {
  const exact = store.objects.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const def of store.objects.values()) if (def.name.toLowerCase() === lower) return def;
  return undefined;
}

export function fieldDef(def: SObjectDef, name: string): FieldDef | undefined {
  const exact = def.fields.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const f of def.fields.values()) if (f.name.toLowerCase() === lower) return f;
  return undefined;
}

export function nextId(store: OrgStore, type: string): string {
  const def = store.objects.get(type)!;
  const n = (store.sequences.get(type) ?? 0) + 1;
  store.sequences.set(type, n);
  return salesforceId(def.keyPrefix, n);
}

export function findRecord(store: OrgStore, id: string): { type: string; record: SfRecord } | undefined {
  const type = store.typeOf.get(id);
  const record = type && store.records.get(type)!.get(id);
  return type && record ? { type, record } : undefined;
}

/** Every field present (null when unset), system fields set, derived fields computed. */
export function insertRecord(
  store: OrgStore,
  type: string,
  values: Record<string, unknown>,
  at: string,
  byUserId = store.apiUserId,
): SfRecord {
  const def = store.objects.get(type)!;
  const id = nextId(store, type);
  const record: SfRecord = { Id: id };
  for (const name of def.fields.keys()) record[name] = null;
  Object.assign(record, values, {
    Id: id,
    IsDeleted: false,
    CreatedDate: at,
    CreatedById: byUserId || id,
    LastModifiedDate: at,
    LastModifiedById: byUserId || id,
    SystemModstamp: at,
  });
  deriveFields(store, type, record);
  store.records.get(type)!.set(id, record);
  store.typeOf.set(id, type);
  return record;
}

/** Applies validated values and moves LastModifiedDate and SystemModstamp, as every Salesforce save does. */
export function updateRecord(
  store: OrgStore,
  type: string,
  record: SfRecord,
  values: Record<string, unknown>,
  at: string,
): void {
  Object.assign(record, values);
  record.LastModifiedDate = at;
  record.LastModifiedById = store.apiUserId;
  record.SystemModstamp = at;
  deriveFields(store, type, record);
}

export function deleteRecord(store: OrgStore, record: SfRecord, at: string): void {
  record.IsDeleted = true;
  record.SystemModstamp = at;
}

/** Fields Salesforce computes on save (formula-like standard fields; NOTES §4 for Opportunity). */
function deriveFields(store: OrgStore, type: string, record: SfRecord): void {
  switch (type) {
    case 'Contact':
    case 'User':
      record.Name = [record.FirstName, record.LastName].filter((v) => v).join(' ');
      break;
    case 'Opportunity': {
      const stage = OPPORTUNITY_STAGES.find((s) => s.name === record.StageName);
      record.IsClosed = stage?.closed ?? false;
      record.IsWon = stage?.won ?? false;
      if (record.Probability === null && stage) record.Probability = stage.probability;
      break;
    }
    case 'Case':
      record.IsClosed = record.Status === 'Closed';
      if (record.IsClosed && record.ClosedDate === null) record.ClosedDate = record.LastModifiedDate;
      if (record.CaseNumber === null)
        record.CaseNumber = String(store.sequences.get('Case') ?? 0).padStart(8, '0');
      break;
    case 'Task':
      record.IsClosed = record.Status === 'Completed';
      break;
    case 'CampaignMember':
      record.HasResponded = record.Status === 'Responded';
      if (record.HasResponded && record.FirstRespondedDate === null)
        record.FirstRespondedDate = String(record.LastModifiedDate).slice(0, 10);
      break;
    case 'OpportunityLineItem':
      if (typeof record.Quantity === 'number' && typeof record.UnitPrice === 'number')
        record.TotalPrice = Math.round(record.Quantity * record.UnitPrice * 100) / 100;
      break;
  }
}

export type CustomFieldInput = {
  /** API name ending in `__c`, e.g. CLV_Churn_Risk__c. */
  name: string;
  label?: string;
  /** Metadata API field types (NOTES §2.7). */
  type: 'Text' | 'Number' | 'Currency' | 'Percent' | 'Picklist' | 'Checkbox' | 'Date' | 'DateTime';
  length?: number;
  precision?: number;
  scale?: number;
  /** Picklist values; a picklist is restricted unless `restricted: false`. */
  values?: string[];
  restricted?: boolean;
};

const CUSTOM_TYPES: Record<CustomFieldInput['type'], FieldDef['type']> = {
  Text: 'string',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Picklist: 'picklist',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
};

/**
 * Creates (or replaces, like upsertMetadata) a custom field; existing records read it as null.
 * @example defineCustomField(store, 'Contact', { name: 'CLV_Churn_Risk__c', type: 'Picklist', values: ['low', 'medium', 'high'] })
 */
export function defineCustomField(store: OrgStore, object: string, input: CustomFieldInput): FieldDef {
  const def = objectDef(store, object);
  if (!def) throw new RangeError(`no sObject type ${object}`);
  if (!/^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$/.test(input.name))
    throw new RangeError(`custom field names end in __c: ${input.name}`);
  const field: FieldDef = {
    name: input.name,
    label: input.label ?? input.name.slice(0, -3).replace(/_/g, ' '),
    type: CUSTOM_TYPES[input.type],
    createable: true,
    updateable: true,
    nillable: true,
    custom: true,
    ...(input.type === 'Text' ? { length: input.length ?? 255 } : {}),
    ...(['Number', 'Currency', 'Percent'].includes(input.type)
      ? { precision: input.precision ?? 18, scale: input.scale ?? 2 }
      : {}),
    ...(input.type === 'Picklist'
      ? { picklistValues: [...(input.values ?? [])], restrictedPicklist: input.restricted ?? true }
      : {}),
  };
  const isNew = !def.fields.has(field.name);
  def.fields.set(field.name, field);
  if (isNew) for (const record of store.records.get(def.name)!.values()) record[field.name] = null;
  return field;
}
