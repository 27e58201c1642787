/**
 * The two routes of a marketplace install, mounted by the card server (DESIGN: cards/ hosts the OAuth install;
 * `crm-clv serve` runs it, see oauth-install-routes.ts for when it is configured):
 * `GET /oauth/install` sends the user to HubSpot's authorize page with a fresh `state`; HubSpot sends them back to
 * `GET /oauth/callback?code=…&state=…` (NOTES §4.8), where the state is checked before anything else, the code is
 * exchanged, the portal found and the tokens stored encrypted. No answer, log line or error here contains a token.
 * Failures answer `{ error: <code>, message }`: the codes of oauth-errors.ts, plus HUBSPOT_OAUTH_NO_CODE (the
 * callback came without a code, e.g. the user declined [U]) and HUBSPOT_OAUTH_INSTALL_FAILED (anything else).
 */
import { Router, type Response } from 'express';
import {
  buildAuthorizeUrl,
  createOneTimeStates,
  OAuthError,
  OAuthStateError,
  STATE_TTL_MS,
  type OAuthAppCredentials,
  type OneTimeStates,
  type TokenExchange,
  type TokenStore,
} from '../../connectors/hubspot/oauth';

export type InstallRouterOptions = {
  /** The redirect URI is required here: the authorize URL and the code exchange both send it. */
  app: Required<OAuthAppCredentials>;
  /** Required scopes, e.g. `crm.objects.contacts.read`. */
  scopes: string[];
  optionalScopes?: string[];
  exchange: Pick<TokenExchange, 'exchangeCode'>;
  store: TokenStore;
  /** Injectable for tests (clock, TTL); a fresh in-memory set by default. */
  states?: OneTimeStates;
  /** Told of each completed install (e.g. to queue a first sync); gets the portal id only. */
  onInstalled?: (portalId: string) => void | Promise<void>;
};

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: code, message });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function createInstallRouter(options: InstallRouterOptions): Router {
  const states = options.states ?? createOneTimeStates();
  // Validates the app config once, at mount time, so a bad scope list fails the server start, not a user's click.
  buildAuthorizeUrl({ ...options.app, scopes: options.scopes, optionalScopes: options.optionalScopes });

  const router = Router();

  router.get('/oauth/install', (_req, res) => {
    const url = buildAuthorizeUrl({
      clientId: options.app.clientId,
      redirectUri: options.app.redirectUri,
      scopes: options.scopes,
      optionalScopes: options.optionalScopes,
      state: states.issue(),
    });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  });

  router.get('/oauth/callback', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    if (!states.consume(state)) {
      const error = new OAuthStateError(Math.round(STATE_TTL_MS / 60_000));
      return fail(res, 400, error.code, error.message);
    }
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    if (code === '') {
      return fail(
        res,
        400,
        'HUBSPOT_OAUTH_NO_CODE',
        'HubSpot sent no code; start the install again at /oauth/install.',
      );
    }
    try {
      const tokens = await options.exchange.exchangeCode(code);
      const portalId = String(tokens.hubId);
      await options.store.save(portalId, {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
      });
      await options.onInstalled?.(portalId);
      // HTML first: browsers (who land here after HubSpot's redirect) also accept */*, scripts ask for JSON.
      const page =
        `<!doctype html><title>crm-clv installed</title>` +
        `<p>crm-clv is installed in HubSpot portal ${escapeHtml(portalId)}. You can close this tab.</p>`;
      res.format({
        html: () => res.send(page),
        json: () => res.json({ installed: true, portalId }),
      });
    } catch (error) {
      // Our errors are written to be shown; anything else may carry internals, so it gets a generic message.
      if (error instanceof OAuthError) {
        // HubSpot refusing the code is the request's fault; HubSpot down is a bad gateway; a bad key is ours.
        const status =
          error.code === 'HUBSPOT_OAUTH_REJECTED'
            ? 400
            : error.code === 'HUBSPOT_OAUTH_UNAVAILABLE'
              ? 502
              : 500;
        return fail(res, status, error.code, error.message);
      }
      fail(
        res,
        500,
        'HUBSPOT_OAUTH_INSTALL_FAILED',
        'The install could not be completed; start it again at /oauth/install.',
      );
    }
  });

  return router;
}
