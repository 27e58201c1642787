import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { createInstallRouter } from '../../cards/oauth/install-router';
import { createOneTimeStates, type OneTimeStates } from '../../connectors/hubspot/oauth';
import {
  APP,
  crmClient,
  PORTAL_ID,
  startOAuthHarness,
  type OAuthHarness,
} from '../connectors/hubspot/oauth/oauth-harness';

const SCOPES = ['crm.objects.contacts.read', 'crm.objects.contacts.write'];
const TEN_MINUTES = 10 * 60 * 1000;

let h: OAuthHarness;
let states: OneTimeStates;
let server: Server;
let base: string;
let installedPortals: string[];

beforeEach(async () => {
  h = await startOAuthHarness();
  states = createOneTimeStates({ now: h.clock.now });
  installedPortals = [];
  const onInstalled = (portalId: string) => void installedPortals.push(portalId);
  const app = express();
  app.use(
    createInstallRouter({
      app: APP,
      scopes: SCOPES,
      exchange: h.exchange,
      store: h.store,
      states,
      onInstalled,
    }),
  );
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

async function install(): Promise<URL> {
  const res = await fetch(`${base}/oauth/install`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

function callback(query: Record<string, string>, accept = 'application/json'): Promise<Response> {
  return fetch(`${base}/oauth/callback?${new URLSearchParams(query)}`, { headers: { accept } });
}

describe('install router', () => {
  it('GET /oauth/install redirects (302) to HubSpot’s authorize URL with a fresh random state', async () => {
    const first = await install();
    const second = await install();

    expect(first.origin + first.pathname).toBe('https://app.hubspot.com/oauth/authorize');
    expect(first.searchParams.get('client_id')).toBe(APP.clientId);
    expect(first.searchParams.get('redirect_uri')).toBe(APP.redirectUri);
    expect(first.searchParams.get('scope')).toBe('crm.objects.contacts.read crm.objects.contacts.write');
    const state = first.searchParams.get('state') ?? '';
    expect(state.length).toBeGreaterThanOrEqual(32); // 24 random bytes, base64url
    expect(second.searchParams.get('state')).not.toBe(state);
  });

  it('answers 400 to an unknown state and sends no token request: the code stays unused', async () => {
    const code = h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri);
    const res = await callback({ code, state: 'forged-state' });

    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body).toMatchObject({ error: 'HUBSPOT_OAUTH_STATE_INVALID' });
    expect(body.message).toMatch(/start the install again/);
    expect(h.tokenRequests().authorization_code).toBe(0);
    await expect(h.store.load(PORTAL_ID)).resolves.toBeUndefined();
    expect(installedPortals).toEqual([]);
    // Proof from HubSpot's side too: the code was never spent, so it still exchanges.
    await expect(h.exchange.exchangeCode(code)).resolves.toMatchObject({ hubId: 1000 });
  });

  it('refuses a missing state and a state older than 10 minutes the same way', async () => {
    const code = h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri);
    expect((await callback({ code })).status).toBe(400);

    const state = (await install()).searchParams.get('state') ?? '';
    h.clock.advance(TEN_MINUTES);
    expect((await callback({ code, state })).status).toBe(400);
    expect(h.tokenRequests().authorization_code).toBe(0);
  });

  it('with a good state: exchanges the code, stores the tokens for the portal encrypted, shows no token', async () => {
    const state = (await install()).searchParams.get('state') ?? '';
    const code = h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri);
    const res = await callback({ code, state });

    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ installed: true, portalId: PORTAL_ID });
    expect(installedPortals).toEqual([PORTAL_ID]);
    const stored = await h.store.load(PORTAL_ID);
    expect(stored).toBeDefined();
    expect(text).not.toContain(stored!.accessToken);
    expect(text).not.toContain(stored!.refreshToken);
    await expect(crmClient(h, stored!.accessToken).crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();
    const file = await readFile(h.store.tokenPath(PORTAL_ID), 'utf8');
    expect(file).not.toContain(stored!.accessToken);
    expect(file).not.toContain(stored!.refreshToken);

    // A state is single use: replaying the callback is refused before any token request.
    const replay = await callback({ code, state });
    expect(replay.status).toBe(400);
    expect(h.tokenRequests().authorization_code).toBe(1);
  });

  it('shows a small HTML page to a browser', async () => {
    const state = (await install()).searchParams.get('state') ?? '';
    const code = h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri);
    // A browser's Accept header (Firefox's), */* included.
    const res = await callback(
      { code, state },
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    );

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('installed in HubSpot portal 1000');
  });

  it('turns a code HubSpot refuses into 400 with the typed code and what to do', async () => {
    const code = h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri);
    await h.exchange.exchangeCode(code); // spent
    const state = (await install()).searchParams.get('state') ?? '';
    const res = await callback({ code, state });

    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('HUBSPOT_OAUTH_REJECTED');
    expect(body.message).toMatch(/BAD_AUTH_CODE.*install again/);
    expect(body.message).not.toContain(code);
  });

  it('answers 400 when HubSpot sent no code, and the state is spent', async () => {
    const state = (await install()).searchParams.get('state') ?? '';
    const res = await callback({ state });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'HUBSPOT_OAUTH_NO_CODE' });
    const code = h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri);
    expect((await callback({ code, state })).status).toBe(400);
    expect(h.tokenRequests().authorization_code).toBe(0);
  });
});
