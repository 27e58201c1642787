import { Client } from '@hubspot/api-client';
import { rejection, startHarness, type Harness } from './sandbox-harness';

const APP = { clientId: 'client-123', clientSecret: 'secret-456', hubId: 1000 };
const REDIRECT = 'http://localhost:3000/oauth-callback';

/** A code exchanged for tokens through the SDK, as the install callback does. */
const exchange = (code: string) =>
  h.client.oauth.tokensApi.create('authorization_code', code, REDIRECT, APP.clientId, APP.clientSecret);

let clock = Date.parse('2026-11-20T09:00:00.000Z');
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ contacts: 5, oauth: APP, rateLimit: { daily: 250_000 }, now: () => clock });
});
afterAll(async () => {
  await h.server.close();
});

describe('HubSpot sandbox: OAuth token endpoint (NOTES §4.8)', () => {
  it('exchanges a code for tokens the API accepts, refreshes them, and refuses expired ones', async () => {
    const code = h.sandbox.oauth?.issueAuthorizationCode(REDIRECT) ?? '';
    const tokens = await exchange(code);
    expect(tokens).toMatchObject({ tokenType: 'bearer', expiresIn: 1800 });
    const installed = new Client({ accessToken: tokens.accessToken, basePath: h.server.url });
    await expect(installed.crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();
    // OAuth calls have no daily limit and no Daily headers; the private token's calls do (NOTES §4.6).
    const viaOAuth = await installed.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(viaOAuth.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(viaOAuth.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
    const viaStatic = await h.client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(viaStatic.headers.get('x-hubspot-ratelimit-daily')).toBe('250000');

    const reused = await rejection(() => exchange(code));
    expect(reused.code).toBe(400);
    expect(reused.body).toMatchObject({ status: 'BAD_AUTH_CODE' });

    clock += 1800 * 1000;
    const expired = await rejection(() => installed.crm.contacts.basicApi.getPage(1));
    expect(expired.code).toBe(401);
    expect(expired.body).toMatchObject({ category: 'INVALID_AUTHENTICATION' });

    const refreshed = await h.client.oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      APP.clientId,
      APP.clientSecret,
      tokens.refreshToken,
    );
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    const again = new Client({ accessToken: refreshed.accessToken, basePath: h.server.url });
    await expect(again.crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();
  });

  it('refuses a wrong client secret with 400', async () => {
    const code = h.sandbox.oauth?.issueAuthorizationCode(REDIRECT) ?? '';
    const error = await rejection(() =>
      h.client.oauth.tokensApi.create('authorization_code', code, REDIRECT, APP.clientId, 'wrong'),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'BAD_CLIENT_SECRET' });
  });

  it('tells the portal and remaining lifetime of an access token, and 404s unknown or expired ones', async () => {
    const code = h.sandbox.oauth?.issueAuthorizationCode(REDIRECT) ?? '';
    const tokens = await exchange(code);
    clock += 600 * 1000;
    const info = await h.client.oauth.accessTokensApi.get(tokens.accessToken);
    // The SDK camel-cases hub_id/expires_in (its AccessTokenInfoResponse model); 1800 s minus the 600 s waited.
    expect(info).toMatchObject({ token: tokens.accessToken, hubId: 1000, expiresIn: 1200 });

    const unknown = await rejection(() => h.client.oauth.accessTokensApi.get('access-not-issued'));
    expect(unknown.code).toBe(404);
    clock += 1200 * 1000;
    const expired = await rejection(() => h.client.oauth.accessTokensApi.get(tokens.accessToken));
    expect(expired.code).toBe(404);
  });
});
