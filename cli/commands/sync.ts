/**
 * `crm-clv sync --crm hubspot`: one full or incremental sync of a HubSpot portal into the file-backed store.
 * The token comes from HUBSPOT_ACCESS_TOKEN (or --token); it is never printed. A second sync of the same portal
 * into the same store stops while the first runs (a lock file next to the store, cli/stage-lock.ts).
 */
import { Command } from 'commander';
import { z } from 'zod';
import type { SyncSummary } from '../../connectors/hubspot/sync';
import { syncTenant } from '../../worker/jobs/sync-tenant';
import { FileRecordStore } from '../../worker/state';
import {
  connectHubSpotAdapter,
  HubSpotConnectionOptions,
  withEnvironmentDefaults,
  tenantOf,
  withHubSpotConnectionOptions,
} from '../hubspot-connection';
import { createStatusLine } from '../progress';
import { withStageLockFile } from '../stage-lock';

const SyncOptions = HubSpotConnectionOptions.extend({ mode: z.enum(['full', 'incremental']) });

export function syncCommand(): Command {
  return withHubSpotConnectionOptions(
    new Command('sync').description(
      'Sync a CRM into the local record store (full, or incremental from the stored cursors).',
    ),
  )
    .option('--mode <mode>', 'full | incremental', 'incremental')
    .action(async (raw: Record<string, unknown>) => {
      const opts = SyncOptions.parse(withEnvironmentDefaults(raw));
      const summary = await withStageLockFile(opts.dataDir, tenantOf(opts), 'sync', async () => {
        const adapter = await connectHubSpotAdapter(opts);
        const status = createStatusLine();
        try {
          return await syncTenant({
            adapter,
            store: new FileRecordStore(opts.dataDir),
            mode: opts.mode,
            onProgress: (p) => status.show(`  ${p.phase}: ${p.read.toLocaleString('en-US')} read`),
          });
        } finally {
          status.stop();
          adapter.close();
        }
      });
      process.stdout.write(renderSyncSummary(summary));
    });
}

function renderSyncSummary(s: SyncSummary): string {
  const lines = [`HubSpot ${s.mode} sync`, '  type           read  written  skipped  removed'];
  for (const type of Object.keys(s.read) as (keyof SyncSummary['read'])[]) {
    lines.push(
      `  ${type.padEnd(12)} ${String(s.read[type]).padStart(6)} ${String(s.written[type]).padStart(8)} ${String(s.skipped[type].length).padStart(8)} ${String(s.removed[type]).padStart(8)}`,
    );
  }
  lines.push(
    `  deals: ${s.deals.won} won, ${s.deals.refunded} refunded, ${s.deals.lost} lost, ${s.deals.open} open`,
    `  API calls ${s.apiCalls}, 429 answers waited out ${s.rateLimitWaits}`,
  );
  for (const [type, skipped] of Object.entries(s.skipped)) {
    for (const k of skipped.slice(0, 5)) lines.push(`  skipped ${type} ${k.id}: ${k.reason}`);
  }
  return lines.join('\n') + '\n';
}
