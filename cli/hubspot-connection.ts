/**
 * The connection options `crm-clv sync` and `crm-clv writeback` share: token, base URL, portal, account kind.
 * The token comes from HUBSPOT_ACCESS_TOKEN or --token; with --auth oauth and no token, from the portal's
 * encrypted OAuth tokens (written by the app install, refreshed here when they near expiry). Never printed.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { createHubSpotConnection, type HubSpotConnection } from '../connectors/hubspot/create-client';
import { createHubSpotAdapter, type HubSpotAdapter } from '../connectors/hubspot/hubspot-adapter';
import { crmTenantId } from '../domain/tenant';
import { createOAuthAccessTokens, OAuthConfigError, TokenKeyMissingError } from '../connectors/hubspot/oauth';
import { CliOptionError } from './errors';

export const HubSpotConnectionOptions = z.object({
  crm: z.enum(['hubspot'], { message: "--crm must be 'hubspot' or 'salesforce'" }),
  token: z.string().optional(),
  baseUrl: z.string().url('base-url must be a URL, e.g. http://127.0.0.1:4010').optional(),
  portalId: z.string().regex(/^\d+$/, 'portal-id must be digits'),
  dataDir: z.string().min(1),
  auth: z.enum(['oauth', 'private']),
  tier: z.enum(['free', 'starter', 'professional', 'enterprise']),
});
export type HubSpotConnectionValues = z.infer<typeof HubSpotConnectionOptions>;

export function withHubSpotConnectionOptions(command: Command): Command {
  return command
    .requiredOption('--crm <crm>', 'hubspot | salesforce')
    .option('--token <token>', 'access token (default: HUBSPOT_ACCESS_TOKEN)')
    .option('--base-url <url>', 'API base URL, e.g. the sandbox (default: HubSpot; HUBSPOT_BASE_URL)')
    .option('--portal-id <id>', 'portal id, the tenant (default: HUBSPOT_PORTAL_ID or 1000)')
    .option('--data-dir <dir>', 'record store directory', 'data')
    .option('--auth <kind>', 'oauth (110 requests/10 s) | private (private-app token, see --tier)', 'oauth')
    .option(
      '--tier <tier>',
      'private app account tier: free | starter (100/10 s) | professional | enterprise (190/10 s)',
      'starter',
    );
}

/** Raw commander options with the environment defaults filled in. */
export function withEnvironmentDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  return {
    ...raw,
    token: raw.token ?? process.env.HUBSPOT_ACCESS_TOKEN,
    baseUrl: raw.baseUrl ?? process.env.HUBSPOT_BASE_URL,
    portalId: raw.portalId ?? process.env.HUBSPOT_PORTAL_ID ?? '1000',
  };
}

export function tenantOf(opts: Pick<HubSpotConnectionValues, 'portalId'>): string {
  return crmTenantId('hubspot', opts.portalId);
}

/** The portal behind the CRM adapter interface the jobs speak; close() it when done. */
export async function connectHubSpotAdapter(opts: HubSpotConnectionValues): Promise<HubSpotAdapter> {
  const { connection, close } = await connectHubSpot(opts);
  return createHubSpotAdapter({ connection, portalId: opts.portalId, onClose: close });
}

/** How often a long OAuth run asks for a fresh access token (they live 30 minutes, NOTES §4.8). */
const TOKEN_CHECK_MS = 60_000;

type CliHubSpotConnection = { connection: HubSpotConnection; close(): void };

async function connectHubSpot(opts: HubSpotConnectionValues): Promise<CliHubSpotConnection> {
  const account =
    opts.auth === 'oauth' ? ({ auth: 'oauth' } as const) : { auth: 'private' as const, tier: opts.tier };
  if (opts.token) {
    const connection = createHubSpotConnection({ accessToken: opts.token, baseUrl: opts.baseUrl, account });
    return { connection, close: () => {} };
  }
  if (opts.auth !== 'oauth')
    throw new CliOptionError(
      'no HubSpot token: set HUBSPOT_ACCESS_TOKEN or pass --token (a private app token)',
    );
  let tokens: ReturnType<typeof createOAuthAccessTokens>;
  try {
    tokens = createOAuthAccessTokens({ dataDir: opts.dataDir, baseUrl: opts.baseUrl });
  } catch (error) {
    if (!(error instanceof TokenKeyMissingError || error instanceof OAuthConfigError)) throw error;
    // Most people without a token meant to pass one; say both ways in, then what the OAuth way lacks.
    throw new CliOptionError(
      `no HubSpot token: set HUBSPOT_ACCESS_TOKEN or pass --token, or use the installed app's OAuth tokens (${error.message})`,
    );
  }
  const connection = createHubSpotConnection({
    accessToken: await tokens.getAccessToken(opts.portalId),
    baseUrl: opts.baseUrl,
    account,
  });
  // The provider answers from its cache until the last 5 minutes, then refreshes once for all callers.
  const timer = setInterval(() => {
    tokens.getAccessToken(opts.portalId).then(
      (token) => connection.client.setAccessToken(token),
      () => {}, // the next API call fails with 401 and says so; a failed refresh here must not crash the run
    );
  }, TOKEN_CHECK_MS);
  timer.unref();
  return { connection, close: () => clearInterval(timer) };
}
