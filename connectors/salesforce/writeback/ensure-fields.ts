/**
 * Checks through describe which contract fields Contact has (NOTES §2.4: describe lists only fields the
 * integration user can see, so a field without FLS counts as missing, NOTES §2.7). Missing fields are handed to
 * a FieldDeployer when one is plugged in (Metadata API creation comes later), else reported with what to deploy.
 */
import type { EnsureFieldsReport } from '../../crm-adapter';
import type { SalesforceConnection } from '../create-connection';
import { SalesforceFieldsMissingError } from '../errors';
import type { SalesforceCaller } from '../salesforce-caller';
import { CONTRACT_FIELDS, type ContractField } from './contract-fields';

/** Creates missing contract fields (and grants access to them); returns the Contact fields it created. */
export type FieldDeployer = {
  deploy(missing: readonly ContractField[]): Promise<{ created: string[] }>;
};

/** Restricted picklists: contract name → the values Salesforce accepts. Unrestricted ones take any value. */
export type PicklistValues = Map<string, ReadonlySet<string>>;

export type EnsuredFields = EnsureFieldsReport & { picklists: PicklistValues };

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
  deployer?: FieldDeployer,
): Promise<EnsuredFields> {
  const callsBefore = caller.stats.calls;
  let described = await describeContact(sf, caller);
  let missing = missingOf(described);
  let created: string[] = [];
  if (missing.length > 0 && deployer !== undefined) {
    created = (await deployer.deploy(missing)).created;
    described = await describeContact(sf, caller);
    missing = missingOf(described);
  }
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
    optionsAdded: {},
    groupCreated: false,
    calls: caller.stats.calls - callsBefore,
    rateLimitWaits: 0,
    picklists,
  };
}
