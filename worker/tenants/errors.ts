/**
 * Typed failures of the tenant registry, each naming the tenant it is about. None ever carries a token, a key
 * or a stored value: messages are built from the tenant id, where it is stored and our own words, and no
 * `cause` is attached (a crypto or zod error could be logged whole).
 */
import { CrmClvError } from '../../domain/errors';
import type { TenantId } from '../../domain/tenant';

/** No tenant by that id is registered. */
export class TenantNotFoundError extends CrmClvError<'TENANT_NOT_FOUND'> {
  constructor(
    readonly tenant: TenantId,
    where: string,
  ) {
    super(
      'TENANT_NOT_FOUND',
      `No tenant '${tenant}' is registered in ${where}; \`crm-clv tenant list\` shows them.`,
    );
  }
}

/** A connection that cannot be registered (bad base URL, tenant id not matching its account, bad schedule). */
export class InvalidTenantConnectionError extends CrmClvError<'TENANT_INVALID'> {
  constructor(
    readonly tenant: TenantId,
    problems: string,
  ) {
    super('TENANT_INVALID', `Tenant '${tenant}' cannot be registered: ${problems}.`);
  }
}

/** The tenant has no stored token: it authenticates with the installed app's OAuth tokens instead. */
export class TenantSecretUnavailableError extends CrmClvError<'TENANT_SECRET_UNAVAILABLE'> {
  constructor(readonly tenant: TenantId) {
    super(
      'TENANT_SECRET_UNAVAILABLE',
      `Tenant '${tenant}' uses OAuth: its tokens come from the app install, not from the tenant registry.`,
    );
  }
}

/**
 * A stored token failed authentication: written under another CRM_CLV_TOKEN_KEY, changed, or copied from
 * another tenant's entry (the tenant id is authenticated with it).
 */
export class TenantSecretUnreadableError extends CrmClvError<'TENANT_SECRET_UNREADABLE'> {
  constructor(
    readonly tenant: TenantId,
    where: string,
  ) {
    super(
      'TENANT_SECRET_UNREADABLE',
      `The stored token of tenant '${tenant}' in ${where} cannot be decrypted: it was written with another ` +
        `CRM_CLV_TOKEN_KEY, changed, or belongs to another tenant; restore the key it was written with, or ` +
        `register the tenant again with its token (crm-clv tenant add).`,
    );
  }
}

/** A registry entry (or the whole registry file) is not what the registry writes. */
export class TenantRegistryCorruptError extends CrmClvError<'TENANT_REGISTRY_CORRUPT'> {
  /** `tenant`: the entry at fault, or undefined when the whole registry cannot be read. */
  constructor(
    readonly tenant: TenantId | undefined,
    where: string,
    problem: string,
  ) {
    super(
      'TENANT_REGISTRY_CORRUPT',
      tenant === undefined
        ? `The tenant registry ${where} is unreadable (${problem}); restore it from a backup or delete it and add the tenants again.`
        : `The entry of tenant '${tenant}' in ${where} is invalid (${problem}); remove it (crm-clv tenant remove --tenant ${tenant}) and add the tenant again.`,
    );
  }
}

/** REDIS_URL is set but Redis does not answer in time, cannot be reached, or refuses the connection. */
export class TenantRegistryUnavailableError extends CrmClvError<'TENANT_REGISTRY_UNAVAILABLE'> {
  /** `where`: the URL without credentials; `reason`: e.g. "did not answer within 2 s". */
  constructor(where: string, reason: string) {
    super(
      'TENANT_REGISTRY_UNAVAILABLE',
      `Redis at ${where} (REDIS_URL) ${reason}; start it, fix REDIS_URL, ` +
        'or unset REDIS_URL to use the file registry under --data-dir.',
    );
  }
}

/** REDIS_URL is not a redis:// or rediss:// URL (its text is not repeated: it may hold a password). */
export class RedisUrlError extends CrmClvError<'INVALID_OPTION'> {
  constructor() {
    super('INVALID_OPTION', 'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379.');
  }
}
