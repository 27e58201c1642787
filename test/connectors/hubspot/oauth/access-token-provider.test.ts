import {
  createAccessTokenProvider,
  OAuthNotInstalledError,
  type AccessTokenProvider,
} from '../../../../connectors/hubspot/oauth';
import { APP, crmClient, PORTAL_ID, startOAuthHarness, thrown, type OAuthHarness } from './oauth-harness';

const MINUTE = 60 * 1000;

let h: OAuthHarness;
let provider: AccessTokenProvider;
let installed: { accessToken: string; refreshToken: string; expiresAt: number };
beforeEach(async () => {
  h = await startOAuthHarness();
  installed = await h.exchange.exchangeCode(h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri));
  await h.store.save(PORTAL_ID, installed);
  provider = createAccessTokenProvider({ store: h.store, exchange: h.exchange, now: h.clock.now });
});
afterEach(async () => {
  await h.close();
});

describe('getAccessToken: refresh by expiry (NOTES §4.8: 30-minute tokens, refresh by TTL)', () => {
  it('returns the stored token without a refresh while more than 5 minutes are left', async () => {
    h.clock.advance(24 * MINUTE + 59 * 1000); // 5 min 1 s left of 30 min
    await expect(provider.getAccessToken(PORTAL_ID)).resolves.toBe(installed.accessToken);
    expect(h.tokenRequests().refresh_token).toBe(0);
  });

  it('refreshes once less than 5 minutes are left, keeps the refresh token and saves the new tokens', async () => {
    h.clock.advance(25 * MINUTE + 1000); // 4 min 59 s left
    const token = await provider.getAccessToken(PORTAL_ID);

    expect(token).not.toBe(installed.accessToken);
    expect(h.tokenRequests().refresh_token).toBe(1);
    await expect(h.store.load(PORTAL_ID)).resolves.toEqual({
      accessToken: token,
      refreshToken: installed.refreshToken,
      expiresAt: h.clock.now() + 30 * MINUTE,
    });
    await expect(crmClient(h, token).crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();

    // The saved token is fresh again: the next call within its lifetime makes no request.
    h.clock.advance(10 * MINUTE);
    await expect(provider.getAccessToken(PORTAL_ID)).resolves.toBe(token);
    expect(h.tokenRequests().refresh_token).toBe(1);
  });

  it('refreshes an already expired token too (the sandbox refuses the old one)', async () => {
    h.clock.advance(31 * MINUTE);
    await expect(crmClient(h, installed.accessToken).crm.contacts.basicApi.getPage(1)).rejects.toMatchObject({
      code: 401,
    });
    const token = await provider.getAccessToken(PORTAL_ID);
    await expect(crmClient(h, token).crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();
  });

  it('makes one refresh request for concurrent callers of one portal, and all get the same token', async () => {
    h.clock.advance(28 * MINUTE);
    const tokens = await Promise.all([
      provider.getAccessToken(PORTAL_ID),
      provider.getAccessToken(PORTAL_ID),
      provider.getAccessToken(PORTAL_ID),
    ]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(installed.accessToken);
    expect(h.tokenRequests().refresh_token).toBe(1);
  });

  it('says to install the app for a portal without stored tokens', async () => {
    const error = await thrown(() => provider.getAccessToken('2000'));
    expect(error).toBeInstanceOf(OAuthNotInstalledError);
    expect(error).toMatchObject({ code: 'HUBSPOT_OAUTH_NOT_INSTALLED', portalId: '2000' });
    expect(error.message).toMatch(/install the app/);
  });

  it('passes on a refused refresh as HUBSPOT_OAUTH_REJECTED and lets the next caller try again', async () => {
    await h.store.save(PORTAL_ID, { ...installed, refreshToken: 'refresh-unknown-77aa' });
    h.clock.advance(29 * MINUTE);
    const error = await thrown(() => provider.getAccessToken(PORTAL_ID));
    expect(error).toMatchObject({ code: 'HUBSPOT_OAUTH_REJECTED', status: 'BAD_REFRESH_TOKEN' });
    expect(error.message).not.toContain('refresh-unknown-77aa');

    await h.store.save(PORTAL_ID, installed);
    await expect(provider.getAccessToken(PORTAL_ID)).resolves.not.toBe(installed.accessToken);
    expect(h.tokenRequests().refresh_token).toBe(2);
  });
});
