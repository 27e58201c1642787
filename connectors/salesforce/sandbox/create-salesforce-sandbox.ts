/**
 * A local Salesforce org for tests and the demo: an express app the unmodified jsforce 3.10.16 talks to with
 * `instanceUrl` / `loginUrl` pointing at it (NOTES §1.5), seeded from the same demo portal as the HubSpot
 * sandbox (seed-org.ts), with Salesforce's auth, limits and error shapes.
 *
 * @example
 * const sandbox = createSalesforceSandbox({ token: 't', orgId: '00D000000000001AAA', seed: 7, contacts: 500 });
 * const { url, close } = await sandbox.listen(0);
 * const conn = new jsforce.Connection({ instanceUrl: url, accessToken: 't', version: '62.0' });
 */

import express, { Router, type Express } from 'express';
import type { AddressInfo } from 'node:net';
import { createAutomation, type Automation, type AutomationOptions } from './automation';
import { bulkIngestRoutes } from './bulk-ingest-routes';
import { jobClock } from './bulk-jobs';
import { bulkQueryRoutes } from './bulk-query-routes';
import { recordExchanges, type ExchangeRecorder } from './exchange-recorder';
import { createFaults, faultMiddleware, type FaultOptions, type SandboxFaults } from './faults';
import { noJournal, type Journal } from './journal';
import { createTokenStore, type OAuthClient, type TokenStore } from './oauth-tokens';
import { ListViewModel } from './list-view-model';
import { listViewRoutes } from './list-view-routes';
import { MetadataModel } from './metadata-model';
import { metadataRoutes } from './metadata-routes';
import { identityRoute, orgRoutes } from './org-routes';
import { defineCustomField, type CustomFieldInput, type OrgStore } from './org-store';
import { queryRoutes } from './query-routes';
import { apiUsage, bearerAuth, errorHandler, notFoundRoute, type ApiUsage } from './request-guards';
import type { SandboxContext } from './sandbox-context';
import { seedOrg } from './seed-org';
import { sobjectRoutes } from './sobject-routes';

export type SalesforceSandboxOptions = {
  /** A bearer token the sandbox accepts from the start. */
  token: string;
  orgId: string;
  seed: number;
  contacts: number;
  /** End of the seeded history (ISO), as for the HubSpot sandbox. */
  observationEnd?: string;
  /** Connected apps for the token endpoint (refresh token, JWT bearer, client credentials). */
  oauthClients?: OAuthClient[];
  /** DailyApiRequests Max; default 15,000 (Developer Edition, NOTES §3.4). */
  dailyApiRequests?: number;
  faults?: FaultOptions;
  automation?: AutomationOptions;
  now?: () => number;
  journal?: Journal;
  /** Largest request body; default 1 MB (a full 200-record collection of our fields is ~100 KB). */
  maxBodyBytes?: number;
  /** Bulk API 2.0: time a job spends in each of UploadComplete and InProgress; default 100 ms. */
  bulkDelayMs?: number;
  /** Bulk API 2.0 query: rows per result page when the client gives no maxRecords; default 50,000. */
  bulkQueryPageSize?: number;
  /** Contract tests: every request as sent, with its answer (exchange-recorder.ts). */
  recorder?: ExchangeRecorder;
};

export type RunningSandbox = { url: string; port: number; close(): Promise<void> };

export type SalesforceSandbox = {
  app: Express;
  store: OrgStore;
  faults: SandboxFaults;
  automation: Automation;
  tokens: TokenStore;
  /** DailyApiRequests: `used` may be set by tests. */
  usage: ApiUsage;
  /** CustomField / PermissionSet metadata and field-level security (metadata-model.ts). */
  metadata: MetadataModel;
  /** ListView metadata and what each view shows (list-view-model.ts). */
  listViews: ListViewModel;
  defineCustomField(object: string, field: CustomFieldInput): void;
  /** Listens on 127.0.0.1 only; port 0 picks a free port. The instance URL is known from then on. */
  listen(port: number): Promise<RunningSandbox>;
};

export function createSalesforceSandbox(options: SalesforceSandboxOptions): SalesforceSandbox {
  const now = options.now ?? Date.now;
  const store = seedOrg({
    orgId: options.orgId,
    seed: options.seed,
    contacts: options.contacts,
    observationEnd: options.observationEnd,
  });
  const faults = createFaults(options.faults);
  const automation = createAutomation(options.automation);
  const usage: ApiUsage = { used: 0, max: options.dailyApiRequests ?? 15_000 };
  const ctx: SandboxContext = { store, now, journal: options.journal ?? noJournal, automation };
  let baseUrl = 'http://127.0.0.1';
  const instanceUrl = () => baseUrl;
  const tokens = createTokenStore({
    orgId: options.orgId,
    userId: () => store.apiUserId,
    usernames: () => [...store.records.get('User')!.values()].map((u) => String(u.Username)),
    instanceUrl,
    staticToken: options.token,
    clients: options.oauthClients ?? [],
    now,
  });

  const metadata = new MetadataModel(store, now);
  const listViews = new ListViewModel(store);
  // Every org has the standard view of all contacts; deployed views sit beside it.
  listViews.define({
    fullName: 'Contact.AllContacts',
    label: 'All Contacts',
    filterScope: 'Everything',
    filters: [],
    columns: ['FULL_NAME', 'ACCOUNT.NAME', 'CONTACT.EMAIL'],
  });
  const clock = jobClock(options.bulkDelayMs ?? 100);
  const syncFieldSecurity = () => metadata.sync();

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  if (options.recorder) app.use(recordExchanges(options.recorder));
  // The token endpoint lives on the login URL and takes no bearer token (NOTES §1.2).
  app.use(tokens.router);
  // The versions URI is public and does not count against the allocation (NOTES §3.4).
  app.get('/services/data', (_req, res) => {
    res.json(
      ['59.0', '60.0', '61.0', '62.0'].map((v) => ({
        label: 'Sandbox',
        url: `/services/data/v${v}`,
        version: v,
      })),
    );
  });
  // The Metadata API authenticates in the SOAP envelope, not with a bearer header (NOTES §2.7).
  app.use(
    metadataRoutes({
      model: metadata,
      listViews,
      isValidSession: (t) => tokens.isValid(t),
      usage,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    }),
  );
  const auth = bearerAuth((t) => tokens.isValid(t));
  app.use('/id', auth, identityRoute(ctx, instanceUrl));
  const api = Router({ mergeParams: true });
  api.use(auth, apiUsage(usage), faultMiddleware(faults, options.seed));
  api.use(express.json({ limit: options.maxBodyBytes ?? 1024 * 1024 }));
  // Field-level security follows PermissionSetAssignment records written through REST.
  api.use((_req, _res, next) => {
    syncFieldSecurity();
    next();
  });
  api.use(
    queryRoutes(ctx),
    listViewRoutes(ctx, listViews),
    sobjectRoutes(ctx),
    orgRoutes(ctx, usage, instanceUrl),
  );
  api.use(
    bulkIngestRoutes(ctx, clock, syncFieldSecurity),
    bulkQueryRoutes(ctx, clock, options.bulkQueryPageSize ?? 50_000, syncFieldSecurity),
  );
  app.use('/services/data/:version(v\\d+\\.\\d)', api);
  app.use(notFoundRoute);
  app.use(errorHandler);

  return {
    app,
    store,
    faults,
    automation,
    tokens,
    usage,
    metadata,
    listViews,
    defineCustomField: (object, field) => {
      defineCustomField(store, object, field);
    },
    listen: (port) =>
      new Promise((resolve, reject) => {
        const server = app.listen(port, '127.0.0.1');
        server.once('error', reject);
        server.once('listening', () => {
          const actual = (server.address() as AddressInfo).port;
          baseUrl = `http://127.0.0.1:${actual}`;
          resolve({
            url: baseUrl,
            port: actual,
            close: () =>
              new Promise<void>((done, fail) => {
                server.closeAllConnections();
                server.close((err) => (err ? fail(err) : done()));
              }),
          });
        });
      }),
  };
}
