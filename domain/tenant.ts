/**
 * Tenant ids: one per connected CRM account, `<crm>-<account>` (`hubspot-1000`, `salesforce-00D…`), or a
 * free name for CSV imports. Every store key, job id and token is scoped by one, so it is built in one place.
 */
import { TenantIdError } from './errors';

export const CRMS = ['hubspot', 'salesforce'] as const;
export type Crm = (typeof CRMS)[number];

export type TenantId = string;

/** The account part must be safe in file names, Redis keys and job ids: no separators, no `:`. */
const ACCOUNT = /^[A-Za-z0-9_-]{1,64}$/;

/** The tenant id of a CRM account. Example: crmTenantId('hubspot', 1000) → 'hubspot-1000'. */
export function crmTenantId(crm: Crm, accountId: string | number): TenantId {
  const account = String(accountId);
  if (!ACCOUNT.test(account))
    throw new TenantIdError(
      `${crm} account id '${account}' must be 1–64 letters, digits, '_' or '-' (a HubSpot portal id is a number)`,
    );
  return `${crm}-${account}`;
}

/** The CRM and account of a tenant id, or undefined for a tenant that is not a CRM account (a CSV import). */
export function parseCrmTenantId(tenant: TenantId): { crm: Crm; accountId: string } | undefined {
  for (const crm of CRMS) {
    const prefix = `${crm}-`;
    if (tenant.startsWith(prefix) && ACCOUNT.test(tenant.slice(prefix.length)))
      return { crm, accountId: tenant.slice(prefix.length) };
  }
  return undefined;
}

/**
 * A tenant id as a file name or a Redis key part: anything outside [A-Za-z0-9_-] is %-escaped (so `:` and `/`
 * from user data never split a key or a path; DESIGN, Ids).
 */
export function tenantKey(tenant: TenantId): string {
  if (tenant === '') throw new TenantIdError('a tenant id must not be empty');
  return tenant.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
