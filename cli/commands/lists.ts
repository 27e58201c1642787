/**
 * `crm-clv lists sync --tenant T`: by hand, what the worker does after each write-back: one HubSpot contact
 * list per segment, RFM segment, churn-risk band and retention arm, named `CLV · <segment>`, filtered on the
 * written clv_* properties; found by name, created once, filters put back when they differ. Salesforce has
 * no such lists here (README, "Segment lists"). Exit code 1 when any list was skipped.
 */
import { Command } from 'commander';
import { syncTenantSegmentLists } from '../../worker/jobs/sync-segment-lists';
import { FileRecordStore } from '../../worker/state';
import {
  connectHubSpotAdapter,
  HubSpotConnectionOptions,
  withEnvironmentDefaults,
} from '../hubspot-connection';
import { parseTenantOption } from '../tenant-option';

export class SegmentListsIncompleteError extends Error {
  readonly code = 'SEGMENT_LISTS_INCOMPLETE';
  constructor(message: string) {
    super(message);
    this.name = 'SegmentListsIncompleteError';
  }
}

export function listsCommand(): Command {
  const sync = new Command('sync')
    .description("Create or update the CRM's segment lists (HubSpot: Lists API v3) from the last score run.")
    .requiredOption('--tenant <id>', 'tenant id, e.g. hubspot-1000')
    .option('--token <token>', 'access token (default: HUBSPOT_ACCESS_TOKEN)')
    .option('--base-url <url>', 'API base URL, e.g. the sandbox (default: HubSpot; HUBSPOT_BASE_URL)')
    .option('--data-dir <dir>', 'record store directory', 'data')
    .option('--auth <kind>', 'oauth | private', 'oauth')
    .option('--tier <tier>', 'private app account tier', 'starter')
    .action(async (raw: Record<string, unknown>) => {
      const { tenant, crm, accountId } = parseTenantOption(raw.tenant);
      if (crm !== 'hubspot') {
        process.stdout.write(
          `${tenant}: Salesforce segment lists are not created by crm-clv; filter a Contact list view on ` +
            'CLV_Segment__c, CLV_RFM_Segment__c, CLV_Churn_Risk__c or CLV_Retention_Group__c (README, "Segment lists").\n',
        );
        return;
      }
      const opts = HubSpotConnectionOptions.parse(
        withEnvironmentDefaults({ ...raw, crm, portalId: accountId }),
      );
      const store = new FileRecordStore(opts.dataDir);
      const adapter = await connectHubSpotAdapter(opts);
      try {
        const result = await syncTenantSegmentLists({ adapter, store });
        if (result.status !== 'synced') throw new SegmentListsIncompleteError(result.reason);
        process.stdout.write(
          `Segment lists for ${tenant}: ${result.created} created, ${result.updated} updated, ` +
            `${result.unchanged} unchanged, ${result.skipped} skipped (${result.calls} API calls).\n`,
        );
        for (const list of result.lists)
          process.stdout.write(
            list.action === 'skipped'
              ? `  skipped  ${list.name}: ${list.reason}\n`
              : `  ${list.action.padEnd(9)}${list.name} (list ${list.listId})\n`,
          );
        if (result.skipped > 0)
          throw new SegmentListsIncompleteError(
            `${result.skipped} lists skipped (see above); run writeback, then lists sync again`,
          );
      } finally {
        adapter.close();
      }
    });
  return new Command('lists').description('Segment lists in the CRM.').addCommand(sync.exitOverride());
}
