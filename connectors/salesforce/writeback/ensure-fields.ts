/**
 * Makes sure Contact has the contract fields, visible and writable to the integration user (NOTES §2.4:
 * describe lists only fields the user can see, so a field without FLS counts as missing, NOTES §2.7).
 * `deploy` (the default): the Metadata API deployer (deploy-fields.ts) creates missing fields, adds the run's
 * picklist values and grants access, then describe confirms. `check`: describe only, for orgs where the
 * integration user may not modify metadata; missing fields are reported with what to deploy.
 */
import type { EnsureFieldsReport } from '../../crm-adapter';
import type { SalesforceConnection } from '../create-connection';
import { SalesforceFieldsMissingError } from '../errors';
import type { SalesforceCaller } from '../salesforce-caller';
import { CONTRACT_FIELDS, type ContractField } from './contract-fields';
import { deployFieldDefinitions, grantFieldAccess, type RunPicklistValues } from './deploy-fields';

/** `deploy`: create and grant through the Metadata API; `check`: describe only, report what is missing. */
export type FieldsMode = 'deploy' | 'check';

/** Restricted picklists: contract name → the values Salesforce accepts. Unrestricted ones take any value. */
export type PicklistValues = Map<string, ReadonlySet<string>>;

export type EnsuredFields = EnsureFieldsReport & {
  picklists: PicklistValues;
  /** Deploy mode: Metadata upsert calls, and whether the permission set was saved / assigned. */
  metadata?: { upsertCalls: number; permissionSetSaved: boolean; assignmentCreated: boolean };
};

type DescribedField = {
  name: string;
  updateable?: boolean;
  restrictedPicklist?: boolean;
  picklistValues?: { value: string; active?: boolean }[];
};

async function describeContact(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
): Promise<DescribedField[]> {
  // conn.describe is not cached (NOTES §2.4), so a re-check after a deploy sees the new fields.
  const result = await caller.call(() => sf.conn.describe('Contact'));
  return result.fields as unknown as DescribedField[];
}

function missingOf(described: readonly DescribedField[]): ContractField[] {
  const usable = new Set(described.filter((f) => f.updateable !== false).map((f) => f.name));
  return CONTRACT_FIELDS.filter((f) => !usable.has(f.field));
}

export async function ensureContractFields(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  run: RunPicklistValues = { segments: [] },
  mode: FieldsMode = 'deploy',
): Promise<EnsuredFields> {
  const callsBefore = caller.stats.calls;
  let described = await describeContact(sf, caller);
  let created: string[] = [];
  let optionsAdded: Record<string, string[]> = {};
  let metadata: EnsuredFields['metadata'];
  if (mode === 'deploy') {
    const deployed = await deployFieldDefinitions(sf, caller, run);
    created = deployed.created;
    optionsAdded = deployed.optionsAdded;
    metadata = { upsertCalls: deployed.upsertCalls, permissionSetSaved: false, assignmentCreated: false };
    // Access is granted when describe does not show every field writable: new fields, or fields without FLS.
    if (missingOf(described).length > 0 || created.length > 0) {
      const granted = await grantFieldAccess(sf, caller);
      metadata = {
        upsertCalls: metadata.upsertCalls + granted.upsertCalls,
        permissionSetSaved: granted.permissionSetSaved,
        assignmentCreated: granted.assignmentCreated,
      };
    }
    if (deployed.upserted.length > 0 || metadata.permissionSetSaved || metadata.assignmentCreated)
      described = await describeContact(sf, caller);
  }
  const missing = missingOf(described);
  if (missing.length > 0) throw new SalesforceFieldsMissingError(missing.map((f) => f.field));

  const byName = new Map(described.map((f) => [f.name, f]));
  const picklists: PicklistValues = new Map();
  for (const field of CONTRACT_FIELDS) {
    const d = byName.get(field.field);
    if (field.type !== 'Picklist' || d?.restrictedPicklist !== true) continue;
    picklists.set(
      field.name,
      new Set((d.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value)),
    );
  }
  return {
    created,
    existing: CONTRACT_FIELDS.map((f) => f.field).filter((name) => !created.includes(name)),
    optionsAdded,
    groupCreated: false,
    calls: caller.stats.calls - callsBefore,
    rateLimitWaits: 0,
    picklists,
    ...(metadata ? { metadata } : {}),
  };
}
