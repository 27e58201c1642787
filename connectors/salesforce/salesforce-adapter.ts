/**
 * Salesforce behind the CrmAdapter interface (connectors/crm-adapter.ts): reads through syncSalesforce, writes
 * the property contract to Contact through ensureContractFields (which creates the fields through the Metadata
 * API unless `fields: 'check'`) and writeChangedFields, reads written values
 * back with readWrittenFields, keeps the `CLV · …` Contact list views (lists/sync-list-views.ts) and a Campaign
 * of the treated per retention program (campaigns/retention-campaigns.ts), all on one connection and one caller
 * (API-limit reserve, typed errors).
 * Tenant id: crmTenantId('salesforce', orgId).
 */
import type { CrmAdapter, LimitReport } from '../crm-adapter';
import { crmTenantId } from '../../domain/tenant';
import type { SalesforceConnection } from './create-connection';
import { syncRetentionCampaigns } from './campaigns/retention-campaigns';
import { syncListViews } from './lists/sync-list-views';
import { createCaller, type LimitPolicy } from './salesforce-caller';
import type { BulkQueryOptions } from './sync/run-context';
import { syncSalesforce, type SalesforceSyncReport } from './sync/sync-salesforce';
import { ensureContractFields, type FieldsMode, type PicklistValues } from './writeback/ensure-fields';
import { readWrittenFields } from './writeback/read-written';
import type { BulkWriteOptions } from './writeback/write-bulk';
import { writeChangedFields } from './writeback/write-changed';

/**
 * When Bulk API 2.0 takes over (NOTES §2.5, §2.6): reads of objects with more than `queryThreshold` rows
 * (default 10,000) and write-backs of more than `writeThreshold` changed contacts (default 2,000); polling
 * every `pollIntervalMs` (1 s) for at most `pollTimeoutMs` (10 min).
 */
export type SalesforceBulkOptions = BulkQueryOptions & BulkWriteOptions;

export type SalesforceAdapterOptions = {
  connection: SalesforceConnection;
  /** The org id (00D…); defaults to the one the token response named. */
  orgId?: string;
  /** Currency of opportunities in a single-currency org (the org's corporate currency). */
  defaultCurrency?: string;
  limits?: LimitPolicy;
  /**
   * `deploy` (default): ensureFields creates missing contract fields and picklist values through the Metadata
   * API and grants the integration user access (permission set CRM_CLV_Integration). `check`: describe only,
   * for orgs where the integration user may not modify metadata; missing fields fail with what to deploy.
   */
  fields?: FieldsMode;
  bulk?: SalesforceBulkOptions;
  onClose?: () => void;
};

/** A CrmAdapter whose reads report Salesforce's detail (opportunity outcomes, cursors, currency mode). */
export type SalesforceAdapter = Omit<CrmAdapter, 'readRecords'> & {
  readonly connection: SalesforceConnection;
  readRecords: (...args: Parameters<CrmAdapter['readRecords']>) => Promise<SalesforceSyncReport>;
};

export function createSalesforceAdapter(options: SalesforceAdapterOptions): SalesforceAdapter {
  const sf = options.connection;
  const orgId = options.orgId ?? sf.orgId;
  if (orgId === undefined)
    throw new RangeError(
      'the Salesforce org id is unknown: pass orgId (a bare access token does not name its org)',
    );
  const tenant = crmTenantId('salesforce', orgId);
  const caller = createCaller(sf, options.limits);
  // Restricted picklists ensureFields saw last: a value outside one fails its record, so it is held back.
  let picklists: PicklistValues | undefined;
  return {
    crm: 'salesforce',
    tenant,
    connection: sf,
    readRecords: ({ mode, onProgress }, sink) =>
      syncSalesforce({
        sf,
        caller,
        sink,
        tenant,
        mode,
        onProgress,
        defaultCurrency: options.defaultCurrency,
        bulk: options.bulk,
      }),
    async ensureFields({ segments, interests }) {
      const { picklists: seen, ...report } = await ensureContractFields(
        sf,
        caller,
        { segments, interests },
        options.fields ?? 'deploy',
      );
      picklists = seen;
      return report;
    },
    readWritten: (ids, fields) => readWrittenFields(sf, caller, ids, fields),
    writeChanged: (input) =>
      writeChangedFields(sf, caller, {
        values: input.values,
        lastWritten: input.lastWritten,
        picklists,
        onSending: input.onSending,
        onConfirmed: input.onConfirmed,
        onProgress: input.onProgress,
        bulk: options.bulk,
      }),
    segmentLists: { sync: (segments) => syncListViews(sf, caller, segments) },
    retentionCampaigns: { sync: (programs) => syncRetentionCampaigns(sf, caller, programs) },
    limits(): LimitReport {
      const usage = sf.conn.limitInfo?.apiUsage;
      return usage === undefined
        ? []
        : [{ name: 'daily-api-requests', limit: usage.limit, windowMs: 86_400_000 }];
    },
    close: () => options.onClose?.(),
  };
}
