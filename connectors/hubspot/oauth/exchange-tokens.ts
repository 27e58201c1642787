/**
 * Code exchange, refresh and portal lookup through the real `@hubspot/api-client` (NOTES §4.8, §5.4):
 * `client.oauth.tokensApi.create(grantType, code?, redirectUri?, clientId?, clientSecret?, refreshToken?)` →
 * `POST /oauth/v1/token` (form-encoded, no Authorization header), and
 * `client.oauth.accessTokensApi.get(token)` → `GET /oauth/v1/access-tokens/{token}` for the token's `hub_id`.
 */
import { Client } from '@hubspot/api-client';
import { HubSpotOAuthError, HubSpotOAuthUnavailableError } from './oauth-errors';

export type OAuthAppCredentials = {
  clientId: string;
  clientSecret: string;
  /**
   * Needed for the code exchange only, and must equal the redirect_uri of the authorize URL the code came from
   * (NOTES §4.8); a refresh sends none.
   */
  redirectUri?: string;
};

export type OAuthTokenSet = {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
  /** The portal the token belongs to, when known. */
  hubId?: number;
};

export type TokenExchange = {
  /** Exchanges an authorization code; the result names the portal (`hubId`) the app was installed in. */
  exchangeCode(code: string): Promise<OAuthTokenSet & { hubId: number }>;
  refresh(refreshToken: string): Promise<OAuthTokenSet>;
  /** The portal (hub) id an access token belongs to. */
  lookupHubId(accessToken: string): Promise<number>;
};

export type TokenExchangeOptions = {
  app: OAuthAppCredentials;
  /** The sandbox's URL in tests and the demo; HubSpot's API (https://api.hubapi.com) when absent. */
  baseUrl?: string;
  now?: () => number;
  /** An existing client to reuse (one per process is best, NOTES §5.1); one is made when absent. */
  client?: Client;
};

/** What the SDK throws for a non-success status (NOTES §5.3); duck-typed so no SDK internals are imported. */
type ApiFailure = { code: number; body?: unknown };

function isApiFailure(error: unknown): error is ApiFailure {
  return typeof error === 'object' && error !== null && typeof (error as ApiFailure).code === 'number';
}

function statusName(body: unknown, httpStatus: number): string {
  const status = (body as { status?: unknown } | undefined)?.status;
  return typeof status === 'string' && /^[A-Z_]+$/.test(status) && status !== 'ERROR'
    ? status
    : `HTTP_${httpStatus}`;
}

/**
 * Turns whatever the SDK threw into our typed errors. The SDK's own message holds response headers and body, and
 * a network error may hold the request; neither is passed on, so no token or secret can leak through it.
 */
function translate(error: unknown, what: string): Error {
  // A 429 is HubSpot being busy, not a refusal of what we sent: retrying later helps, reinstalling does not.
  if (isApiFailure(error) && error.code >= 400 && error.code < 500 && error.code !== 429) {
    return new HubSpotOAuthError(statusName(error.body, error.code), error.code);
  }
  if (isApiFailure(error)) return new HubSpotOAuthUnavailableError(`${what}: HTTP ${error.code}`);
  return new HubSpotOAuthUnavailableError(`${what}: no answer`);
}

export function createTokenExchange(options: TokenExchangeOptions): TokenExchange {
  const now = options.now ?? Date.now;
  // Same settings as createHubSpotConnection (no SDK retries, no SDK limiter), so building this client does not
  // change how the process-global SDK decorators treat the connection's client (NOTES §5.1).
  const client =
    options.client ??
    new Client({ ...(options.baseUrl ? { basePath: options.baseUrl } : {}), numberOfApiCallRetries: 0 });
  const { clientId, clientSecret, redirectUri } = options.app;

  type TokenAnswer = { accessToken: string; refreshToken: string; expiresIn: number };
  const grant = async (what: string, call: () => Promise<TokenAnswer>) => {
    // The clock is read before the request so that expiresAt errs early, never late.
    const requestedAt = now();
    let answer: TokenAnswer;
    try {
      answer = await call();
    } catch (error) {
      throw translate(error, what);
    }
    if (!answer.accessToken || !Number.isFinite(answer.expiresIn)) {
      throw new HubSpotOAuthUnavailableError(`${what}: the answer had no access token or expires_in`);
    }
    return { answer, expiresAt: requestedAt + answer.expiresIn * 1000 };
  };

  // The v1 route carries the token in its path (NOTES §4.8). The v3 introspection POST would keep it out of URLs,
  // but @hubspot/api-client 14.0.1 has no method for it (endpoints .tsv); the request goes to HubSpot over TLS.
  const lookupHubId = async (accessToken: string): Promise<number> => {
    let info: { hubId?: number };
    try {
      info = await client.oauth.accessTokensApi.get(accessToken);
    } catch (error) {
      throw translate(error, 'access token lookup');
    }
    if (typeof info.hubId !== 'number' || !Number.isInteger(info.hubId)) {
      throw new HubSpotOAuthUnavailableError('access token lookup: the answer had no hub_id');
    }
    return info.hubId;
  };

  return {
    async exchangeCode(code) {
      const { answer, expiresAt } = await grant('code exchange', () =>
        client.oauth.tokensApi.create('authorization_code', code, redirectUri, clientId, clientSecret),
      );
      if (!answer.refreshToken) {
        throw new HubSpotOAuthUnavailableError('code exchange: the answer had no refresh token');
      }
      // The v1 token answer does not name the portal (NOTES §4.8: only v3 adds hub_id), so ask the token itself.
      const hubId = await lookupHubId(answer.accessToken);
      return { accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresAt, hubId };
    },
    async refresh(refreshToken) {
      const { answer, expiresAt } = await grant('token refresh', () =>
        client.oauth.tokensApi.create(
          'refresh_token',
          undefined,
          undefined,
          clientId,
          clientSecret,
          refreshToken,
        ),
      );
      // Refresh tokens are long-lived (NOTES §4.8) and the answer repeats one; keep ours if it ever sends none.
      return {
        accessToken: answer.accessToken,
        refreshToken: answer.refreshToken || refreshToken,
        expiresAt,
      };
    },
    lookupHubId,
  };
}
