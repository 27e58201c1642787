/**
 * One registered tenant as both registries store it: `{ version, connection, secret? }`, where `secret` is the
 * sealed token (secret-box.ts) and everything else is in the clear, so listing needs no key. Entries are
 * validated with zod when written and when read back; a problem is described by field and rule only, never
 * by the value found (a hand-edited entry may hold a token in the wrong field).
 */
import { z } from 'zod';
import { urlHasCredentials } from '../../connectors/hubspot/redact-url';
import { CRMS, crmTenantId, type TenantId } from '../../domain/tenant';
import { cronPattern } from './cron-pattern';
import {
  InvalidTenantConnectionError,
  TenantRegistryCorruptError,
  TenantSecretUnavailableError,
  TenantSecretUnreadableError,
} from './errors';
import { SecretBox, SecretBoxOpenError, sealedSecretSchema } from './secret-box';
import { TENANT_AUTHS, type TenantConnection, type TenantSettings } from './tenant-registry';

export const ACCOUNT_TIERS = ['free', 'starter', 'professional', 'enterprise'] as const;

/** Why a base URL cannot be registered, or undefined. Never repeats the URL (it may hold credentials). */
export function baseUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the base URL is not a URL (e.g. http://127.0.0.1:4010)';
  }
  if (urlHasCredentials(url) || parsed.username !== '' || parsed.password !== '')
    return (
      'the base URL must not carry credentials (user:password@host): they would be stored and shown in the clear; ' +
      'give the token with --token or HUBSPOT_ACCESS_TOKEN instead'
    );
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return 'the base URL must start with http:// or https://';
  if (parsed.search !== '' || parsed.hash !== '')
    return 'the base URL must not have a query or fragment (a key in ?hapikey= would be stored in the clear)';
  return undefined;
}

export const tenantScheduleSchema = z.object({
  syncEveryMinutes: z.number().int().min(1).max(1440),
  rescoreCron: cronPattern,
  retrainCron: cronPattern,
});

/** One row of a stored spend table; the file's own parser (acquisition-spend-file.ts) names bad lines first. */
const acquisitionSpendRow = z.object({
  channel: z.string().min(1),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
  spend: z.number().finite().nonnegative(),
});

export const tenantConnectionSchema = z
  .object({
    tenant: z.string().min(1),
    crm: z.enum(CRMS),
    accountId: z.string().min(1),
    baseUrl: z.string().optional(),
    auth: z.enum(TENANT_AUTHS),
    tier: z.enum(ACCOUNT_TIERS).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO currency code such as EUR')
      .optional(),
    bulkThreshold: z.number().int().nonnegative().optional(),
    schedule: tenantScheduleSchema,
    ownerTasks: z.object({ enabled: z.boolean() }).optional(),
    acquisitionSpend: z.array(acquisitionSpendRow).optional(),
    addedAt: z.string().datetime({ offset: true }),
  })
  .superRefine((connection, ctx) => {
    let expected: TenantId;
    try {
      expected = crmTenantId(connection.crm, connection.accountId);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['accountId'], message: `is not a ${connection.crm} account id` });
      return;
    }
    if ((connection.auth === 'refresh' || connection.auth === 'jwt') && connection.crm !== 'salesforce')
      ctx.addIssue({
        code: 'custom',
        path: ['auth'],
        message: `'${connection.auth}' is for Salesforce orgs only`,
      });
    if (connection.tenant !== expected)
      ctx.addIssue({
        code: 'custom',
        path: ['tenant'],
        message: `must be '${expected}', the tenant id of ${connection.crm} account ${connection.accountId}`,
      });
    const problem = connection.baseUrl === undefined ? undefined : baseUrlProblem(connection.baseUrl);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: problem });
  }) satisfies z.ZodType<TenantConnection, z.ZodTypeDef, unknown>;

export const ENTRY_VERSION = 1;

export const storedTenantSchema = z
  .object({
    version: z.literal(ENTRY_VERSION),
    connection: tenantConnectionSchema,
    secret: sealedSecretSchema.optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.connection.auth !== 'oauth' && entry.secret === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['secret'],
        message: `is missing for a tenant with auth ${entry.connection.auth}`,
      });
    if (entry.connection.auth === 'oauth' && entry.secret !== undefined)
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'must not be there for an OAuth tenant' });
  });
export type StoredTenant = z.infer<typeof storedTenantSchema>;

/** zod issues as "field: rule" sentences, without the values found. */
export function describeProblems(issues: readonly z.ZodIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      // zod's own message for an enum quotes the value received; name the allowed ones only.
      if (issue.code === 'invalid_enum_value')
        return `${field}must be one of ${issue.options.map((o) => `'${String(o)}'`).join(', ')}`;
      return `${field}${issue.message}`;
    })
    .join('; ');
}

/**
 * Turns connections into stored entries and back. The key is read (from CRM_CLV_TOKEN_KEY unless given) only
 * when a token is sealed or opened, so listing and removing work without it.
 */
export class TenantEntryCodec {
  private box: SecretBox | undefined;

  constructor(private readonly key?: Buffer) {}

  private secretBox(): SecretBox {
    this.box ??= new SecretBox(this.key);
    return this.box;
  }

  /** A validated entry for `connection`, its token sealed; throws InvalidTenantConnectionError. */
  encode(connection: TenantConnection, secret?: string): StoredTenant {
    const parsed = tenantConnectionSchema.safeParse(connection);
    if (!parsed.success)
      throw new InvalidTenantConnectionError(connection.tenant, describeProblems(parsed.error.issues));
    const valid = parsed.data;
    if (valid.auth === 'oauth') {
      if (secret !== undefined)
        throw new InvalidTenantConnectionError(
          valid.tenant,
          'an OAuth tenant takes no token (its tokens come from the app install)',
        );
      return { version: ENTRY_VERSION, connection: valid };
    }
    if (secret === undefined || secret.trim() === '')
      throw new InvalidTenantConnectionError(
        valid.tenant,
        `a tenant with auth ${valid.auth} needs its ${valid.auth === 'token' ? 'token' : 'credentials'}`,
      );
    return { version: ENTRY_VERSION, connection: valid, secret: this.secretBox().seal(valid.tenant, secret) };
  }

  /**
   * `entry` with settings changed and its sealed secret kept: the secret is bound to the tenant and its auth,
   * which settings do not touch. Throws InvalidTenantConnectionError when the result is not a valid connection.
   */
  withSettings(entry: StoredTenant, settings: TenantSettings): StoredTenant {
    const changed: Record<string, unknown> = { ...entry.connection };
    for (const [name, value] of Object.entries(settings)) {
      if (value === undefined) delete changed[name];
      else changed[name] = value;
    }
    const parsed = tenantConnectionSchema.safeParse(changed);
    if (!parsed.success)
      throw new InvalidTenantConnectionError(entry.connection.tenant, describeProblems(parsed.error.issues));
    return { ...entry, connection: parsed.data };
  }

  /** The entry stored under `tenant` at `where`, validated; throws TenantRegistryCorruptError naming it. */
  decode(tenant: TenantId, value: unknown, where: string): StoredTenant {
    const parsed = storedTenantSchema.safeParse(value);
    if (!parsed.success)
      throw new TenantRegistryCorruptError(tenant, where, describeProblems(parsed.error.issues));
    if (parsed.data.connection.tenant !== tenant)
      throw new TenantRegistryCorruptError(
        tenant,
        where,
        `connection.tenant: is '${parsed.data.connection.tenant}', not the tenant it is stored under`,
      );
    return parsed.data;
  }

  /** decode() of an entry's JSON text. */
  decodeText(tenant: TenantId, text: string, where: string): StoredTenant {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new TenantRegistryCorruptError(tenant, where, 'not JSON');
    }
    return this.decode(tenant, value, where);
  }

  /** The token of a decoded entry; throws TenantSecretUnavailableError or TenantSecretUnreadableError. */
  openSecret(entry: StoredTenant, where: string): string {
    const tenant = entry.connection.tenant;
    if (entry.connection.auth === 'oauth' || entry.secret === undefined)
      throw new TenantSecretUnavailableError(tenant);
    try {
      return this.secretBox().open(tenant, entry.secret);
    } catch (error) {
      if (error instanceof SecretBoxOpenError) throw new TenantSecretUnreadableError(tenant, where);
      throw error;
    }
  }
}
