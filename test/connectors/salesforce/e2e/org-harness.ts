/**
 * A seeded Salesforce sandbox on 127.0.0.1:0 with a write journal, and the connector's SalesforceAdapter on a
 * real jsforce connection to it (no stub in between). The org starts without the contract fields: the
 * adapter's ensureFields deploys them through the Metadata API, as against a fresh org. `predefinedFields`
 * defines them up front instead (an admin's deploy), for the adapter's check-only mode.
 */
import { connectSalesforce, type SalesforceAuth } from '../../../../connectors/salesforce/create-connection';
import {
  createSalesforceAdapter,
  type SalesforceAdapter,
  type SalesforceAdapterOptions,
} from '../../../../connectors/salesforce/salesforce-adapter';
import {
  createSalesforceSandbox,
  type JournalEntry,
  type RunningSandbox,
  type SalesforceSandbox,
  type SalesforceSandboxOptions,
} from '../../../../connectors/salesforce/sandbox';
import { defineContractFields } from './predefined-fields';

export const TOKEN = 'sandbox-token';
export const ORG_ID = '00D000000000001AAA';

/** One journal call = one accepted write request, with the records it saved. */
export type JournalCall = readonly JournalEntry[];

export type Org = {
  sandbox: SalesforceSandbox;
  server: RunningSandbox;
  journal: JournalCall[];
  /** `options` adds adapter options (bulk thresholds, polling). */
  adapter(auth?: SalesforceAuth, options?: Partial<SalesforceAdapterOptions>): Promise<SalesforceAdapter>;
  close(): Promise<void>;
};

export async function startOrg(
  overrides: Partial<SalesforceSandboxOptions> = {},
  { predefinedFields = false }: { predefinedFields?: boolean } = {},
): Promise<Org> {
  const journal: JournalCall[] = [];
  const sandbox = createSalesforceSandbox({
    token: TOKEN,
    orgId: ORG_ID,
    seed: 7,
    contacts: 300,
    journal: (entries) => void journal.push(entries),
    ...overrides,
  });
  if (predefinedFields) defineContractFields(sandbox);
  const server = await sandbox.listen(0);
  return {
    sandbox,
    server,
    journal,
    async adapter(auth, options) {
      const sf = await connectSalesforce(
        auth ?? { kind: 'access-token', instanceUrl: server.url, accessToken: TOKEN },
      );
      return createSalesforceAdapter({ connection: sf, orgId: ORG_ID, ...options });
    },
    close: () => server.close(),
  };
}

/** PATCH /composite/sobjects requests the journal saw (sObject Collections updates). */
export function collectionUpdates(journal: readonly JournalCall[]): JournalCall[] {
  return journal.filter((call) => call[0]?.method === 'PATCH' && /\/composite\/sobjects$/.test(call[0].path));
}
