/**
 * `crm-clv sync --crm hubspot`: one full or incremental sync of a HubSpot portal into the file-backed store.
 * The token comes from HUBSPOT_ACCESS_TOKEN (or --token); it is never printed.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { syncHubSpot, type SyncSummary } from '../../connectors/hubspot/sync';
import { FileRecordStore } from '../../connectors/store';
import { CliOptionError } from '../errors';

const SyncOptions = z.object({
  crm: z.enum(['hubspot'], { message: "--crm must be 'hubspot' (Salesforce comes later)" }),
  token: z.string().optional(),
  baseUrl: z.string().url('base-url must be a URL, e.g. http://127.0.0.1:4010').optional(),
  portalId: z.string().regex(/^\d+$/, 'portal-id must be digits'),
  dataDir: z.string().min(1),
  mode: z.enum(['full', 'incremental']),
  auth: z.enum(['oauth', 'private']),
});

export function syncCommand(): Command {
  return new Command('sync')
    .description('Sync a CRM into the local record store (full, or incremental from the stored cursors).')
    .requiredOption('--crm <crm>', 'hubspot')
    .option('--token <token>', 'access token (default: HUBSPOT_ACCESS_TOKEN)')
    .option('--base-url <url>', 'API base URL, e.g. the sandbox (default: HubSpot; HUBSPOT_BASE_URL)')
    .option('--portal-id <id>', 'portal id, the tenant (default: HUBSPOT_PORTAL_ID or 1000)')
    .option('--data-dir <dir>', 'record store directory', 'data')
    .option('--mode <mode>', 'full | incremental', 'incremental')
    .option('--auth <kind>', 'oauth (110 requests/10 s) | private (100/10 s)', 'oauth')
    .action(async (raw: Record<string, unknown>) => {
      const opts = SyncOptions.parse({
        ...raw,
        token: raw.token ?? process.env.HUBSPOT_ACCESS_TOKEN,
        baseUrl: raw.baseUrl ?? process.env.HUBSPOT_BASE_URL,
        portalId: raw.portalId ?? process.env.HUBSPOT_PORTAL_ID ?? '1000',
      });
      if (!opts.token) {
        throw new CliOptionError('no HubSpot token: set HUBSPOT_ACCESS_TOKEN or pass --token');
      }
      const connection = createHubSpotConnection({
        accessToken: opts.token,
        baseUrl: opts.baseUrl,
        account: opts.auth === 'oauth' ? { auth: 'oauth' } : { auth: 'private', tier: 'professional' },
      });
      const summary = await syncHubSpot({
        connection,
        store: new FileRecordStore(opts.dataDir),
        tenant: `hubspot-${opts.portalId}`,
        mode: opts.mode,
      });
      process.stdout.write(renderSyncSummary(summary));
    });
}

function renderSyncSummary(s: SyncSummary): string {
  const lines = [`HubSpot ${s.mode} sync`, '  type           read  written  skipped'];
  for (const type of Object.keys(s.read) as (keyof SyncSummary['read'])[]) {
    lines.push(
      `  ${type.padEnd(12)} ${String(s.read[type]).padStart(6)} ${String(s.written[type]).padStart(8)} ${String(s.skipped[type].length).padStart(8)}`,
    );
  }
  lines.push(
    `  deals: ${s.deals.won} won, ${s.deals.lost} lost, ${s.deals.open} open`,
    `  API calls ${s.apiCalls}, rate-limit waits ${s.rateLimitWaits}`,
  );
  for (const [type, skipped] of Object.entries(s.skipped)) {
    for (const k of skipped.slice(0, 5)) lines.push(`  skipped ${type} ${k.id}: ${k.reason}`);
  }
  return lines.join('\n') + '\n';
}
