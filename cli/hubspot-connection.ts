/**
 * The connection options `crm-clv sync` and `crm-clv writeback` share: token, base URL, portal, account kind.
 * The token comes from HUBSPOT_ACCESS_TOKEN or --token and is never printed.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { createHubSpotConnection, type HubSpotConnection } from '../connectors/hubspot/create-client';
import { CliOptionError } from './errors';

export const HubSpotConnectionOptions = z.object({
  crm: z.enum(['hubspot'], { message: "--crm must be 'hubspot' (Salesforce comes later)" }),
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
    .requiredOption('--crm <crm>', 'hubspot')
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
  return `hubspot-${opts.portalId}`;
}

export function connectHubSpot(opts: HubSpotConnectionValues): HubSpotConnection {
  if (!opts.token) throw new CliOptionError('no HubSpot token: set HUBSPOT_ACCESS_TOKEN or pass --token');
  return createHubSpotConnection({
    accessToken: opts.token,
    baseUrl: opts.baseUrl,
    account: opts.auth === 'oauth' ? { auth: 'oauth' } : { auth: 'private', tier: opts.tier },
  });
}
