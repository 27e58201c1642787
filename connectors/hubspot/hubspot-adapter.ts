/**
 * HubSpot behind the CrmAdapter interface: reads through syncHubSpot, writes the property contract through
 * ensureClvProperties and writeChangedValues, creates owner tasks through the tasks object API (owner-tasks/),
 * all on one connection (one client and limiter set per account).
 */
import type { CrmAdapter, EnsureFieldsReport, LimitReport } from '../crm-adapter';
import { crmTenantId } from '../../domain/tenant';
import type { HubSpotConnection } from './create-client';
import type { RetryOptions } from './retry-policy';
import { syncHubSpot, type SyncSummary } from './sync';
import type { EnumerationDefinition } from './unknown-options';
import { createOwnerTasks, findOwnerTasks, readTaskContacts } from './owner-tasks';
import { ensureClvProperties, readWrittenValues, writeChangedValues } from './writeback';
import { syncSegmentLists } from './lists';

export type HubSpotAdapterOptions = {
  connection: HubSpotConnection;
  portalId: string | number;
  /** Currency of deals without deal_currency_code (the portal's company currency). */
  defaultCurrency?: string;
  retry?: Partial<RetryOptions>;
  /** Called by close(): e.g. stops an OAuth refresh timer. */
  onClose?: () => void;
};

export type HubSpotAdapter = CrmAdapter & {
  readonly connection: HubSpotConnection;
  readRecords: (...args: Parameters<CrmAdapter['readRecords']>) => Promise<SyncSummary>;
};

export function createHubSpotAdapter(options: HubSpotAdapterOptions): HubSpotAdapter {
  const { connection, retry } = options;
  const tenant = crmTenantId('hubspot', options.portalId);
  // The enumeration options ensureFields saw last: a value with no option fails its whole batch (NOTES §7),
  // so writeChanged holds such contacts back instead of sending them.
  let definitions: EnumerationDefinition[] | undefined;
  return {
    crm: 'hubspot',
    tenant,
    connection,
    readRecords: ({ mode, onProgress }, sink) =>
      syncHubSpot({
        connection,
        sink,
        tenant,
        mode,
        onProgress,
        retry,
        defaultCurrency: options.defaultCurrency,
      }),
    async ensureFields({ segments, interests }): Promise<EnsureFieldsReport> {
      const ensured = await ensureClvProperties(connection, { segments, interests, retry });
      definitions = ensured.definitions;
      return ensured;
    },
    async readWritten(ids, fields) {
      return (await readWrittenValues(connection, ids, fields, retry)).values;
    },
    async writeChanged(input) {
      const written = await writeChangedValues(connection, {
        updates: input.values,
        lastWritten: input.lastWritten,
        definitions,
        onProgress: input.onProgress,
        onSending: input.onSending,
        onConfirmed: input.onConfirmed,
        retry,
      });
      const { contactsChanged, contactsWritten, ...rest } = written;
      return { ...rest, customersChanged: contactsChanged, customersWritten: contactsWritten };
    },
    ownerTasks: {
      readTaskContacts: async (ids) => (await readTaskContacts(connection, ids, retry)).contacts,
      findTasks: async (wanted) => (await findOwnerTasks(connection, wanted, retry)).found,
      createTasks: (input) => createOwnerTasks(connection, { ...input, retry }),
    },
    segmentLists: {
      sync: (segments) => syncSegmentLists(connection, { segments, retry }),
    },
    limits(): LimitReport {
      return (['general', 'search', 'associations'] as const).map((name) => ({
        name,
        ...connection.limiters[name].window,
      }));
    },
    close: () => options.onClose?.(),
  };
}
