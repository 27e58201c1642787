/**
 * A seeded HubSpot sandbox portal (1000) run through sync → score → write-back into a RedisRecordStore under
 * the test file's prefix, a second tenant (portal 2000) with one contact of its own, and a card server on
 * that state with a client secret, an admin login and a public URL to sign against.
 */
import { randomBytes } from 'node:crypto';
import { createHubSpotConnection } from '../../connectors/hubspot/create-client';
import { createHubSpotAdapter } from '../../connectors/hubspot/hubspot-adapter';
import { createHubSpotSandbox, type RunningSandbox } from '../../connectors/hubspot/sandbox';
import { signatureV3 } from '../../cards/signatures';
import type { Score } from '../../domain/score';
import { RedisRecordStore } from '../../worker/state';
import { testRedis, type TestRedis } from '../helpers/test-redis';
import { runWorkerStages } from './run-worker-stages';
import { startCards, type RunningCards } from './serve-harness';
import type { ServerOptions } from '../../cards/server';

export const TOKEN = 'sandbox-token';
export const TENANT = 'hubspot-1000';
export const OTHER_TENANT = 'hubspot-2000';
export const OTHER_CONTACT = '987654321';
export const PUBLIC_URL = 'https://crm-clv.example.com';
export const SECRET = `secret-${randomBytes(8).toString('hex')}`;
export const ADMIN = { user: 'ops', password: `pw-${randomBytes(8).toString('hex')}` };

export type CardFixture = {
  t: TestRedis;
  store: RedisRecordStore;
  sandbox: ReturnType<typeof createHubSpotSandbox>;
  running: RunningSandbox;
  scores: Score[];
  /** Synced contacts with no Score (no won orders). */
  unscored: string[];
  close(): Promise<void>;
};

export async function seedCardFixture(contacts = 400): Promise<CardFixture> {
  const t = await testRedis();
  const sandbox = createHubSpotSandbox({ token: TOKEN, portalId: '1000', seed: 5, contacts });
  const running = await sandbox.listen(0);
  const store = new RedisRecordStore({ redis: t.redis, prefix: t.prefix });
  await runWorkerStages(store, TENANT, async () =>
    createHubSpotAdapter({
      connection: createHubSpotConnection({
        accessToken: TOKEN,
        baseUrl: running.url,
        account: { auth: 'oauth' },
      }),
      portalId: 1000,
    }),
  );
  const stored = (await store.readScoreRun(TENANT))!;
  const scored = new Set(stored.scores.map((s) => s.customerId));
  const unscored = (await store.readRecordIds(TENANT, 'customer')).filter((id) => !scored.has(id));
  // Another portal with one contact of its own, scored.
  const other = { ...stored.scores[0], customerId: OTHER_CONTACT };
  await store.putRecords(OTHER_TENANT, 'customer', [
    {
      id: OTHER_CONTACT,
      tenant: OTHER_TENANT,
      source: 'hubspot',
      externalId: OTHER_CONTACT,
      createdAt: '2023-01-01T00:00:00.000Z',
      updatedAt: '2023-01-01T00:00:00.000Z',
      firstName: 'Otto',
    },
  ]);
  await store.putScoreRun(
    OTHER_TENANT,
    { ...stored.run, runId: 'other', tenant: OTHER_TENANT, customers: 1 },
    [other],
  );
  return {
    t,
    store,
    sandbox,
    running,
    scores: stored.scores,
    unscored,
    async close() {
      await running.close();
      await t.cleanup();
    },
  };
}

export function cardServer(f: CardFixture, extra: Partial<ServerOptions> = {}): Promise<RunningCards> {
  return startCards({
    redisUrl: process.env.REDIS_URL,
    redisPrefix: f.t.prefix,
    cardHeaderCheckMs: 0,
    env: {
      HUBSPOT_CLIENT_SECRET: SECRET,
      CRM_CLV_PUBLIC_URL: PUBLIC_URL,
      CRM_CLV_ADMIN_USER: ADMIN.user,
      CRM_CLV_ADMIN_PASSWORD: ADMIN.password,
    },
    ...extra,
  });
}

/** The v3 headers HubSpot would send for this request to PUBLIC_URL + path. */
export function signedHeaders(
  method: string,
  path: string,
  body = '',
  secret = SECRET,
  timestamp = String(Date.now()),
): Record<string, string> {
  return {
    'x-hubspot-signature-v3': signatureV3(secret, {
      method,
      uri: `${PUBLIC_URL}${path}`,
      body: Buffer.from(body),
      timestamp,
    }),
    'x-hubspot-request-timestamp': timestamp,
  };
}

export async function signedFetch(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Response> {
  const text = body === undefined ? '' : JSON.stringify(body);
  return fetch(`${base}${path}`, {
    method,
    headers: {
      ...signedHeaders(method, path, text),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : text,
  });
}
