/**
 * `crm-clv lists sync --tenant T`: by hand, what the worker does after each write-back: one segment list per
 * behavioural segment, RFM segment, churn-risk band and retention arm, labelled `CLV · <segment>` and
 * filtered on the written CLV fields — a HubSpot contact list (Lists API v3), or a Salesforce Contact list
 * view (Metadata API ListView `Contact.CLV_<kind>_<value>`) — found by name, created once, put back when they
 * differ. For a Salesforce tenant it then keeps each retention program's Campaign of treated contacts
 * (`CLV retention · <program id>`). Exit code 1 when any list was skipped or a campaign member refused.
 */
import { Command } from 'commander';
import type { CrmAdapter } from '../../connectors/crm-adapter';
import { syncTenantRetentionCampaigns } from '../../worker/jobs/sync-retention-campaigns';
import { syncTenantSegmentLists } from '../../worker/jobs/sync-segment-lists';
import { FileRecordStore } from '../../worker/state';
import {
  connectHubSpotAdapter,
  HubSpotConnectionOptions,
  withEnvironmentDefaults,
} from '../hubspot-connection';
import {
  connectSalesforceAdapter,
  SalesforceConnectionOptions,
  salesforceDefaults,
  withSalesforceConnectionOptions,
} from '../salesforce-connection';
import { parseTenantOption } from '../tenant-option';

export class SegmentListsIncompleteError extends Error {
  readonly code = 'SEGMENT_LISTS_INCOMPLETE';
  constructor(message: string) {
    super(message);
    this.name = 'SegmentListsIncompleteError';
  }
}

async function syncLists(adapter: CrmAdapter, store: FileRecordStore): Promise<void> {
  const tenant = adapter.tenant;
  const result = await syncTenantSegmentLists({ adapter, store });
  if (result.status !== 'synced') throw new SegmentListsIncompleteError(result.reason);
  const what = adapter.crm === 'salesforce' ? 'list views' : 'lists';
  process.stdout.write(
    `Segment ${what} for ${tenant}: ${result.created} created, ${result.updated} updated, ` +
      `${result.unchanged} unchanged, ${result.skipped} skipped (${result.calls} API calls).\n`,
  );
  for (const list of result.lists)
    process.stdout.write(
      list.action === 'skipped'
        ? `  skipped  ${list.name}: ${list.reason}\n`
        : `  ${list.action.padEnd(9)}${list.name} (${adapter.crm === 'salesforce' ? 'view' : 'list'} ${list.listId})\n`,
    );
  const campaigns = await syncTenantRetentionCampaigns({ adapter, store });
  let refused = 0;
  if (campaigns.status === 'synced')
    for (const p of campaigns.programs) {
      refused += p.failed.length;
      process.stdout.write(
        `Retention campaign of ${p.programId}: ${p.campaign}${p.campaignId ? ` (${p.campaignId})` : ''}, ` +
          `${p.membersAdded} members added, ${p.alreadyMembers} already members, ${p.failed.length} refused.\n`,
      );
      for (const f of p.failed) process.stdout.write(`  refused  ${f.id}: ${f.reason}\n`);
    }
  if (result.skipped > 0)
    throw new SegmentListsIncompleteError(
      `${result.skipped} ${what} skipped (see above); run writeback, then lists sync again`,
    );
  if (refused > 0) throw new SegmentListsIncompleteError(`${refused} campaign members refused (see above)`);
}

export function listsCommand(): Command {
  const sync = withSalesforceConnectionOptions(
    new Command('sync')
      .description(
        "Create or update the CRM's segment lists (HubSpot lists, Salesforce list views) from the last score run.",
      )
      .requiredOption('--tenant <id>', 'tenant id, e.g. hubspot-1000 or salesforce-00D…')
      .option('--token <token>', 'access token (default: HUBSPOT_ACCESS_TOKEN or SALESFORCE_ACCESS_TOKEN)')
      .option(
        '--base-url <url>',
        'HubSpot API base URL, e.g. the sandbox (default: HubSpot; HUBSPOT_BASE_URL)',
      )
      .option('--data-dir <dir>', 'record store directory', 'data')
      .option('--auth <kind>', 'HubSpot: oauth | private; Salesforce: token | refresh | jwt', 'oauth')
      .option('--tier <tier>', 'private app account tier', 'starter'),
  ).action(async (raw: Record<string, unknown>, command: Command) => {
    const { crm, accountId } = parseTenantOption(raw.tenant);
    if (crm === 'salesforce') {
      const fromDefault = command.getOptionValueSource('auth') === 'default';
      const opts = SalesforceConnectionOptions.parse(
        salesforceDefaults({ ...raw, crm, orgId: accountId }, fromDefault),
      );
      const adapter = await connectSalesforceAdapter(opts);
      try {
        await syncLists(adapter, new FileRecordStore(opts.dataDir));
      } finally {
        adapter.close();
      }
      return;
    }
    const opts = HubSpotConnectionOptions.parse(
      withEnvironmentDefaults({ ...raw, crm, portalId: accountId }),
    );
    const adapter = await connectHubSpotAdapter(opts);
    try {
      await syncLists(adapter, new FileRecordStore(opts.dataDir));
    } finally {
      adapter.close();
    }
  });
  return new Command('lists').description('Segment lists in the CRM.').addCommand(sync.exitOverride());
}
