/**
 * `crm-clv sync --crm hubspot|salesforce`: one full or incremental sync of a HubSpot portal or a Salesforce org
 * into the file-backed store. The HubSpot token comes from HUBSPOT_ACCESS_TOKEN (or --token), Salesforce's
 * credentials from SALESFORCE_* (cli/salesforce-connection.ts); they are never printed. A second sync of the
 * same account into the same store stops while the first runs (a lock file next to the store,
 * cli/stage-lock.ts).
 */
import { Command } from 'commander';
import type { SalesforceSyncReport } from '../../connectors/salesforce/sync/sync-salesforce';
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
import {
  connectSalesforceAdapter,
  SalesforceConnectionOptions,
  salesforceDefaults,
  salesforceTenantOf,
  withSalesforceConnectionOptions,
} from '../salesforce-connection';
import { withStageLockFile } from '../stage-lock';

const Mode = { mode: z.enum(['full', 'incremental']) };
const SyncOptions = HubSpotConnectionOptions.extend(Mode);
const SalesforceSyncOptions = SalesforceConnectionOptions.extend({
  ...Mode,
  bulkThreshold: z.coerce
    .number({ message: '--bulk-threshold must be a number of rows' })
    .int('--bulk-threshold must be a whole number of rows')
    .nonnegative('--bulk-threshold must be 0 or more')
    .optional(),
});

export function syncCommand(): Command {
  return withSalesforceConnectionOptions(
    withHubSpotConnectionOptions(
      new Command('sync').description(
        'Sync a CRM into the local record store (full, or incremental from the stored cursors).',
      ),
    ),
  )
    .option('--mode <mode>', 'full | incremental', 'incremental')
    .option(
      '--bulk-threshold <rows>',
      'Salesforce: objects with more rows than this are read through Bulk API 2.0 query jobs (default 10000)',
    )
    .action(async (raw: Record<string, unknown>, command: Command) => {
      if (raw.crm === 'salesforce') {
        const fromDefault = command.getOptionValueSource('auth') === 'default';
        await syncSalesforce(SalesforceSyncOptions.parse(salesforceDefaults(raw, fromDefault)));
        return;
      }
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

async function syncSalesforce(opts: z.infer<typeof SalesforceSyncOptions>): Promise<void> {
  const adapter = await connectSalesforceAdapter(
    opts,
    opts.bulkThreshold === undefined ? {} : { bulk: { queryThreshold: opts.bulkThreshold } },
  );
  const tenant = salesforceTenantOf(opts) ?? adapter.tenant;
  const status = createStatusLine();
  try {
    const report = await withStageLockFile(opts.dataDir, tenant, 'sync', () =>
      syncTenant({
        adapter,
        store: new FileRecordStore(opts.dataDir),
        mode: opts.mode,
        onProgress: (p) => status.show(`  ${p.phase}: ${p.read.toLocaleString('en-US')} read`),
      }),
    );
    status.stop();
    process.stdout.write(renderSalesforceSummary(tenant, report));
  } finally {
    status.stop();
    adapter.close();
  }
}

function renderSalesforceSummary(tenant: string, s: SalesforceSyncReport): string {
  const lines = [`Salesforce ${s.mode} sync of ${tenant}`, '  object                    read  skipped'];
  for (const object of Object.keys(s.read) as (keyof SalesforceSyncReport['read'])[])
    lines.push(
      `  ${object.padEnd(22)} ${String(s.read[object]).padStart(7)} ${String(s.skipped[object].length).padStart(8)}`,
    );
  // Objects map to records many-to-many (an opportunity is a deal and, when won, an order).
  lines.push('  record                 written  removed');
  for (const type of Object.keys(s.written) as (keyof SalesforceSyncReport['written'])[])
    lines.push(
      `  ${type.padEnd(20)} ${String(s.written[type]).padStart(8)} ${String(s.removed[type]).padStart(8)}`,
    );
  const o = s.opportunities;
  const a = s.activities;
  lines.push(
    `  opportunities: ${o.won} won, ${o.refunded} refunded, ${o.lost} lost, ${o.open} open`,
    `  activities: ${a.email} emails, ${a.call} calls, ${a.meeting} meetings (${a.other} other tasks and events)`,
    `  API calls ${s.apiCalls}${s.multiCurrency ? '' : ' (single-currency org)'}`,
  );
  if (!s.campaigns)
    lines.push('  campaigns: not read (Opportunity has no CampaignId: no Campaigns, or no access)');
  const viaBulk = Object.entries(s.bulk?.readVia ?? {}).filter(([, via]) => via === 'bulk');
  if (viaBulk.length > 0)
    lines.push(
      `  read through Bulk API 2.0: ${viaBulk.map(([object]) => object).join(', ')} (${s.bulk.queryJobs} query jobs)`,
    );
  for (const [object, skipped] of Object.entries(s.skipped))
    for (const k of skipped.slice(0, 5)) lines.push(`  skipped ${object} ${k.id}: ${k.reason}`);
  return lines.join('\n') + '\n';
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
  for (const w of s.warnings) if (w.type === 'campaigns' && w.id === '(all)') lines.push(`  ${w.warning}`);
  for (const [type, skipped] of Object.entries(s.skipped)) {
    for (const k of skipped.slice(0, 5)) lines.push(`  skipped ${type} ${k.id}: ${k.reason}`);
  }
  return lines.join('\n') + '\n';
}
