/**
 * OAuth 2.0 for HubSpot marketplace installs (NOTES §4.8): the authorize URL, code exchange and refresh through
 * the real client, tokens per portal encrypted at rest with CRM_CLV_TOKEN_KEY, an access-token provider that
 * refreshes by expiry. The install routes that use them live in the card server (cards/oauth/install-router.ts).
 *
 * @example
 * // A CLI run: key and app credentials from the environment, tokens from the install.
 * const tokens = createOAuthAccessTokens({ dataDir, baseUrl });
 * const accessToken = await tokens.getAccessToken('1000');
 *
 * // The card server (cards/oauth/install-router.ts) builds the install routes from the same parts:
 * const app = oauthAppFromEnv(process.env, { redirectUri: 'required' });
 * const exchange = createTokenExchange({ app });
 * const store = new EncryptedTokenStore(dataDir);
 */
export { buildAuthorizeUrl, HUBSPOT_AUTHORIZE_URL, type AuthorizeUrlInput } from './authorize-url';
export {
  createTokenExchange,
  type OAuthAppCredentials,
  type OAuthTokenSet,
  type TokenExchange,
  type TokenExchangeOptions,
} from './exchange-tokens';
export { parseTokenKey, tokenKeyFromEnv, TOKEN_KEY_VARIABLE } from './token-key';
export {
  EncryptedTokenStore,
  tenantOf,
  TOKEN_FILE_NAME,
  type StoredTokens,
  type TokenStore,
} from './encrypted-token-store';
export {
  createAccessTokenProvider,
  REFRESH_MARGIN_MS,
  type AccessTokenProvider,
  type AccessTokenProviderOptions,
} from './access-token-provider';
export { createOAuthAccessTokens, type OAuthAccessTokensOptions } from './oauth-access-tokens';
export { oauthAppFromEnv, OAUTH_APP_VARIABLES } from './oauth-app-from-env';
export { createOneTimeStates, STATE_TTL_MS, type OneTimeStates } from './one-time-states';
export {
  OAuthError,
  HubSpotOAuthError,
  HubSpotOAuthUnavailableError,
  OAuthNotInstalledError,
  OAuthStateError,
  OAuthConfigError,
  TokenKeyMissingError,
  TokenKeyInvalidError,
  TokenFileError,
  type OAuthErrorCode,
} from './oauth-errors';
