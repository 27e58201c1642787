/**
 * A valid access token for a portal, refreshed by expiry. HubSpot says a 401 "is not a valid indicator that a new
 * access token must be retrieved" and tokens live 30 minutes (NOTES §4.8), so the token is refreshed when it has
 * 5 minutes or less left, before any call can fail on it, and never in reaction to a 401.
 */
import { OAuthNotInstalledError } from './oauth-errors';
import type { TokenStore, StoredTokens } from './encrypted-token-store';
import type { TokenExchange } from './exchange-tokens';

/** Refresh when the token expires within this long: longer than a sync's slowest call plus clock skew. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export type AccessTokenProvider = {
  /**
   * The portal's current access token, refreshed first when it expires within 5 minutes. Throws
   * OAuthNotInstalledError when nothing is stored for the portal, HubSpotOAuthError when HubSpot refuses the
   * refresh token (reinstall), TokenFileError / TokenKey*Error for an unreadable token file or a bad key.
   */
  getAccessToken(portalId: string): Promise<string>;
};

export type AccessTokenProviderOptions = {
  store: TokenStore;
  exchange: Pick<TokenExchange, 'refresh'>;
  /** Epoch ms; Date.now by default. A `Clock` from ../rate-limiter fits as `clock.now`. */
  now?: () => number;
};

export function createAccessTokenProvider(options: AccessTokenProviderOptions): AccessTokenProvider {
  const now = options.now ?? Date.now;
  // Concurrent callers for a portal share one read-and-maybe-refresh: two refreshes with the same refresh token
  // would cost two calls and race to save. Whoever comes after it finished reads the saved result.
  const inFlight = new Map<string, Promise<StoredTokens>>();

  const freshTokens = async (portalId: string): Promise<StoredTokens> => {
    const current = await options.store.load(portalId);
    if (!current) throw new OAuthNotInstalledError(portalId);
    if (current.expiresAt - now() > REFRESH_MARGIN_MS) return current;
    const fresh = await options.exchange.refresh(current.refreshToken);
    const next: StoredTokens = {
      accessToken: fresh.accessToken,
      refreshToken: fresh.refreshToken,
      expiresAt: fresh.expiresAt,
    };
    await options.store.save(portalId, next);
    return next;
  };

  return {
    async getAccessToken(portalId) {
      let run = inFlight.get(portalId);
      if (!run) {
        run = freshTokens(portalId).finally(() => inFlight.delete(portalId));
        inFlight.set(portalId, run);
      }
      return (await run).accessToken;
    },
  };
}
