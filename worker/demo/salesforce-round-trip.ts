/**
 * The demo's second CRM: a Salesforce org served by the local Salesforce sandbox, seeded from the same demo
 * portal as the HubSpot part (same customers, orders and dates), synced into the same record store as its own
 * tenant `salesforce-<orgId>` through the real jsforce, scored, and written back to the Contact fields of the
 * property contract; then a second write-back to show that unchanged values cost no call, and the churn Flow's
 * Tasks. Nothing leaves the machine.
 */
import { join } from 'node:path';
import type { CrmAdapter } from '../../connectors/crm-adapter';
import { connectSalesforce } from '../../connectors/salesforce/create-connection';
import { createSalesforceAdapter } from '../../connectors/salesforce/salesforce-adapter';
import {
  createSalesforceSandbox,
  FLOW_TASK_SUBJECT,
  type RunningSandbox,
} from '../../connectors/salesforce/sandbox';
import type { SalesforceSyncReport } from '../../connectors/salesforce/sync/sync-salesforce';
import { syncTenant } from '../jobs/sync-tenant';
import { writeBackScores, type WriteBackResult } from '../jobs/write-back-scores';
import type { FileRecordStore } from '../state';
import { scoreDemoTenant, type RoundTripOptions } from './hubspot-round-trip';

export type SalesforceRoundTripOptions = Omit<RoundTripOptions, 'portalId' | 'port' | 'token'> & {
  /** DESIGN demo defaults: SALESFORCE_SANDBOX_PORT 4020 (0 = a free port), SALESFORCE_SANDBOX_ORG_ID. */
  port: number;
  token: string;
  orgId: string;
  /** The demo's record store (the HubSpot part's): the org is a second tenant in it. */
  store: FileRecordStore;
};

export type SalesforceRoundTripResult = {
  url: string;
  tenant: string;
  sync: SalesforceSyncReport;
  first: WriteBackResult;
  second: WriteBackResult;
  /** Tasks the org's churn Flow created for contacts whose CLV_Churn_Risk__c turned high. */
  flowTasks: number;
  example?: { id: string; fields: Record<string, unknown> };
};

async function listen(
  sandbox: ReturnType<typeof createSalesforceSandbox>,
  port: number,
): Promise<RunningSandbox> {
  try {
    return await sandbox.listen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return sandbox.listen(0);
  }
}

export async function salesforceRoundTrip(
  options: SalesforceRoundTripOptions,
): Promise<SalesforceRoundTripResult> {
  const sandbox = createSalesforceSandbox({
    token: options.token,
    orgId: options.orgId,
    seed: options.seed,
    contacts: options.contacts,
  });
  // The org starts without the contract fields: the adapter's ensureFields creates them through the Metadata
  // API and grants the integration user access (permission set CRM_CLV_Integration), as in a real org.
  const running = await listen(sandbox, options.port);
  const connect = async (): Promise<CrmAdapter> =>
    createSalesforceAdapter({
      connection: await connectSalesforce({
        kind: 'access-token',
        instanceUrl: running.url,
        accessToken: options.token,
      }),
      orgId: options.orgId,
    });
  try {
    const adapter = createSalesforceAdapter({
      connection: await connectSalesforce({
        kind: 'access-token',
        instanceUrl: running.url,
        accessToken: options.token,
      }),
      orgId: options.orgId,
    });
    const { store } = options;
    const tenant = adapter.tenant;
    options.log(`Salesforce sandbox for org ${options.orgId} on ${running.url}: syncing…`);
    const sync = await syncTenant({ adapter, store, mode: 'full' });
    await scoreDemoTenant(options, store, tenant, join(options.out, 'salesforce'));
    const first = await writeBackScores({ adapter, store });
    const second = await writeBackScores({ adapter, store });
    const contacts = [...sandbox.store.records.get('Contact')!.values()];
    const high = contacts.find((c) => c.CLV_Churn_Risk__c === 'high' && c.CLV_Segment__c);
    const flowTasks = [...sandbox.store.records.get('Task')!.values()].filter(
      (t) => t.Subject === FLOW_TASK_SUBJECT,
    ).length;
    await options.whileRunning?.({ url: running.url, tenant, store, adapter: connect });
    return {
      url: running.url,
      tenant,
      sync,
      first,
      second,
      flowTasks,
      example: high && {
        id: high.Id,
        fields: Object.fromEntries(Object.entries(high).filter(([name]) => name.startsWith('CLV_'))),
      },
    };
  } finally {
    await running.close();
  }
}
