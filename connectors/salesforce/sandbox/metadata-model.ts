/**
 * The org's CustomField and PermissionSet metadata as the Metadata API sees it, and field-level security
 * (NOTES §2.7): a field created through Metadata exists but is invisible to the API user — absent from
 * describe, INVALID_FIELD in SOQL and on writes — until a PermissionSet whose fieldPermissions grant it is
 * upserted *and* assigned to that user with a PermissionSetAssignment record. `readable` shows the field,
 * `editable` also makes it createable/updateable. Fields defined with `sandbox.defineCustomField` count as
 * already granted (the test shortcut NOTES §7.8 calls "a flag").
 *
 * Validation by type (NOTES §2.7, marked [U] there; messages are the sandbox's own wording): Number, Currency
 * and Percent need `precision` 1..18 and `scale` 0..precision; Text needs `length` 1..255; Picklist needs
 * `valueSet.valueSetDefinition.value[]`; Checkbox needs `defaultValue`; Date and DateTime need nothing more.
 * Upsert of an identical component is a no-op (created false); a changed picklist keeps its values and adds
 * the new ones; a PermissionSet upsert replaces its fieldPermissions (CRUD calls replace the component).
 */

import {
  defineCustomField,
  fieldDef,
  insertRecord,
  objectDef,
  sfDatetime,
  updateRecord,
  type CustomFieldInput,
  type OrgStore,
  type SfRecord,
} from './org-store';
import { addPermissionObjects } from './permission-objects';
import { attribute, child, childrenNamed, childText, type XmlElement, type XmlValue } from './soap-xml';
import type { FieldDef } from './sobject-schema';

export type MetadataError = { statusCode: string; message: string };

export type PicklistValueMeta = { fullName: string; label: string; default: boolean };

export type CustomFieldMeta = {
  fullName: string;
  label: string;
  type: CustomFieldInput['type'];
  length?: number;
  precision?: number;
  scale?: number;
  values?: PicklistValueMeta[];
  restricted?: boolean;
  defaultValue?: string;
  description?: string;
  inlineHelpText?: string;
  externalId: boolean;
  required: boolean;
};

export type FieldPermissionMeta = { field: string; readable: boolean; editable: boolean };

export type PermissionSetMeta = {
  fullName: string;
  label: string;
  description?: string;
  fieldPermissions: FieldPermissionMeta[];
};

export type SaveOutcome = { fullName: string; created: boolean; errors: MetadataError[] };

const FIELD_TYPES: CustomFieldInput['type'][] = [
  'Text',
  'Number',
  'Currency',
  'Percent',
  'Picklist',
  'Checkbox',
  'Date',
  'DateTime',
];

const integrity = (message: string): MetadataError => ({ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message });
const missing = (name: string): MetadataError => ({
  statusCode: 'REQUIRED_FIELD_MISSING',
  message: `Required field is missing: ${name}`,
});

const bool = (text: string | undefined) => text === 'true';
const int = (text: string | undefined) => (text === undefined || text === '' ? undefined : Number(text));

const TYPE_OF_DEF: Partial<Record<FieldDef['type'], CustomFieldInput['type']>> = {
  string: 'Text',
  double: 'Number',
  currency: 'Currency',
  percent: 'Percent',
  picklist: 'Picklist',
  boolean: 'Checkbox',
  date: 'Date',
  datetime: 'DateTime',
};

export class MetadataModel {
  private readonly fields = new Map<string, CustomFieldMeta>();
  private readonly permissionSets = new Map<string, PermissionSetMeta>();
  /** Fields defined outside the Metadata API (sandbox.defineCustomField): visible without a grant. */
  private readonly preGranted = new Set<string>();
  /** What was last applied to the org per field: a signature, or 'hidden'. */
  private readonly applied = new Map<string, string>();
  /** Values of fields whose grant was withdrawn, by record id, restored when granted again. */
  private readonly stash = new Map<string, Map<string, unknown>>();

  constructor(
    private readonly store: OrgStore,
    private readonly now: () => number,
  ) {
    addPermissionObjects(store);
  }

  /** Custom field metadata by full name, including fields defined outside the Metadata API. */
  customField(fullName: string): CustomFieldMeta | undefined {
    const key = fullName.toLowerCase();
    const known = this.fields.get(key);
    if (known) return known;
    const [object, name] = splitFullName(fullName);
    const def = object ? objectDef(this.store, object) : undefined;
    const f = def && name ? fieldDef(def, name) : undefined;
    if (!def || !f || !f.custom) return undefined;
    const adopted = metaOfFieldDef(`${def.name}.${f.name}`, f);
    if (!adopted) return undefined;
    this.fields.set(key, adopted);
    this.preGranted.add(key);
    return adopted;
  }

  permissionSet(fullName: string): PermissionSetMeta | undefined {
    return this.permissionSets.get(fullName.toLowerCase());
  }

  saveCustomField(element: XmlElement, mode: 'create' | 'upsert'): SaveOutcome {
    const fullName = childText(element, 'fullName') ?? '';
    const parsed = this.parseCustomField(element);
    if ('errors' in parsed) return { fullName, created: false, errors: parsed.errors };
    const meta = parsed.meta;
    const existing = this.customField(meta.fullName);
    if (existing && mode === 'create') {
      const [object, name] = splitFullName(meta.fullName);
      return {
        fullName,
        created: false,
        errors: [
          {
            statusCode: 'DUPLICATE_DEVELOPER_NAME',
            message: `There is already a field named ${name} on ${object}.`,
          },
        ],
      };
    }
    if (existing) {
      if (existing.type === 'Picklist' && meta.type === 'Picklist') {
        const merged = [...(existing.values ?? [])];
        for (const v of meta.values ?? []) if (!merged.some((m) => m.fullName === v.fullName)) merged.push(v);
        meta.values = merged;
      }
      if (JSON.stringify(existing) === JSON.stringify({ ...meta, fullName: existing.fullName }))
        return { fullName, created: false, errors: [] };
      this.fields.set(meta.fullName.toLowerCase(), { ...meta, fullName: existing.fullName });
      this.sync();
      return { fullName, created: false, errors: [] };
    }
    this.fields.set(meta.fullName.toLowerCase(), meta);
    this.sync();
    return { fullName, created: true, errors: [] };
  }

  savePermissionSet(element: XmlElement, mode: 'create' | 'upsert'): SaveOutcome {
    const fullName = childText(element, 'fullName') ?? '';
    const errors: MetadataError[] = [];
    if (fullName === '') errors.push(missing('fullName'));
    else if (!/^[A-Za-z](?!.*__)[A-Za-z0-9_]*[A-Za-z0-9]$|^[A-Za-z]$/.test(fullName))
      errors.push(
        integrity(
          `The API name ${fullName} can only contain underscores and alphanumeric characters, must begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`,
        ),
      );
    const label = childText(element, 'label') ?? '';
    if (label === '') errors.push(missing('label'));
    const fieldPermissions: FieldPermissionMeta[] = [];
    for (const fp of childrenNamed(element, 'fieldPermissions')) {
      const field = childText(fp, 'field') ?? '';
      const readable = bool(childText(fp, 'readable'));
      const editable = bool(childText(fp, 'editable'));
      const [object, name] = splitFullName(field);
      const def = object ? objectDef(this.store, object) : undefined;
      const known =
        this.customField(field) !== undefined ||
        (def !== undefined && name && fieldDef(def, name) !== undefined);
      if (!known) {
        errors.push(integrity(`In field: field - no CustomField named ${field} found`));
        continue;
      }
      if (editable && !readable)
        errors.push(integrity(`Field permission for ${field}: editable requires readable.`));
      fieldPermissions.push({ field: this.customField(field)?.fullName ?? field, readable, editable });
    }
    if (errors.length > 0) return { fullName, created: false, errors };
    const description = childText(element, 'description');
    const meta: PermissionSetMeta = {
      fullName,
      label,
      ...(description ? { description } : {}),
      fieldPermissions,
    };
    const key = fullName.toLowerCase();
    const existing = this.permissionSets.get(key);
    if (existing && mode === 'create')
      return {
        fullName,
        created: false,
        errors: [
          { statusCode: 'DUPLICATE_DEVELOPER_NAME', message: `The name ${fullName} is already in use.` },
        ],
      };
    const at = sfDatetime(this.now());
    if (existing) {
      const next = { ...meta, fullName: existing.fullName };
      if (JSON.stringify(existing) === JSON.stringify(next)) return { fullName, created: false, errors: [] };
      this.permissionSets.set(key, next);
      const record = this.permissionSetRecord(existing.fullName);
      if (record)
        updateRecord(
          this.store,
          'PermissionSet',
          record,
          { Label: label, Description: description ?? null },
          at,
        );
      this.sync();
      return { fullName, created: false, errors: [] };
    }
    this.permissionSets.set(key, meta);
    insertRecord(
      this.store,
      'PermissionSet',
      { Name: fullName, Label: label, Description: description ?? null, IsOwnedByProfile: false },
      at,
    );
    this.sync();
    return { fullName, created: true, errors: [] };
  }

  /**
   * Brings the org's field definitions in line with the metadata and the API user's permission set
   * assignments. Cheap when nothing changed; the REST routes call it before every request.
   */
  sync(): void {
    const grants = this.grantsOfApiUser();
    for (const [key, meta] of this.fields) {
      const grant = this.preGranted.has(key) ? { readable: true, editable: true } : grants.get(key);
      const [object, name] = splitFullName(meta.fullName);
      const def = objectDef(this.store, object!)!;
      if (!grant?.readable) {
        if (this.applied.get(key) === 'hidden' || !def.fields.has(name!)) {
          this.applied.set(key, 'hidden');
          continue;
        }
        const values = new Map<string, unknown>();
        for (const record of this.store.records.get(def.name)!.values()) {
          values.set(record.Id, record[name!]);
          delete record[name!];
        }
        this.stash.set(key, values);
        def.fields.delete(name!);
        this.applied.set(key, 'hidden');
        continue;
      }
      const signature = JSON.stringify([meta, grant.editable]);
      if (this.applied.get(key) === signature && def.fields.has(name!)) continue;
      const wasHidden = !def.fields.has(name!);
      const f = defineCustomField(this.store, def.name, {
        name: name!,
        label: meta.label,
        type: meta.type,
        length: meta.length,
        precision: meta.precision,
        scale: meta.scale,
        values: meta.values?.map((v) => v.fullName),
        restricted: meta.restricted,
      });
      f.createable = grant.editable;
      f.updateable = grant.editable;
      const stashed = this.stash.get(key);
      if (wasHidden && stashed) {
        const records = this.store.records.get(def.name)!;
        for (const [id, value] of stashed) {
          const record = records.get(id);
          if (record) record[name!] = value;
        }
        this.stash.delete(key);
      }
      this.applied.set(key, signature);
    }
  }

  private grantsOfApiUser(): Map<string, { readable: boolean; editable: boolean }> {
    const grants = new Map<string, { readable: boolean; editable: boolean }>();
    const sets = this.store.records.get('PermissionSet')!;
    for (const assignment of this.store.records.get('PermissionSetAssignment')!.values()) {
      if (assignment.IsDeleted || assignment.AssigneeId !== this.store.apiUserId) continue;
      const record = sets.get(String(assignment.PermissionSetId));
      const meta = record && !record.IsDeleted ? this.permissionSet(String(record.Name)) : undefined;
      for (const fp of meta?.fieldPermissions ?? []) {
        const key = fp.field.toLowerCase();
        const prior = grants.get(key) ?? { readable: false, editable: false };
        grants.set(key, { readable: prior.readable || fp.readable, editable: prior.editable || fp.editable });
      }
    }
    return grants;
  }

  private permissionSetRecord(name: string): SfRecord | undefined {
    for (const record of this.store.records.get('PermissionSet')!.values())
      if (String(record.Name).toLowerCase() === name.toLowerCase()) return record;
    return undefined;
  }

  private parseCustomField(element: XmlElement): { meta: CustomFieldMeta } | { errors: MetadataError[] } {
    const errors: MetadataError[] = [];
    // Only the direct child: picklist <value> elements carry <fullName> too (NOTES §2.7).
    const fullName = childText(element, 'fullName') ?? '';
    const [object, name] = splitFullName(fullName);
    const def = object ? objectDef(this.store, object) : undefined;
    if (fullName === '') errors.push(missing('fullName'));
    else if (!object || !name)
      errors.push(integrity(`Custom field full names are Object.Field__c: ${fullName}`));
    else if (!def)
      errors.push({
        statusCode: 'INVALID_CROSS_REFERENCE_KEY',
        message: `In field: fullName - no CustomObject named ${object} found`,
      });
    else if (!/^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$/.test(name))
      errors.push(
        integrity(
          `The API name ${name} must end in __c, begin with a letter, and contain only letters, digits and single underscores.`,
        ),
      );
    else if (fieldDef(def, name) && !fieldDef(def, name)!.custom)
      errors.push({
        statusCode: 'DUPLICATE_DEVELOPER_NAME',
        message: `${name} is a standard field of ${def.name}.`,
      });
    const label = childText(element, 'label') ?? '';
    if (label === '') errors.push(missing('label'));
    else if (label.length > 40) errors.push(integrity(`Field label: data value too large (max length=40)`));
    const type = childText(element, 'type') ?? '';
    if (type === '') errors.push(missing('type'));
    else if (!FIELD_TYPES.includes(type as CustomFieldInput['type']))
      errors.push(
        integrity(`Field type ${type} is not supported by the sandbox (${FIELD_TYPES.join(', ')}).`),
      );
    const meta: CustomFieldMeta = {
      fullName: def && name ? `${def.name}.${fieldDef(def, name)?.name ?? name}` : fullName,
      label,
      type: type as CustomFieldInput['type'],
      externalId: bool(childText(element, 'externalId')),
      required: bool(childText(element, 'required')),
    };
    const description = childText(element, 'description');
    if (description) meta.description = description;
    const help = childText(element, 'inlineHelpText');
    if (help) meta.inlineHelpText = help;
    switch (type) {
      case 'Number':
      case 'Currency':
      case 'Percent': {
        const precision = int(childText(element, 'precision'));
        const scale = int(childText(element, 'scale'));
        if (precision === undefined) errors.push(missing('precision'));
        else if (!Number.isInteger(precision) || precision < 1 || precision > 18)
          errors.push(integrity(`Precision: value must be between 1 and 18, was ${precision}.`));
        if (scale === undefined) errors.push(missing('scale'));
        else if (!Number.isInteger(scale) || scale < 0 || (precision !== undefined && scale > precision))
          errors.push(integrity(`Scale: value must be between 0 and the precision, was ${scale}.`));
        meta.precision = precision;
        meta.scale = scale;
        break;
      }
      case 'Text': {
        const length = int(childText(element, 'length'));
        if (length === undefined) errors.push(missing('length'));
        else if (!Number.isInteger(length) || length < 1 || length > 255)
          errors.push(integrity(`Length: value must be between 1 and 255, was ${length}.`));
        meta.length = length;
        break;
      }
      case 'Picklist': {
        const valueSet = child(element, 'valueSet');
        const values = childrenNamed(child(valueSet, 'valueSetDefinition'), 'value').map((v) => ({
          fullName: childText(v, 'fullName') ?? '',
          label: childText(v, 'label') ?? childText(v, 'fullName') ?? '',
          default: bool(childText(v, 'default')),
        }));
        if (values.length === 0) errors.push(missing('valueSet.valueSetDefinition.value'));
        for (const v of values) if (v.fullName === '') errors.push(missing('value.fullName'));
        const seen = new Set<string>();
        for (const v of values) {
          if (seen.has(v.fullName.toLowerCase()))
            errors.push({
              statusCode: 'DUPLICATE_VALUE',
              message: `Duplicate picklist value: ${v.fullName}`,
            });
          seen.add(v.fullName.toLowerCase());
        }
        meta.values = values;
        meta.restricted = childText(valueSet, 'restricted') !== 'false';
        break;
      }
      case 'Checkbox': {
        const defaultValue = childText(element, 'defaultValue');
        if (defaultValue !== 'true' && defaultValue !== 'false') errors.push(missing('defaultValue'));
        meta.defaultValue = defaultValue;
        break;
      }
    }
    return errors.length > 0 ? { errors } : { meta };
  }
}

export function splitFullName(fullName: string): [string | undefined, string | undefined] {
  const dot = fullName.indexOf('.');
  if (dot <= 0 || dot === fullName.length - 1) return [undefined, undefined];
  return [fullName.slice(0, dot), fullName.slice(dot + 1)];
}

function metaOfFieldDef(fullName: string, f: FieldDef): CustomFieldMeta | undefined {
  const type = TYPE_OF_DEF[f.type];
  if (!type) return undefined;
  return {
    fullName,
    label: f.label,
    type,
    ...(type === 'Text' ? { length: f.length ?? 255 } : {}),
    ...(['Number', 'Currency', 'Percent'].includes(type) ? { precision: f.precision, scale: f.scale } : {}),
    ...(type === 'Picklist'
      ? {
          values: (f.picklistValues ?? []).map((v) => ({ fullName: v, label: v, default: false })),
          restricted: f.restrictedPicklist ?? false,
        }
      : {}),
    ...(type === 'Checkbox' ? { defaultValue: 'false' } : {}),
    externalId: false,
    required: false,
  };
}

/** A CustomField as readMetadata returns it (element order of the Metadata WSDL). */
export function customFieldXml(meta: CustomFieldMeta): XmlValue {
  return {
    fullName: meta.fullName,
    defaultValue: meta.defaultValue,
    description: meta.description,
    externalId: meta.externalId,
    inlineHelpText: meta.inlineHelpText,
    label: meta.label,
    length: meta.length,
    precision: meta.precision,
    required: meta.required,
    scale: meta.scale,
    type: meta.type,
    valueSet: meta.values && {
      restricted: meta.restricted ?? true,
      valueSetDefinition: {
        sorted: false,
        value: meta.values.map((v) => ({ fullName: v.fullName, default: v.default, label: v.label })),
      },
    },
  };
}

export function permissionSetXml(meta: PermissionSetMeta): XmlValue {
  return {
    fullName: meta.fullName,
    description: meta.description,
    fieldPermissions: meta.fieldPermissions.map((fp) => ({
      editable: fp.editable,
      field: fp.field,
      readable: fp.readable,
    })),
    hasActivationRequired: false,
    label: meta.label,
  };
}

/** The xsi:type of a <metadata> element, without prefix. */
export function metadataType(element: XmlElement): string | undefined {
  const type = attribute(element, 'type');
  return type?.slice(type.indexOf(':') + 1);
}
