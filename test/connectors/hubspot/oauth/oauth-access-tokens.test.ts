import {
  createOAuthAccessTokens,
  OAuthConfigError,
  oauthAppFromEnv,
  TokenKeyMissingError,
} from '../../../../connectors/hubspot/oauth';
import { APP, crmClient, PORTAL_ID, startOAuthHarness, thrown, type OAuthHarness } from './oauth-harness';

let h: OAuthHarness;
beforeAll(async () => {
  h = await startOAuthHarness();
});
afterAll(async () => {
  await h.close();
});

const ENV = {
  HUBSPOT_CLIENT_ID: APP.clientId,
  HUBSPOT_CLIENT_SECRET: APP.clientSecret,
  HUBSPOT_REDIRECT_URI: APP.redirectUri,
};

describe('oauthAppFromEnv', () => {
  it('reads client id, secret and redirect URI', () => {
    expect(oauthAppFromEnv(ENV, { redirectUri: 'required' })).toEqual(APP);
    expect(oauthAppFromEnv({ ...ENV, HUBSPOT_REDIRECT_URI: undefined })).toEqual({
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
    });
  });

  it('names every missing variable, never the values it did get', () => {
    let error: unknown;
    try {
      oauthAppFromEnv({ HUBSPOT_CLIENT_SECRET: APP.clientSecret }, { redirectUri: 'required' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OAuthConfigError);
    expect(error).toMatchObject({
      code: 'HUBSPOT_OAUTH_CONFIG_MISSING',
      variables: ['HUBSPOT_CLIENT_ID', 'HUBSPOT_REDIRECT_URI'],
    });
    expect((error as Error).message).not.toContain(APP.clientSecret);
  });
});

describe('createOAuthAccessTokens (what `crm-clv sync|writeback --auth oauth` calls)', () => {
  it('gives a working token for an installed portal, refreshed by expiry, from the environment alone', async () => {
    const installed = await h.exchange.exchangeCode(h.sandbox.oauth!.issueAuthorizationCode(APP.redirectUri));
    await h.store.save(PORTAL_ID, installed);
    const env = { ...ENV, HUBSPOT_REDIRECT_URI: undefined, CRM_CLV_TOKEN_KEY: h.key.toString('hex') };
    const tokens = createOAuthAccessTokens({
      dataDir: h.dataDir,
      baseUrl: h.server.url,
      env,
      now: h.clock.now,
    });

    await expect(tokens.getAccessToken(PORTAL_ID)).resolves.toBe(installed.accessToken);
    h.clock.advance(26 * 60 * 1000);
    const refreshed = await tokens.getAccessToken(PORTAL_ID);
    expect(refreshed).not.toBe(installed.accessToken);
    await expect(crmClient(h, refreshed).crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();
  });

  it('fails before any request when CRM_CLV_TOKEN_KEY or the app credentials are missing', async () => {
    const before = h.tokenRequests();
    const noKey = await thrown(async () => createOAuthAccessTokens({ dataDir: h.dataDir, env: ENV }));
    expect(noKey).toBeInstanceOf(TokenKeyMissingError);
    expect(noKey.message).toContain('CRM_CLV_TOKEN_KEY');

    const noApp = await thrown(async () =>
      createOAuthAccessTokens({ dataDir: h.dataDir, env: { CRM_CLV_TOKEN_KEY: h.key.toString('base64') } }),
    );
    expect(noApp).toMatchObject({ code: 'HUBSPOT_OAUTH_CONFIG_MISSING' });
    expect(h.tokenRequests()).toEqual(before);
  });
});
