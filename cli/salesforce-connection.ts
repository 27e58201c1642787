/**
 * The Salesforce connection options `crm-clv sync|writeback --crm salesforce` share, and `tenant add --crm
 * salesforce` registers: the instance URL and an access token (SALESFORCE_INSTANCE_URL,
 * SALESFORCE_ACCESS_TOKEN), or a connected app's refresh token (--auth refresh: SALESFORCE_CLIENT_ID,
 * SALESFORCE_CLIENT_SECRET, SALESFORCE_REFRESH_TOKEN) or JWT bearer key (--auth jwt: SALESFORCE_CLIENT_ID,
 * SALESFORCE_USERNAME, SALESFORCE_PRIVATE_KEY_FILE). Secrets come from the environment (or --token); they are
 * never printed.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { connectSalesforce } from '../connectors/salesforce/create-connection';
import {
  createSalesforceAdapter,
  type SalesforceAdapter,
  type SalesforceBulkOptions,
} from '../connectors/salesforce/salesforce-adapter';
import type { FieldsMode } from '../connectors/salesforce/writeback/ensure-fields';
import { crmTenantId } from '../domain/tenant';
import { salesforceAuthOf, type SalesforceSecret } from '../worker/tenants/salesforce-secret';
import { CliOptionError } from './errors';

const ORG_ID = /^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;

export const SalesforceConnectionOptions = z.object({
  crm: z.literal('salesforce'),
  instanceUrl: z.string().url('--instance-url must be a URL, e.g. https://acme.my.salesforce.com').optional(),
  orgId: z.string().regex(ORG_ID, '--org-id must be a Salesforce org id (00D…)').optional(),
  token: z.string().optional(),
  auth: z.enum(['token', 'refresh', 'jwt'], { message: "--auth must be 'token', 'refresh' or 'jwt'" }),
  clientId: z.string().optional(),
  username: z.string().optional(),
  privateKeyFile: z.string().optional(),
  loginUrl: z.string().url('--login-url must be a URL, e.g. https://login.salesforce.com').optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, '--currency must be an ISO code such as EUR')
    .optional(),
  dataDir: z.string().min(1),
});
export type SalesforceConnectionValues = z.infer<typeof SalesforceConnectionOptions>;

/** The Salesforce options, added to a command that may also take HubSpot's (`--auth` and `--token` shared). */
export function withSalesforceConnectionOptions(command: Command): Command {
  return command
    .option('--instance-url <url>', 'Salesforce: the org URL (default: SALESFORCE_INSTANCE_URL)')
    .option('--org-id <id>', 'Salesforce: the org id 00D…, the tenant (default: SALESFORCE_ORG_ID)')
    .option(
      '--client-id <id>',
      'Salesforce --auth refresh|jwt: connected app consumer key (SALESFORCE_CLIENT_ID)',
    )
    .option('--username <name>', 'Salesforce --auth jwt: the integration user (SALESFORCE_USERNAME)')
    .option(
      '--private-key-file <file>',
      'Salesforce --auth jwt: PEM key of the connected app certificate (SALESFORCE_PRIVATE_KEY_FILE)',
    )
    .option(
      '--login-url <url>',
      'Salesforce --auth refresh|jwt: token host (default: SALESFORCE_LOGIN_URL or https://login.salesforce.com)',
    )
    .option('--currency <code>', "Salesforce: the org's currency when it is single-currency");
}

/**
 * Raw commander options for Salesforce with the environment filled in. `--auth` defaults to token; the
 * HubSpot default ('oauth') of a shared option is not a Salesforce choice and is dropped.
 */
export function salesforceDefaults(
  raw: Record<string, unknown>,
  authFromDefault: boolean,
): Record<string, unknown> {
  const env = process.env;
  return {
    ...raw,
    auth: authFromDefault || raw.auth === undefined ? 'token' : raw.auth,
    instanceUrl: raw.instanceUrl ?? (env.SALESFORCE_INSTANCE_URL || undefined),
    orgId: raw.orgId ?? (env.SALESFORCE_ORG_ID || undefined),
    token: raw.token ?? (env.SALESFORCE_ACCESS_TOKEN || undefined),
    clientId: raw.clientId ?? (env.SALESFORCE_CLIENT_ID || undefined),
    username: raw.username ?? (env.SALESFORCE_USERNAME || undefined),
    privateKeyFile: raw.privateKeyFile ?? (env.SALESFORCE_PRIVATE_KEY_FILE || undefined),
    loginUrl: raw.loginUrl ?? (env.SALESFORCE_LOGIN_URL || undefined),
    currency: raw.currency ?? (env.SALESFORCE_CURRENCY || undefined),
  };
}

const need = (value: string | undefined, what: string): string => {
  if (value === undefined || value.trim() === '') throw new CliOptionError(`no ${what}`);
  return value.trim();
};

/** The credentials the options name, read from the environment and files; throws CliOptionError. */
export function salesforceSecretOf(opts: SalesforceConnectionValues): SalesforceSecret {
  if (opts.auth === 'token') {
    if (opts.instanceUrl === undefined)
      throw new CliOptionError(
        'no Salesforce instance URL: set SALESFORCE_INSTANCE_URL or pass --instance-url',
      );
    const accessToken = need(
      opts.token,
      'Salesforce access token: set SALESFORCE_ACCESS_TOKEN or pass --token',
    );
    if (/\s/.test(accessToken)) throw new CliOptionError('the token must not contain spaces or line breaks');
    return { kind: 'access-token', accessToken };
  }
  if (opts.token !== undefined && process.env.SALESFORCE_ACCESS_TOKEN !== opts.token)
    throw new CliOptionError(`--token is for --auth token; --auth ${opts.auth} gets its tokens itself`);
  const clientId = need(opts.clientId, 'connected app: set SALESFORCE_CLIENT_ID or pass --client-id');
  const loginUrl = opts.loginUrl;
  if (opts.auth === 'refresh')
    return {
      kind: 'refresh-token',
      clientId,
      clientSecret: need(process.env.SALESFORCE_CLIENT_SECRET, 'client secret: set SALESFORCE_CLIENT_SECRET'),
      refreshToken: need(process.env.SALESFORCE_REFRESH_TOKEN, 'refresh token: set SALESFORCE_REFRESH_TOKEN'),
      ...(loginUrl ? { loginUrl } : {}),
    };
  const file = need(
    opts.privateKeyFile,
    'private key: set SALESFORCE_PRIVATE_KEY_FILE or pass --private-key-file',
  );
  let privateKey: string;
  try {
    privateKey = readFileSync(file, 'utf8');
  } catch {
    throw new CliOptionError(`the private key file ${file} cannot be read`);
  }
  return {
    kind: 'jwt',
    clientId,
    username: need(opts.username, 'integration user: set SALESFORCE_USERNAME or pass --username'),
    privateKey,
    ...(loginUrl ? { loginUrl } : {}),
  };
}

/** The org's tenant id from --org-id / SALESFORCE_ORG_ID, or undefined until the connection names it. */
export function salesforceTenantOf(opts: SalesforceConnectionValues): string | undefined {
  return opts.orgId === undefined ? undefined : crmTenantId('salesforce', opts.orgId);
}

/**
 * The org behind the CRM adapter interface; close() it when done. The org id is --org-id, else the one the
 * token response names, else (a bare access token) the identity URL's organization_id.
 */
export async function connectSalesforceAdapter(
  opts: SalesforceConnectionValues,
  extra: { fields?: FieldsMode; bulk?: SalesforceBulkOptions } = {},
): Promise<SalesforceAdapter> {
  const sf = await connectSalesforce(salesforceAuthOf(salesforceSecretOf(opts), opts.instanceUrl));
  if (opts.orgId !== undefined && sf.orgId !== undefined && sf.orgId !== opts.orgId)
    throw new CliOptionError(
      `--org-id ${opts.orgId} is not the org these credentials log in to (${sf.orgId})`,
    );
  const orgId = opts.orgId ?? sf.orgId ?? (await sf.conn.identity()).organization_id;
  return createSalesforceAdapter({ connection: sf, orgId, defaultCurrency: opts.currency, ...extra });
}
