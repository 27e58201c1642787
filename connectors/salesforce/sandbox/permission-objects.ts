/**
 * The two setup sObjects field-level security goes through (NOTES §2.7, §7.8): PermissionSet (key prefix 0PS;
 * created by the Metadata API, queryable with `SELECT Id FROM PermissionSet WHERE Name = '…'`) and
 * PermissionSetAssignment (0Pa; `POST /sobjects/PermissionSetAssignment {AssigneeId, PermissionSetId}` assigns
 * a permission set to a user, as in Salesforce). Added to an org after seeding, with no records.
 */

import type { OrgStore } from './org-store';
import type { FieldDef, FieldType, SObjectDef } from './sobject-schema';

function field(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    label: name.replace(/Id$/, ' ID').replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    createable: true,
    updateable: true,
    nillable: true,
    custom: false,
    ...extra,
  };
}

const readOnly = { createable: false, updateable: false };

function objectWith(
  name: string,
  label: string,
  labelPlural: string,
  keyPrefix: string,
  required: string[],
  own: FieldDef[],
): SObjectDef {
  const fields = [
    field('Id', 'id', { ...readOnly, nillable: false }),
    field('IsDeleted', 'boolean', { ...readOnly, nillable: false }),
    ...own,
    field('CreatedDate', 'datetime', readOnly),
    field('CreatedById', 'reference', { ...readOnly, referenceTo: 'User', relationshipName: 'CreatedBy' }),
    field('LastModifiedDate', 'datetime', readOnly),
    field('LastModifiedById', 'reference', {
      ...readOnly,
      referenceTo: 'User',
      relationshipName: 'LastModifiedBy',
    }),
    field('SystemModstamp', 'datetime', readOnly),
  ];
  for (const f of fields) if (required.includes(f.name)) f.nillable = false;
  return { name, label, labelPlural, keyPrefix, fields: new Map(fields.map((f) => [f.name, f])), required };
}

export function addPermissionObjects(store: OrgStore): void {
  const permissionSet = objectWith(
    'PermissionSet',
    'Permission Set',
    'Permission Sets',
    '0PS',
    ['Name', 'Label'],
    [
      field('Name', 'string', { length: 80 }),
      field('Label', 'string', { length: 80 }),
      field('Description', 'string', { length: 255 }),
      field('IsOwnedByProfile', 'boolean', readOnly),
      field('NamespacePrefix', 'string', { ...readOnly, length: 15 }),
    ],
  );
  const assignment = objectWith(
    'PermissionSetAssignment',
    'Permission Set Assignment',
    'Permission Set Assignments',
    '0Pa',
    ['AssigneeId', 'PermissionSetId'],
    [
      field('AssigneeId', 'reference', {
        referenceTo: 'User',
        relationshipName: 'Assignee',
        updateable: false,
      }),
      field('PermissionSetId', 'reference', {
        referenceTo: 'PermissionSet',
        relationshipName: 'PermissionSet',
        updateable: false,
      }),
    ],
  );
  for (const def of [permissionSet, assignment]) {
    if (store.objects.has(def.name)) continue;
    store.objects.set(def.name, def);
    store.records.set(def.name, new Map());
  }
}
