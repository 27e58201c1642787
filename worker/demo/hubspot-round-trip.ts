/**
 * The demo's CRM part: a seeded HubSpot portal served by the local sandbox, synced into the record store
 * through the real `@hubspot/api-client`, scored, and written back as contact properties, then a second
 * write-back to show that unchanged values cost no call, and the list filter a manager would build on them,
 * checked against the properties HubSpot now holds. Nothing leaves the machine.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CrmAdapter } from '../../connectors/crm-adapter';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import { highChurnRiskList, validateFilterAgainstProperties } from '../../connectors/hubspot/filters';
import {
  createHubSpotSandbox,
  DEFAULT_OBSERVATION_END,
  type RunningSandbox,
} from '../../connectors/hubspot/sandbox';
import type { SyncSummary } from '../../connectors/hubspot/sync';
import { FileRecordStore, type RecordStore } from '../state';
import { syncTenant } from '../jobs/sync-tenant';
import { tenantScoreInput } from '../jobs/tenant-score-input';
import type { ScoreSettings } from '../pipeline/score-settings';
import { writeBackScores, type WriteBackResult } from '../jobs/write-back-scores';

/** Illustrative rates for the demo portal's EUR and GBP deals, in USD per unit. */
export const DEMO_RATES: Readonly<Record<string, number>> = { EUR: 1.08, GBP: 1.27 };

export type TenantScoreSettings = Pick<
  ScoreSettings,
  | 'rows'
  | 'transactions'
  | 'baseCurrency'
  | 'currencyRates'
  | 'productCategories'
  | 'productNames'
  | 'observationEnd'
  | 'crm'
>;

export type RoundTripOptions = {
  out: string;
  seed: number;
  contacts: number;
  /** DESIGN demo defaults: HUBSPOT_SANDBOX_PORT 4010, HUBSPOT_SANDBOX_TOKEN, HUBSPOT_SANDBOX_PORTAL_ID 1000. */
  port: number;
  token: string;
  portalId: string;
  /** Runs the score stage with these tenant settings over the demo's defaults: Scores to the store, export to outDir. */
  score(request: {
    settings: TenantScoreSettings;
    tenant: string;
    store: RecordStore;
    outDir: string;
  }): Promise<void>;
  log(line: string): void;
  /** Runs while the sandbox is still up, after the round trip (e.g. the same tenant through the queues). */
  whileRunning?: (sandbox: {
    url: string;
    tenant: string;
    store: FileRecordStore;
    adapter: () => CrmAdapter | Promise<CrmAdapter>;
  }) => Promise<void>;
};

/** A synced demo tenant scored as the demo scores every tenant: USD, the demo rates, the seeded history's end. */
export async function scoreDemoTenant(
  options: Pick<RoundTripOptions, 'score'>,
  store: FileRecordStore,
  tenant: string,
  outDir: string,
): Promise<void> {
  const input = await tenantScoreInput(store, tenant, {
    currency: 'USD',
    rates: { ...DEMO_RATES },
    where: store.dataDir,
  });
  await options.score({
    tenant,
    store,
    outDir,
    settings: {
      rows: input.rows,
      transactions: `${tenant} (synced store)`,
      baseCurrency: input.baseCurrency,
      currencyRates: input.rates,
      productCategories: input.productCategories,
      productNames: input.productNames,
      crm: input.crm,
      // The last day of the seeded history (every seeded timestamp is before DEFAULT_OBSERVATION_END).
      observationEnd: new Date(Date.parse(DEFAULT_OBSERVATION_END) - 1).toISOString().slice(0, 10),
    },
  });
}

export type RoundTripResult = {
  url: string;
  sync: SyncSummary;
  first: WriteBackResult;
  second: WriteBackResult;
  example?: { id: string; properties: Record<string, string | null | undefined> };
  filterProblems: string[];
};

/** Listens on the configured port, or on a free one when it is taken (the demo must not fail on that). */
async function listen(
  sandbox: ReturnType<typeof createHubSpotSandbox>,
  port: number,
): Promise<RunningSandbox> {
  try {
    return await sandbox.listen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return sandbox.listen(0);
  }
}

export async function hubspotRoundTrip(options: RoundTripOptions): Promise<RoundTripResult> {
  const sandbox = createHubSpotSandbox({
    token: options.token,
    portalId: options.portalId,
    seed: options.seed,
    contacts: options.contacts,
  });
  const running = await listen(sandbox, options.port);
  try {
    const connection = createHubSpotConnection({
      accessToken: options.token,
      baseUrl: running.url,
      account: { auth: 'oauth' },
    });
    const adapter = createHubSpotAdapter({ connection, portalId: options.portalId });
    // The sandbox is seeded afresh on every run: a store left by an earlier run would hold values written to
    // a portal that no longer exists, and the write-back would skip them.
    await rm(join(options.out, 'store'), { recursive: true, force: true });
    const store = new FileRecordStore(join(options.out, 'store'));
    const tenant = adapter.tenant;
    options.log(`HubSpot sandbox for portal ${options.portalId} on ${running.url}: syncing…`);
    const sync = await syncTenant({ adapter, store, mode: 'full' });

    const scoresDir = join(options.out, 'hubspot');
    await scoreDemoTenant(options, store, tenant, scoresDir);
    const first = await writeBackScores({ adapter, store });
    // The same scores again: every value is already there, so no write call and no workflow re-trigger.
    const second = await writeBackScores({ adapter, store });

    const definitions = (await connection.client.crm.properties.coreApi.getAll('contacts')).results;
    const filterProblems = validateFilterAgainstProperties(highChurnRiskList(), definitions).map(
      (p) => p.message,
    );
    const exampleObject = [...sandbox.store.objects.contacts.byId.values()].find(
      (c) => c.properties.clv_churn_risk === 'high' && c.properties.clv_segment,
    );
    const example = exampleObject && {
      id: exampleObject.id,
      properties: Object.fromEntries(
        Object.entries(exampleObject.properties).filter(([name]) => name.startsWith('clv_')),
      ),
    };
    await options.whileRunning?.({
      url: running.url,
      tenant,
      store,
      adapter: () =>
        createHubSpotAdapter({
          connection: createHubSpotConnection({
            accessToken: options.token,
            baseUrl: running.url,
            account: { auth: 'oauth' },
          }),
          portalId: options.portalId,
        }),
    });
    return { url: running.url, sync, first, second, example, filterProblems };
  } finally {
    await running.close();
  }
}
