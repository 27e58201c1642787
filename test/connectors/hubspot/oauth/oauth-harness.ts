/**
 * A sandbox with an OAuth app on a shared fake clock, a temp data dir and a random key; plus a counter of the
 * requests the real client sends to the token endpoint (the SDK uses the global fetch, NOTES §0).
 */
import { Client } from '@hubspot/api-client';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createHubSpotSandbox,
  type HubSpotSandbox,
  type RunningSandbox,
} from '../../../../connectors/hubspot/sandbox';
import {
  createTokenExchange,
  EncryptedTokenStore,
  type OAuthAppCredentials,
  type TokenExchange,
} from '../../../../connectors/hubspot/oauth';

export const PORTAL_ID = '1000';
export const APP: Required<OAuthAppCredentials> = {
  clientId: 'client-7f3a',
  clientSecret: 'client-secret-9b1c',
  redirectUri: 'http://127.0.0.1:3000/oauth/callback',
};

export type OAuthHarness = {
  sandbox: HubSpotSandbox;
  server: RunningSandbox;
  clock: { now: () => number; advance(ms: number): void };
  dataDir: string;
  key: Buffer;
  store: EncryptedTokenStore;
  exchange: TokenExchange;
  /** Requests sent so far to `POST /oauth/v1/token`, by grant type. */
  tokenRequests(): { authorization_code: number; refresh_token: number };
  close(): Promise<void>;
};

type TokenCounts = { authorization_code: number; refresh_token: number };

export async function startOAuthHarness(
  start = Date.parse('2026-11-20T09:00:00.000Z'),
): Promise<OAuthHarness> {
  let now = start;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const sandbox = createHubSpotSandbox({
    token: 'private-app-token',
    portalId: PORTAL_ID,
    seed: 11,
    contacts: 5,
    oauth: { clientId: APP.clientId, clientSecret: APP.clientSecret, hubId: Number(PORTAL_ID) },
    now: clock.now,
  });
  const server = await sandbox.listen(0);
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-clv-oauth-'));
  const key = randomBytes(32);

  const counts: TokenCounts = { authorization_code: 0, refresh_token: 0 };
  const realFetch = globalThis.fetch;
  const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url === `${server.url}/oauth/v1/token`) {
      const grant = new URLSearchParams(String(init?.body ?? '')).get('grant_type');
      if (grant === 'authorization_code' || grant === 'refresh_token') counts[grant]++;
    }
    return realFetch(input, init);
  });

  return {
    sandbox,
    server,
    clock,
    dataDir,
    key,
    store: new EncryptedTokenStore(dataDir, key),
    exchange: createTokenExchange({ app: APP, baseUrl: server.url, now: clock.now }),
    tokenRequests: () => ({ ...counts }),
    close: async () => {
      spy.mockRestore();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A client authenticated with `accessToken`, for proving the sandbox accepts a token on a CRM call. */
export function crmClient(h: OAuthHarness, accessToken: string): Client {
  return new Client({ accessToken, basePath: h.server.url, numberOfApiCallRetries: 0 });
}

/** Runs `call`, expecting it to throw; returns what it threw. */
export async function thrown(call: () => Promise<unknown>): Promise<Error & { code?: unknown }> {
  try {
    await call();
  } catch (error) {
    return error as Error & { code?: unknown };
  }
  throw new Error('expected the call to throw');
}
