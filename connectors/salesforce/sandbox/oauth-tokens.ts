/**
 * Access tokens and `POST /services/oauth2/token` (NOTES §1.2–1.4, §7.1): refresh_token (rotating or not),
 * the JWT bearer grant (RS256 assertion checked against a configured public key or certificate: iss = client
 * id, sub = a username of the org, aud = the login URL, exp in the future) and client_credentials. Tokens are
 * opaque, Salesforce-session-like strings without dots (NOTES §1.4: jsforce refuses JWT-shaped tokens for SOAP).
 * `expire(token)` makes a token answer 401 from then on, for "token expiry mid-sync refreshes once" tests; a
 * freshly issued token is always accepted (NOTES §1.2 infinite-loop hazard).
 */

import { createHmac, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import express, { Router } from 'express';

export type OAuthClient = {
  clientId: string;
  clientSecret: string;
  /** Refresh tokens this client may use. */
  refreshTokens?: string[];
  /** Refresh-token rotation: each refresh answers a new refresh_token and invalidates the used one. */
  rotateRefreshTokens?: boolean;
  /** JWT bearer flow: PEM public key or X.509 certificate of the connected app. */
  jwtPublicKey?: string;
  /** Access-token lifetime in ms; default none (until expired on demand). */
  tokenLifetimeMs?: number;
};

export type TokenResponse = {
  access_token: string;
  refresh_token?: string;
  signature: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
};

type TokenState = { expiresAt?: number; expired: boolean };

export type TokenStore = {
  isValid(token: string): boolean;
  /** Makes `token` answer 401 INVALID_SESSION_ID from now on. */
  expire(token: string): void;
  /** Issues an access token directly (as a completed OAuth flow would). */
  issue(lifetimeMs?: number): string;
  /** Refresh tokens currently valid for a client (after rotations). */
  refreshTokensOf(clientId: string): string[];
  /** How many token-endpoint grants succeeded, by grant type. */
  grants: Record<string, number>;
  router: Router;
};

export type TokenStoreOptions = {
  orgId: string;
  userId: () => string;
  usernames: () => string[];
  instanceUrl: () => string;
  staticToken: string;
  clients: OAuthClient[];
  now: () => number;
};

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const base64url = (buf: Buffer) => buf.toString('base64url');

export function createTokenStore(options: TokenStoreOptions): TokenStore {
  const tokens = new Map<string, TokenState>([[options.staticToken, { expired: false }]]);
  const refresh = new Map<string, Set<string>>(
    options.clients.map((c) => [c.clientId, new Set(c.refreshTokens ?? [])]),
  );
  const keys = new Map<string, KeyObject>();
  for (const c of options.clients) if (c.jwtPublicKey) keys.set(c.clientId, createPublicKey(c.jwtPublicKey));
  const grants: Record<string, number> = {};

  const issue = (lifetimeMs?: number): string => {
    // Shaped like a session id: `<orgId>!<opaque>` (no dots).
    const token = `${options.orgId}!AQ${base64url(randomBytes(30)).replace(/[-_]/g, 'x')}`;
    tokens.set(token, { expired: false, expiresAt: lifetimeMs ? options.now() + lifetimeMs : undefined });
    return token;
  };

  const respond = (client: OAuthClient | undefined, extra: Partial<TokenResponse> = {}): TokenResponse => {
    const issuedAt = String(options.now());
    const id = `${options.instanceUrl()}/id/${options.orgId}/${options.userId()}`;
    // Salesforce: base64(HMAC-SHA256(client secret, id + issued_at)).
    const signature = createHmac('sha256', client?.clientSecret ?? options.staticToken)
      .update(id + issuedAt)
      .digest('base64');
    return {
      access_token: issue(client?.tokenLifetimeMs),
      ...extra,
      signature,
      scope: 'refresh_token api',
      instance_url: options.instanceUrl(),
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  };

  const clientFor = (id: unknown, secret?: unknown, needSecret = true): OAuthClient => {
    const client = options.clients.find((c) => c.clientId === id);
    if (!client) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (needSecret && secret !== undefined && secret !== client.clientSecret)
      throw new OAuthError('invalid_client', 'invalid client credentials');
    return client;
  };

  const jwtBearer = (assertion: unknown): TokenResponse => {
    const parts = typeof assertion === 'string' ? assertion.split('.') : [];
    if (parts.length !== 3) throw new OAuthError('invalid_grant', 'invalid assertion');
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      throw new OAuthError('invalid_grant', 'invalid assertion');
    }
    if (header.alg !== 'RS256') throw new OAuthError('invalid_grant', 'invalid assertion');
    const client = clientFor(claims.iss, undefined, false);
    const key = keys.get(client.clientId);
    const signedOk =
      key !== undefined &&
      verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
    if (!signedOk) throw new OAuthError('invalid_grant', 'invalid assertion');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(options.instanceUrl()))
      throw new OAuthError('invalid_grant', 'audience is invalid');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= options.now())
      throw new OAuthError('invalid_grant', 'expired authorization code');
    if (!options.usernames().includes(String(claims.sub)))
      throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
    return respond(client);
  };

  const router = Router();
  router.post('/services/oauth2/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      let answer: TokenResponse;
      switch (body.grant_type) {
        case 'refresh_token': {
          const client = clientFor(body.client_id, body.client_secret);
          const valid = refresh.get(client.clientId)!;
          const token = String(body.refresh_token ?? '');
          if (!valid.has(token)) throw new OAuthError('invalid_grant', 'expired access/refresh token');
          let extra: Partial<TokenResponse> = {};
          if (client.rotateRefreshTokens) {
            valid.delete(token);
            const next = `5Aep${base64url(randomBytes(30)).replace(/[-_]/g, 'x')}`;
            valid.add(next);
            extra = { refresh_token: next };
          }
          answer = respond(client, extra);
          break;
        }
        case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
          answer = jwtBearer(body.assertion);
          break;
        case 'client_credentials': {
          const client = clientFor(body.client_id, body.client_secret);
          if (body.client_secret !== client.clientSecret)
            throw new OAuthError('invalid_client', 'invalid client credentials');
          answer = respond(client);
          break;
        }
        default:
          throw new OAuthError('unsupported_grant_type', 'grant type not supported');
      }
      grants[String(body.grant_type)] = (grants[String(body.grant_type)] ?? 0) + 1;
      res.json(answer);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      res.status(error.status).json({ error: error.error, error_description: error.description });
    }
  });

  return {
    isValid(token) {
      const state = tokens.get(token);
      if (!state || state.expired) return false;
      return state.expiresAt === undefined || state.expiresAt > options.now();
    },
    expire(token) {
      const state = tokens.get(token);
      if (state) state.expired = true;
    },
    issue,
    refreshTokensOf: (clientId) => [...(refresh.get(clientId) ?? [])],
    grants,
    router,
  };
}
