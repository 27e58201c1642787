/**
 * Everything a one-off run (`crm-clv sync|writeback --auth oauth`) needs to get a portal's access token, built
 * from the environment: the key (CRM_CLV_TOKEN_KEY), the app (HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET) and the
 * token files written by the install routes under the same data directory.
 */
import type { Client } from '@hubspot/api-client';
import { createAccessTokenProvider, type AccessTokenProvider } from './access-token-provider';
import { EncryptedTokenStore } from './encrypted-token-store';
import { createTokenExchange } from './exchange-tokens';
import { oauthAppFromEnv } from './oauth-app-from-env';
import { tokenKeyFromEnv } from './token-key';

export type OAuthAccessTokensOptions = {
  /** The data directory the install stored tokens under (`<dataDir>/hubspot-<portal>/oauth-tokens.enc`). */
  dataDir: string;
  /** The sandbox's URL in tests and the demo; HubSpot's API when absent. */
  baseUrl?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Reuse the run's client for the refresh call (one client per process, NOTES §5.1). */
  client?: Client;
};

/**
 * Throws at once, before any request, when the key or the app's credentials are missing or malformed
 * (TokenKeyMissingError, TokenKeyInvalidError, OAuthConfigError), so a run fails on its first line.
 */
export function createOAuthAccessTokens(options: OAuthAccessTokensOptions): AccessTokenProvider {
  const env = options.env ?? process.env;
  const store = new EncryptedTokenStore(options.dataDir, tokenKeyFromEnv(env));
  const exchange = createTokenExchange({
    app: oauthAppFromEnv(env),
    baseUrl: options.baseUrl,
    now: options.now,
    client: options.client,
  });
  return createAccessTokenProvider({ store, exchange, now: options.now });
}
