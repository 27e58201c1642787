/**
 * The CRM accounts the worker keeps fresh. A tenant's connection secret (a private-app token) is stored
 * encrypted under CRM_CLV_TOKEN_KEY and handed out only to build its adapter; listings never carry it.
 */
import type { Crm, TenantId } from '../../domain/tenant';
import type { AcquisitionSpend } from '../analytics/performance';

export type TenantSchedule = {
  /** Incremental sync every N minutes (default 15). */
  syncEveryMinutes: number;
  /** Cron pattern of the nightly rescoring (default '0 2 * * *', UTC). */
  rescoreCron: string;
  /** Cron pattern of the weekly retraining (default '0 3 * * 0', UTC). */
  retrainCron: string;
};

/** How a tenant authenticates; every kind but 'oauth' keeps a sealed secret in the registry. */
export const TENANT_AUTHS = ['token', 'oauth', 'refresh', 'jwt'] as const;
export type TenantAuth = (typeof TENANT_AUTHS)[number];

export type TenantConnection = {
  tenant: TenantId;
  crm: Crm;
  accountId: string;
  /** The API's base URL when not the CRM's own (the sandbox). Credentials in it are refused at registration. */
  baseUrl?: string;
  /**
   * 'token': a stored private-app (or sandbox) token, or a Salesforce access token; 'oauth': the installed
   * app's stored OAuth tokens (HubSpot); 'refresh' / 'jwt': a Salesforce connected app's refresh token or
   * JWT bearer key, stored sealed with the rest of its credentials (salesforce-secret.ts).
   */
  auth: TenantAuth;
  /** Private-app account tier, for the limiter (HubSpot: starter 100 / professional+ 190 per 10 s). */
  tier?: 'free' | 'starter' | 'professional' | 'enterprise';
  /** Salesforce: the org's currency when it is single-currency (Opportunity then has no CurrencyIsoCode). */
  currency?: string;
  /** Salesforce: objects with more rows than this are synced through Bulk API 2.0 query jobs (default 10,000). */
  bulkThreshold?: number;
  schedule: TenantSchedule;
  /**
   * Write-back also creates a task for the contact's owner when a top-fifth-CLV customer turns high risk
   * (worker/jobs/owner-tasks.ts); off when absent. `crm-clv tenant add --owner-tasks` turns it on.
   */
  ownerTasks?: { enabled: boolean };
  /**
   * The tenant's acquisition spend per channel and month (`crm-clv tenant spend`, the CSV of
   * worker/pipeline/acquisition-spend-file.ts): the worker's sales-performance report gives channels CAC,
   * CLV:CAC and payback from it; absent, channels have CLV only.
   */
  acquisitionSpend?: AcquisitionSpend[];
  addedAt: string;
};

/** The settings a registered tenant can change without its credentials being given again. */
export type TenantSettings = Pick<TenantConnection, 'acquisitionSpend'>;

/**
 * Implemented by FileTenantRegistry (one-off CLI runs) and RedisTenantRegistry (the worker); openTenantRegistry
 * picks one. Entries read back are validated: a bad one throws TenantRegistryCorruptError naming the tenant.
 */
export interface TenantRegistry {
  /**
   * Adds or replaces a tenant; `secret` (the token) is stored encrypted, never in the clear. Auth 'token' needs
   * a secret, 'oauth' takes none; a connection that is not valid (tenant id not `crmTenantId(crm, accountId)`,
   * credentials in the base URL, a bad cron pattern) throws InvalidTenantConnectionError and stores nothing.
   */
  put(connection: TenantConnection, secret?: string): Promise<void>;
  get(tenant: TenantId): Promise<TenantConnection | undefined>;
  /** Every tenant, by tenant id. */
  list(): Promise<TenantConnection[]>;
  /**
   * The decrypted token of a tenant with auth 'token'; throws a typed error naming the tenant otherwise
   * (TenantNotFoundError, TenantSecretUnavailableError, TenantSecretUnreadableError).
   */
  secret(tenant: TenantId): Promise<string>;
  /** True when the tenant was there. */
  remove(tenant: TenantId): Promise<boolean>;
  /**
   * Sets (or with `undefined` values, removes) settings of a registered tenant, its sealed secret kept as it is
   * (no key needed); returns the connection now stored. TenantNotFoundError when it is not registered,
   * InvalidTenantConnectionError (nothing stored) when a setting is not valid.
   */
  updateSettings(tenant: TenantId, settings: TenantSettings): Promise<TenantConnection>;
}

export const DEFAULT_SCHEDULE: TenantSchedule = {
  syncEveryMinutes: 15,
  rescoreCron: '0 2 * * *',
  retrainCron: '0 3 * * 0',
};
