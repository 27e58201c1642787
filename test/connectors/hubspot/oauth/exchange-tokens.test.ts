import {
  createTokenExchange,
  HubSpotOAuthError,
  HubSpotOAuthUnavailableError,
} from '../../../../connectors/hubspot/oauth';
import { APP, crmClient, startOAuthHarness, thrown, type OAuthHarness } from './oauth-harness';

let h: OAuthHarness;
beforeAll(async () => {
  h = await startOAuthHarness();
});
afterAll(async () => {
  await h.close();
});

describe('token exchange through the real client against the sandbox (NOTES §4.8)', () => {
  it('exchanges a code for tokens the API accepts, expiring 1800 s later, in portal 1000', async () => {
    const code = h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri);
    const issuedAt = h.clock.now();
    const tokens = await h.exchange.exchangeCode(code);

    expect(tokens.expiresAt).toBe(issuedAt + 1800 * 1000);
    expect(tokens.hubId).toBe(1000);
    expect(tokens.refreshToken).not.toBe('');
    const page = await crmClient(h, tokens.accessToken).crm.contacts.basicApi.getPage(1);
    expect(page.results).toHaveLength(1);
  });

  it('finds the portal of an access token through GET /oauth/v1/access-tokens/{token}', async () => {
    const tokens = await h.exchange.exchangeCode(h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri));
    await expect(h.exchange.lookupHubId(tokens.accessToken)).resolves.toBe(1000);
  });

  it('refuses a reused code with a typed BAD_AUTH_CODE error that says to install again, without the code', async () => {
    const code = h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri);
    await h.exchange.exchangeCode(code);
    const error = await thrown(() => h.exchange.exchangeCode(code));

    expect(error).toBeInstanceOf(HubSpotOAuthError);
    expect(error).toMatchObject({ code: 'HUBSPOT_OAUTH_REJECTED', status: 'BAD_AUTH_CODE', httpStatus: 400 });
    expect(error.message).toMatch(/install again/);
    expect(error.message).not.toContain(code);
    expect(error.message).not.toContain(APP.clientSecret);
  });

  it('refreshes to a new working access token, keeping the refresh token', async () => {
    const first = await h.exchange.exchangeCode(h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri));
    h.clock.advance(1700 * 1000);
    const refreshed = await h.exchange.refresh(first.refreshToken);

    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.refreshToken).toBe(first.refreshToken);
    expect(refreshed.expiresAt).toBe(h.clock.now() + 1800 * 1000);
    await expect(crmClient(h, refreshed.accessToken).crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();
  });

  it('refuses an unknown refresh token with BAD_REFRESH_TOKEN and says to reinstall, without the token', async () => {
    const refreshToken = 'refresh-revoked-5e2d';
    const error = await thrown(() => h.exchange.refresh(refreshToken));

    expect(error).toMatchObject({ code: 'HUBSPOT_OAUTH_REJECTED', status: 'BAD_REFRESH_TOKEN' });
    expect(error.message).toMatch(/reinstall the app/);
    expect(error.message).not.toContain(refreshToken);
  });

  it('refuses a wrong client secret with BAD_CLIENT_SECRET, never repeating the secret', async () => {
    const wrongSecret = 'wrong-secret-31f0';
    const exchange = createTokenExchange({
      app: { ...APP, clientSecret: wrongSecret },
      baseUrl: h.server.url,
      now: h.clock.now,
    });
    const error = await thrown(() =>
      exchange.exchangeCode(h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri)),
    );
    expect(error).toMatchObject({ code: 'HUBSPOT_OAUTH_REJECTED', status: 'BAD_CLIENT_SECRET' });
    expect(error.message).not.toContain(wrongSecret);
  });

  it('reports an unreachable token endpoint as HUBSPOT_OAUTH_UNAVAILABLE without the refresh token', async () => {
    // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    const exchange = createTokenExchange({ app: APP, baseUrl: 'http://127.0.0.1:9', now: h.clock.now });
    const error = await thrown(() => exchange.refresh('refresh-secret-aa11'));
    expect(error).toBeInstanceOf(HubSpotOAuthUnavailableError);
    expect(error.code).toBe('HUBSPOT_OAUTH_UNAVAILABLE');
    expect(error.message).not.toContain('refresh-secret-aa11');
  });
});
