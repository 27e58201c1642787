/**
 * describeGlobal and describe bodies, with the property names of the Salesforce-generated OpenAPI
 * (DescribeGlobalResult / DescribeSObjectResult, NOTES §2.4); custom fields appear once defined.
 */

import type { OrgStore } from './org-store';
import type { FieldDef, SObjectDef } from './sobject-schema';

function urls(version: string, name: string) {
  const base = `/services/data/${version}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function rootInfo(version: string, def: SObjectDef) {
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: false,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    retrieveable: true,
    searchable: true,
    layoutable: true,
    urls: urls(version, def.name),
  };
}

export function describeGlobal(store: OrgStore, version: string) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...store.objects.values()].map((def) => rootInfo(version, def)),
  };
}

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function describeField(f: FieldDef) {
  const text = ['string', 'textarea', 'email', 'phone', 'picklist', 'id', 'reference'].includes(f.type);
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPES[f.type],
    length: text ? (f.length ?? (f.type === 'id' || f.type === 'reference' ? 18 : 255)) : 0,
    precision: f.precision ?? 0,
    scale: f.scale ?? 0,
    digits: f.type === 'int' ? 9 : 0,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    filterable: true,
    sortable: f.type !== 'textarea',
    groupable: !['double', 'currency', 'percent', 'datetime', 'textarea'].includes(f.type),
    custom: f.custom,
    calculated: false,
    calculatedFormula: null,
    defaultedOnCreate: f.name === 'Id' || (f.name.endsWith('Date') && !f.createable),
    externalId: false,
    unique: false,
    idLookup: f.name === 'Id',
    nameField: f.name === 'Name',
    picklistValues: (f.picklistValues ?? []).map((value) => ({
      label: value,
      value,
      defaultValue: false,
      active: true,
      validFor: null,
    })),
    restrictedPicklist: f.restrictedPicklist ?? false,
    referenceTo: f.referenceTo ? [f.referenceTo] : [],
    relationshipName: f.relationshipName ?? null,
  };
}

export function describeSObject(store: OrgStore, version: string, def: SObjectDef) {
  const children = [];
  for (const other of store.objects.values())
    for (const f of other.fields.values())
      if (f.referenceTo === def.name && f.name !== 'CreatedById' && f.name !== 'LastModifiedById')
        children.push({
          childSObject: other.name,
          field: f.name,
          relationshipName: null,
          cascadeDelete: false,
        });
  return {
    ...rootInfo(version, def),
    fields: [...def.fields.values()].map(describeField),
    childRelationships: children,
    recordTypeInfos: [],
  };
}
