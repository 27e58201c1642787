/** A registered tenant's CRM adapter, connected with its stored secret and sized for its account's limits. */
import type { CallLimiterFactory } from '../../connectors/call-limiter';
import type { CrmAdapter } from '../../connectors/crm-adapter';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import type { AccountLimits } from '../../connectors/hubspot/rate-limiter';
import { connectSalesforce } from '../../connectors/salesforce/create-connection';
import { createSalesforceAdapter } from '../../connectors/salesforce/salesforce-adapter';
import { CrmClvError } from '../../domain/errors';
import type { TenantId } from '../../domain/tenant';
import { decodeSalesforceSecret, encodeSalesforceSecret, salesforceAuthOf } from './salesforce-secret';
import type { TenantConnection, TenantRegistry } from './tenant-registry';

export class TenantNotRegisteredError extends CrmClvError<'INVALID_OPTION'> {
  constructor(tenant: TenantId) {
    super(
      'INVALID_OPTION',
      `${tenant} is not registered: add it with 'crm-clv tenant add --crm hubspot --portal-id …' ` +
        "(or '--crm salesforce --org-id …')",
    );
  }
}

function accountLimits(connection: TenantConnection): AccountLimits {
  return connection.auth === 'oauth'
    ? { auth: 'oauth' }
    : { auth: 'private', tier: connection.tier ?? 'starter' };
}

export type AdapterOptions = {
  /** Where the account's rate-limit counts live: Redis in a worker, so every process shares them. */
  limiterFactory?: CallLimiterFactory;
};

export async function adapterForTenant(
  registry: TenantRegistry,
  tenant: TenantId,
  options: AdapterOptions = {},
): Promise<CrmAdapter> {
  const connection = await registry.get(tenant);
  if (connection === undefined) throw new TenantNotRegisteredError(tenant);
  if (connection.crm === 'salesforce') return salesforceAdapter(registry, connection);
  if (connection.auth === 'oauth')
    throw new CrmClvError(
      'INVALID_OPTION',
      `${tenant} uses OAuth: the worker runs tenants with a stored token for now; register it with --token`,
    );
  const hubspot = createHubSpotConnection({
    accessToken: await registry.secret(tenant),
    baseUrl: connection.baseUrl,
    account: accountLimits(connection),
    limiterFactory: options.limiterFactory,
  });
  return createHubSpotAdapter({ connection: hubspot, portalId: connection.accountId });
}

/**
 * A Salesforce org's adapter on a fresh jsforce connection (connectors/salesforce): the stored access token, or
 * the connected app's refresh token or JWT key. A refresh token Salesforce rotates is sealed back into the
 * registry at once, so the next run does not present a revoked one.
 */
async function salesforceAdapter(
  registry: TenantRegistry,
  connection: TenantConnection,
): Promise<CrmAdapter> {
  const secret = decodeSalesforceSecret(await registry.secret(connection.tenant));
  const sf = await connectSalesforce(salesforceAuthOf(secret, connection.baseUrl), {
    onTokens: async (tokens) => {
      if (secret.kind !== 'refresh-token' || tokens.refreshToken === undefined) return;
      if (tokens.refreshToken === secret.refreshToken) return;
      secret.refreshToken = tokens.refreshToken;
      await registry.put(connection, encodeSalesforceSecret(secret));
    },
  });
  return createSalesforceAdapter({
    connection: sf,
    orgId: connection.accountId,
    defaultCurrency: connection.currency,
    ...(connection.bulkThreshold === undefined ? {} : { bulk: { queryThreshold: connection.bulkThreshold } }),
  });
}
