/**
 * Creates the property contract's Contact fields through the Metadata API (SOAP, NOTES §2.7) and grants the
 * integration user access to them, idempotently:
 * 1. `metadata.read('CustomField', [names])` in calls of 10 (always an array: a single name can make jsforce
 *    throw on an empty answer; a missing field reads back as a record without fullName);
 * 2. `metadata.upsert('CustomField', chunk)` of the missing or changed fields only, 10 per call, checking every
 *    per-component result (jsforce throws nothing for success false). Open picklists (segment, interest) get
 *    the run's values added, keeping the values they have; restricted ones hold the contract's closed sets;
 * 3. when a field was created or is not visible and writable in describe (field-level security, NOTES §2.7):
 *    the PermissionSet CRM_CLV_Integration granting read and edit on all contract fields is upserted unless it
 *    grants them already, and assigned to the integration user unless it is (DUPLICATE_VALUE = assigned).
 * A second run with nothing new reads only: describe and the field reads.
 * Definitions come from contract-fields.ts, as does cards/salesforce's SFDX source (a test keeps them equal).
 */
import type { SalesforceConnection } from '../create-connection';
import { SalesforceMetadataError, SalesforceRequestError, type MetadataFailure } from '../errors';
import type { SalesforceCaller } from '../salesforce-caller';
import { CONTRACT_FIELDS, labelled, type ContractField, type PicklistOption } from './contract-fields';

export const CONTACT = 'Contact';
export const INTEGRATION_PERMISSION_SET = 'CRM_CLV_Integration';
export const INTEGRATION_PERMISSION_SET_LABEL = 'CRM CLV fields (integration user)';
export const INTEGRATION_PERMISSION_SET_DESCRIPTION =
  'Read and edit access to the crm-clv fields on Contact, for the integration user crm-clv writes back as.';
/** Components per Metadata CRUD call (NOTES §2.7: more is the fault EXCEEDED_ID_LIMIT). */
export const METADATA_CHUNK = 10;

/** The run's values for the open picklists, as ensureFields receives them. */
export type RunPicklistValues = {
  segments: readonly { id: string; name: string }[];
  interests?: readonly string[];
};

/** A CustomField as the Metadata API takes it (element order of the Metadata WSDL: jsforce keeps key order). */
export type CustomFieldMetadata = {
  fullName: string;
  description?: string;
  externalId: boolean;
  inlineHelpText?: string;
  label: string;
  length?: number;
  precision?: number;
  required: boolean;
  scale?: number;
  type: ContractField['type'];
  valueSet?: {
    restricted: boolean;
    valueSetDefinition: { sorted: boolean; value: { fullName: string; default: boolean; label: string }[] };
  };
};

export type DeployReport = {
  /** Contact fields created, and the contract's fields that existed already. */
  created: string[];
  existing: string[];
  /** Picklist values added to existing fields, per contract name. */
  optionsAdded: Record<string, string[]>;
  /** Fields upserted (created or changed). */
  upserted: string[];
  upsertCalls: number;
  permissionSetSaved: boolean;
  assignmentCreated: boolean;
};

/** Placeholder value of a new open picklist when the run brings none (a picklist needs one; as the SFDX). */
export const SEGMENT_PLACEHOLDER: PicklistOption = { value: 'seg-1', label: 'Segment 1' };

export const fullNameOf = (field: ContractField): string => `${CONTACT}.${field.field}`;

/** The run's values of an open picklist: segment ids labelled by name, interests by their snake value. */
export function runValues(field: ContractField, run: RunPicklistValues): PicklistOption[] {
  if (field.name === 'clv_segment') return run.segments.map((s) => ({ value: s.id, label: s.name }));
  if (field.name === 'clv_interest') return (run.interests ?? []).map(labelled);
  return [];
}

function uniqueValues(options: readonly PicklistOption[]): PicklistOption[] {
  const seen = new Set<string>();
  return options.filter((o) => {
    const key = o.value.toLowerCase();
    if (o.value === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The CustomField metadata of one contract field, with `values` as its picklist values. */
export function customFieldMetadata(
  field: ContractField,
  values: readonly PicklistOption[] = field.values ?? [],
): CustomFieldMetadata {
  const meta: CustomFieldMetadata = {
    fullName: fullNameOf(field),
    description: field.description,
    externalId: false,
    inlineHelpText: `${field.description} (written by crm-clv)`,
    label: field.label,
    ...(field.type === 'Text' ? { length: field.length ?? 255 } : {}),
    ...(field.precision !== undefined ? { precision: field.precision } : {}),
    required: false,
    ...(field.precision !== undefined ? { scale: field.scale ?? 0 } : {}),
    type: field.type,
  };
  if (field.type === 'Picklist')
    meta.valueSet = {
      restricted: field.restricted === true,
      valueSetDefinition: {
        sorted: false,
        value: uniqueValues(values).map((v) => ({ fullName: v.value, default: false, label: v.label })),
      },
    };
  return meta;
}

/** What a read returned for a field (jsforce casts numbers and booleans; lists of one may come unwrapped). */
type ReadField = {
  fullName?: string;
  label?: string;
  description?: string;
  inlineHelpText?: string;
  type?: string;
  length?: number | string;
  precision?: number | string;
  scale?: number | string;
  valueSet?: {
    restricted?: boolean | string;
    valueSetDefinition?: { value?: ReadValue | ReadValue[] };
  };
};
type ReadValue = { fullName?: string; label?: string };

type ReadPermissionSet = {
  fullName?: string;
  label?: string;
  description?: string;
  fieldPermissions?: ReadFieldPermission | ReadFieldPermission[];
};
type ReadFieldPermission = { field?: string; readable?: boolean | string; editable?: boolean | string };

type SaveResult = {
  fullName?: string;
  success?: boolean | string;
  created?: boolean | string;
  errors?: { statusCode?: string; message?: string } | { statusCode?: string; message?: string }[];
};

type MetadataApi = {
  read(type: string, fullNames: string[]): Promise<unknown>;
  upsert(type: string, metadata: object[]): Promise<unknown>;
};

const asArray = <T>(value: T | T[] | undefined | null): T[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
const isTrue = (value: unknown) => value === true || value === 'true';
const num = (value: unknown) => (value === undefined || value === '' ? undefined : Number(value));

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Why an existing field differs from its definition (empty: it matches); values missing are not listed. */
function structuralChanges(want: CustomFieldMetadata, have: ReadField): string[] {
  const changes: string[] = [];
  if (have.type !== want.type) changes.push(`type ${have.type} → ${want.type}`);
  for (const key of ['length', 'precision', 'scale'] as const)
    if (want[key] !== undefined && num(have[key]) !== want[key])
      changes.push(`${key} ${String(have[key])} → ${want[key]}`);
  if (want.valueSet && isTrue(have.valueSet?.restricted) !== want.valueSet.restricted)
    changes.push(`restricted → ${want.valueSet.restricted}`);
  return changes;
}

function metadataApi(sf: SalesforceConnection): MetadataApi {
  return sf.conn.metadata as unknown as MetadataApi;
}

export async function readComponents<T extends { fullName?: string }>(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  type: string,
  names: readonly string[],
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  for (const chunk of chunks(names, METADATA_CHUNK)) {
    // Always an array (NOTES §2.7); a missing component comes back without fullName.
    const records = asArray((await caller.call(() => metadataApi(sf).read(type, chunk))) as T | T[]);
    for (const record of records)
      if (typeof record?.fullName === 'string' && record.fullName !== '')
        found.set(record.fullName.toLowerCase(), record);
  }
  return found;
}

/** Upserts `components` 10 per call; every result with success false is collected, then thrown together. */
export async function upsertComponents(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  type: string,
  components: readonly { fullName: string }[],
  action: string,
): Promise<{ calls: number; created: Set<string> }> {
  const failures: MetadataFailure[] = [];
  const created = new Set<string>();
  let calls = 0;
  for (const chunk of chunks(components, METADATA_CHUNK)) {
    calls++;
    const results = asArray((await caller.call(() => metadataApi(sf).upsert(type, chunk))) as SaveResult);
    chunk.forEach((component, i) => {
      const result = results.find((r) => r.fullName === component.fullName) ?? results[i];
      if (result === undefined) {
        failures.push({
          fullName: component.fullName,
          statusCode: 'NO_RESULT',
          message: 'the Metadata API answered no result for it',
        });
        return;
      }
      if (!isTrue(result.success)) {
        const errors = asArray(result.errors);
        if (errors.length === 0)
          errors.push({ statusCode: 'UNKNOWN', message: 'success false, no error given' });
        for (const e of errors)
          failures.push({
            fullName: component.fullName,
            statusCode: e.statusCode ?? 'UNKNOWN',
            message: e.message ?? '',
          });
        return;
      }
      if (isTrue(result.created)) created.add(component.fullName);
    });
  }
  if (failures.length > 0) throw new SalesforceMetadataError(action, failures);
  return { calls, created };
}

/**
 * Reads the contract's fields and upserts the missing or changed ones (open picklists with the run's values
 * added). Returns what it did; throws SalesforceMetadataError naming each refused field.
 */
export async function deployFieldDefinitions(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  run: RunPicklistValues,
): Promise<Omit<DeployReport, 'permissionSetSaved' | 'assignmentCreated'>> {
  const have = await readComponents<ReadField>(sf, caller, 'CustomField', CONTRACT_FIELDS.map(fullNameOf));
  const upserts: CustomFieldMetadata[] = [];
  const optionsAdded: Record<string, string[]> = {};
  const existing: string[] = [];
  for (const field of CONTRACT_FIELDS) {
    const fromRun = runValues(field, run);
    const current = have.get(fullNameOf(field).toLowerCase());
    if (current === undefined) {
      let values = [...(field.values ?? []), ...fromRun];
      if (field.type === 'Picklist' && values.length === 0) values = [SEGMENT_PLACEHOLDER];
      upserts.push(customFieldMetadata(field, values));
      continue;
    }
    existing.push(field.field);
    const heldValues: PicklistOption[] = asArray(current.valueSet?.valueSetDefinition?.value)
      .filter((v) => typeof v.fullName === 'string')
      .map((v) => ({ value: String(v.fullName), label: String(v.label ?? v.fullName) }));
    const held = new Set(heldValues.map((v) => v.value.toLowerCase()));
    const wanted = uniqueValues([...(field.values ?? []), ...fromRun]);
    const added = field.type === 'Picklist' ? wanted.filter((v) => !held.has(v.value.toLowerCase())) : [];
    const want = customFieldMetadata(field, [...heldValues, ...added]);
    if (structuralChanges(want, current).length === 0 && added.length === 0) continue;
    // Keep what an admin may have relabelled; the definition decides type, size and values.
    if (current.label) want.label = current.label;
    if (current.description !== undefined) want.description = current.description;
    if (current.inlineHelpText !== undefined) want.inlineHelpText = current.inlineHelpText;
    upserts.push(want);
    if (added.length > 0) optionsAdded[field.name] = added.map((v) => v.value);
  }
  const { calls } = await upsertComponents(sf, caller, 'CustomField', upserts, 'save the Contact fields');
  const created = CONTRACT_FIELDS.filter((f) => !have.has(fullNameOf(f).toLowerCase())).map((f) => f.field);
  return { created, existing, optionsAdded, upserted: upserts.map((u) => u.fullName), upsertCalls: calls };
}

const soqlText = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The integration user's id: from the token's identity URL, else from the identity service. */
async function integrationUserId(sf: SalesforceConnection, caller: SalesforceCaller): Promise<string> {
  const known = sf.conn.userInfo?.id;
  if (known) return known;
  const identity = (await caller.call(() => sf.conn.identity())) as { user_id?: string };
  if (!identity.user_id) throw new Error('the Salesforce identity service named no user id');
  return identity.user_id;
}

/**
 * Upserts the PermissionSet granting read and edit on every contract field unless it does already (other
 * grants it holds are kept), and assigns it to the integration user unless it is.
 */
export async function grantFieldAccess(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
): Promise<{ permissionSetSaved: boolean; assignmentCreated: boolean; upsertCalls: number }> {
  const sets = await readComponents<ReadPermissionSet>(sf, caller, 'PermissionSet', [
    INTEGRATION_PERMISSION_SET,
  ]);
  const current = sets.get(INTEGRATION_PERMISSION_SET.toLowerCase());
  const grants = asArray(current?.fieldPermissions).filter((p) => typeof p.field === 'string');
  const granted = new Set(
    grants.filter((p) => isTrue(p.readable) && isTrue(p.editable)).map((p) => String(p.field).toLowerCase()),
  );
  const contract = new Set(CONTRACT_FIELDS.map((f) => fullNameOf(f).toLowerCase()));
  let upsertCalls = 0;
  const permissionSetSaved = current === undefined || [...contract].some((name) => !granted.has(name));
  if (permissionSetSaved) {
    const others = grants
      .filter((p) => !contract.has(String(p.field).toLowerCase()))
      .map((p) => ({ editable: isTrue(p.editable), field: String(p.field), readable: isTrue(p.readable) }));
    const permissionSet = {
      fullName: INTEGRATION_PERMISSION_SET,
      description: current?.description ?? INTEGRATION_PERMISSION_SET_DESCRIPTION,
      fieldPermissions: [
        ...CONTRACT_FIELDS.map((f) => ({ editable: true, field: fullNameOf(f), readable: true })),
        ...others,
      ],
      hasActivationRequired: false,
      label: current?.label ?? INTEGRATION_PERMISSION_SET_LABEL,
    };
    upsertCalls = (
      await upsertComponents(sf, caller, 'PermissionSet', [permissionSet], 'save the permission set')
    ).calls;
  }

  const found = await caller.call(async () =>
    sf.conn.query<{ Id: string }>(
      `SELECT Id FROM PermissionSet WHERE Name = ${soqlText(INTEGRATION_PERMISSION_SET)}`,
    ),
  );
  const permissionSetId = found.records[0]?.Id;
  if (permissionSetId === undefined)
    throw new SalesforceMetadataError('find the saved permission set', [
      {
        fullName: INTEGRATION_PERMISSION_SET,
        statusCode: 'NOT_FOUND',
        message: 'the PermissionSet query found no record after the upsert',
      },
    ]);
  const userId = await integrationUserId(sf, caller);
  const assigned = await caller.call(async () =>
    sf.conn.query<{ Id: string }>(
      `SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = ${soqlText(permissionSetId)} ` +
        `AND AssigneeId = ${soqlText(userId)}`,
    ),
  );
  if (assigned.records.length > 0) return { permissionSetSaved, assignmentCreated: false, upsertCalls };
  try {
    await caller.call(() =>
      sf.conn
        .sobject('PermissionSetAssignment')
        .create({ AssigneeId: userId, PermissionSetId: permissionSetId }),
    );
  } catch (error) {
    // Assigned meanwhile (or the query missed it): the assignment exists, which is what was wanted.
    if (error instanceof SalesforceRequestError && error.errorCode === 'DUPLICATE_VALUE')
      return { permissionSetSaved, assignmentCreated: false, upsertCalls };
    throw error;
  }
  return { permissionSetSaved, assignmentCreated: true, upsertCalls };
}
