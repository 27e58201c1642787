/**
 * `crm-clv sync --auth oauth` with no token: the access token comes from the portal's encrypted OAuth tokens
 * (as the app install stores them) and is refreshed when it nears expiry (NOTES §4.8: 30-minute tokens).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenExchange, EncryptedTokenStore, parseTokenKey } from '../../connectors/hubspot/oauth';
import { createHubSpotSandbox, type RunningSandbox } from '../../connectors/hubspot/sandbox';
import { runCliAsync, tempDir } from '../helpers/run-cli';

const APP = { clientId: 'cli-client', clientSecret: 'cli-secret-value', redirectUri: 'http://127.0.0.1/cb' };
const KEY = randomBytes(32).toString('base64');
const env = {
  CRM_CLV_TOKEN_KEY: KEY,
  HUBSPOT_CLIENT_ID: APP.clientId,
  HUBSPOT_CLIENT_SECRET: APP.clientSecret,
  HUBSPOT_ACCESS_TOKEN: '',
};

let running: RunningSandbox;
let dataDir: string;
let accessToken: string;
let refreshToken: string;

beforeAll(async () => {
  const sandbox = createHubSpotSandbox({
    token: 'static-token-not-used',
    portalId: '321',
    seed: 4,
    contacts: 60,
    oauth: { clientId: APP.clientId, clientSecret: APP.clientSecret },
  });
  running = await sandbox.listen(0);
  dataDir = tempDir('sync-oauth');
  // The install's part: a code exchanged for tokens, stored encrypted for the portal.
  const exchange = createTokenExchange({ app: APP, baseUrl: running.url });
  const tokens = await exchange.exchangeCode(sandbox.oauth?.issueAuthorizationCode(APP.redirectUri) ?? '');
  accessToken = tokens.accessToken;
  refreshToken = tokens.refreshToken;
  // Stored as nearly expired, so the run must refresh before its first call.
  await new EncryptedTokenStore(dataDir, parseTokenKey(KEY)).save('321', {
    accessToken,
    refreshToken,
    expiresAt: Date.now() + 60_000,
  });
});

afterAll(async () => {
  await running.close();
});

const sync = (extra: Record<string, string> = {}, portalId = '321') =>
  runCliAsync(
    [
      'sync',
      '--crm',
      'hubspot',
      '--auth',
      'oauth',
      '--base-url',
      running.url,
      '--portal-id',
      portalId,
      '--data-dir',
      dataDir,
      '--mode',
      'full',
    ],
    { ...env, ...extra },
  );

describe('crm-clv sync --auth oauth', () => {
  it('syncs with the stored OAuth tokens, refreshing them first, and prints no token', async () => {
    const r = await sync();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/contacts\s+60\s+60/);
    for (const secret of [accessToken, refreshToken, APP.clientSecret, KEY])
      expect(r.stdout + r.stderr).not.toContain(secret);
    const saved = await new EncryptedTokenStore(dataDir, parseTokenKey(KEY)).load('321');
    expect(saved?.refreshToken).toBe(refreshToken);
    expect(saved?.accessToken).not.toBe(accessToken);
    expect(saved?.expiresAt).toBeGreaterThan(Date.now() + 25 * 60_000);
    expect(readFileSync(join(dataDir, 'hubspot-321', 'oauth-tokens.enc'), 'utf8')).not.toContain(
      saved?.accessToken ?? '',
    );
  });

  it('stops with exit code 2 naming the variable when the key is missing', async () => {
    const r = await sync({ CRM_CLV_TOKEN_KEY: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/CRM_CLV_TOKEN_KEY/);
  });

  it('stops with exit code 2 and says to install the app for a portal without tokens', async () => {
    const r = await sync({}, '999');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/install/i);
  });
});
