/**
 * OAuth 2.0 for marketplace-style installs (NOTES §4.8): `POST /oauth/v1/token`, form-encoded, no Authorization
 * header; authorization_code and refresh_token grants; access tokens live 30 minutes (`expires_in: 1800`) and are
 * then refused like any unknown token. Error bodies `{ status: "BAD_…", message, correlationId }` [U].
 *
 * `GET /oauth/v1/access-tokens/{token}` (NOTES §4.8 v1 route, no auth scheme per the endpoints `.tsv`) tells which
 * portal a token belongs to. Its fields are the SDK's `AccessTokenInfoResponse` model (NOTES §8: the SDK models are
 * our field lists): `token, hub_id, expires_in, scopes, user, …`; the sandbox serves only the three it knows the
 * meaning of. The answer for an unknown or expired token is not documented [U]: a 404 in the §4.7 error shape here.
 */

import express, { Router, type Response } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';

export type OAuthAppConfig = {
  clientId: string;
  clientSecret: string;
  /**
   * The portal (hub) the app is installed in, served as `hub_id` by the access-token route; the sandbox's
   * `portalId` is the natural value. Without it the route answers without `hub_id`.
   */
  hubId?: number;
};

const ACCESS_TOKEN_SECONDS = 1800;

export type OAuthTokens = {
  /** A code as HubSpot's authorize redirect would deliver it (tests stand in for the browser step). */
  issueAuthorizationCode(redirectUri: string): string;
  /** True for an access token issued here and not yet expired. */
  isValidAccessToken(token: string, nowMs: number): boolean;
  router: Router;
};

function oauthError(res: Response, status: string, message: string): void {
  res.status(400).json({ status, message, correlationId: randomUUID(), requestId: randomUUID() });
}

export function createOAuthTokens(config: OAuthAppConfig, now: () => number): OAuthTokens {
  const codes = new Map<string, string>();
  const refreshTokens = new Set<string>();
  const accessExpiry = new Map<string, number>();
  const token = (prefix: string): string => `${prefix}-${randomBytes(16).toString('hex')}`;

  const router = Router();
  router.post('/oauth/v1/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (body.client_id !== config.clientId)
      return oauthError(res, 'BAD_CLIENT_ID', 'missing or unknown client id');
    if (body.client_secret !== config.clientSecret)
      return oauthError(res, 'BAD_CLIENT_SECRET', 'missing or invalid client secret');
    if (body.grant_type === 'authorization_code') {
      const redirectUri = codes.get(body.code ?? '');
      if (redirectUri === undefined) return oauthError(res, 'BAD_AUTH_CODE', 'missing or unknown auth code');
      if (redirectUri !== body.redirect_uri)
        return oauthError(res, 'BAD_REDIRECT_URI', 'redirect_uri does not match');
      codes.delete(body.code ?? ''); // single use
    } else if (body.grant_type === 'refresh_token') {
      if (!refreshTokens.has(body.refresh_token ?? '')) {
        return oauthError(res, 'BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      }
    } else {
      return oauthError(res, 'BAD_GRANT_TYPE', 'grant_type must be authorization_code or refresh_token');
    }
    const refresh = body.grant_type === 'refresh_token' ? (body.refresh_token as string) : token('refresh');
    refreshTokens.add(refresh);
    const access = token('access');
    accessExpiry.set(access, now() + ACCESS_TOKEN_SECONDS * 1000);
    res.json({
      token_type: 'bearer',
      refresh_token: refresh,
      access_token: access,
      expires_in: ACCESS_TOKEN_SECONDS,
    });
  });

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const expiry = accessExpiry.get(req.params.token);
    const nowMs = now();
    if (expiry === undefined || nowMs >= expiry) {
      res.status(404).json({
        status: 'error',
        message: 'The access token is unknown or expired',
        correlationId: randomUUID(),
        category: 'OBJECT_NOT_FOUND',
      });
      return;
    }
    res.json({
      token: req.params.token,
      ...(config.hubId === undefined ? {} : { hub_id: config.hubId }),
      expires_in: Math.floor((expiry - nowMs) / 1000),
    });
  });

  return {
    issueAuthorizationCode(redirectUri) {
      const code = token('code');
      codes.set(code, redirectUri);
      return code;
    },
    isValidAccessToken(candidate, nowMs) {
      const expiry = accessExpiry.get(candidate);
      return expiry !== undefined && nowMs < expiry;
    },
    router,
  };
}
