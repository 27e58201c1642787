/**
 * `--tenant hubspot-1000` / `--tenant salesforce-00D…` for the report and lists commands: the tenant id
 * (domain/tenant.ts) names both the CRM and the account, so these commands need no `--crm` or `--portal-id`.
 */
import { parseCrmTenantId } from '../domain/tenant';
import type { Crm } from '../domain/tenant';
import { CliOptionError } from './errors';

export function parseTenantOption(tenant: unknown): { tenant: string; crm: Crm; accountId: string } {
  if (typeof tenant !== 'string' || tenant === '')
    throw new CliOptionError('--tenant is required, e.g. --tenant hubspot-1000');
  const parsed = parseCrmTenantId(tenant);
  if (parsed === undefined)
    throw new CliOptionError(
      `--tenant ${tenant} is not a tenant id: expected hubspot-<portal id> or salesforce-<org id>`,
    );
  return { tenant, ...parsed };
}
