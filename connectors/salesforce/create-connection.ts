/**
 * One jsforce Connection per org, set up without a browser (NOTES §1): a stored access token, an OAuth refresh
 * token (connected app id + secret), or the JWT bearer flow for server-to-server runs. The API version is
 * always explicit: jsforce defaults to 50.0 (NOTES §0).
 *
 * Every flow refreshes through our own refreshFn behind a SessionGuard (one refresh, then fail: NOTES §1.2's
 * infinite-loop hazard), and rotated tokens reach the caller through `onTokens` (jsforce's default refresh
 * drops a rotated refresh_token, NOTES §1.2).
 */
import { Connection } from 'jsforce';
import type { KeyObject } from 'node:crypto';
import { signJwtAssertion } from './jwt-assertion';
import { SalesforceAuthError } from './errors';
import { redactSecrets } from './redact-secrets';
import { SessionGuard } from './session-guard';

export const SALESFORCE_API_VERSION = '62.0';
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export type SalesforceAuth =
  | { kind: 'access-token'; instanceUrl: string; accessToken: string }
  | {
      kind: 'refresh-token';
      clientId: string;
      clientSecret: string;
      refreshToken: string;
      /** Token endpoint host (login, test or My Domain); default https://login.salesforce.com. */
      loginUrl?: string;
      /** A stored access token to try first; without one the connection refreshes at once. */
      accessToken?: string;
      instanceUrl?: string;
    }
  | {
      kind: 'jwt';
      clientId: string;
      username: string;
      privateKey: string | KeyObject;
      loginUrl?: string;
      /** The `aud` claim; default from the login URL (defaultAudience). */
      audience?: string;
      accessToken?: string;
      instanceUrl?: string;
    };

/** What the caller persists after a (re)issued token; refreshToken is set when Salesforce rotated it. */
export type SalesforceTokens = { accessToken: string; instanceUrl: string; refreshToken?: string };

export type SalesforceConnection = {
  conn: Connection;
  /** The org id from the token response's `id` URL; undefined for a bare access token. */
  orgId: string | undefined;
  guard: SessionGuard;
  /** Messages about this connection with its secrets replaced by ***. */
  redact(text: string): string;
};

export type ConnectOptions = {
  onTokens?: (tokens: SalesforceTokens) => void | Promise<void>;
  /** Override for tests; default 62.0. */
  version?: string;
  now?: () => number;
};

type TokenResponse = { access_token: string; instance_url: string; id?: string; refresh_token?: string };

/**
 * The JWT `aud` Salesforce expects (help `remoteaccess_oauth_jwt_flow`): https://login.salesforce.com for
 * production, https://test.salesforce.com for sandboxes, even when the token is requested from a My Domain;
 * any other host (an Experience Cloud site, a local emulator) is its own audience.
 */
export function defaultAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname;
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com'))
    return 'https://test.salesforce.com';
  if (host.endsWith('.salesforce.com')) return 'https://login.salesforce.com';
  return loginUrl.replace(/\/+$/, '');
}

function orgIdOf(idUrl: string | undefined): string | undefined {
  // `…/id/<orgId>/<userId>` (NOTES §1.2)
  const parts = idUrl?.split('/') ?? [];
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

export async function connectSalesforce(
  auth: SalesforceAuth,
  options: ConnectOptions = {},
): Promise<SalesforceConnection> {
  const version = options.version ?? SALESFORCE_API_VERSION;
  const now = options.now ?? Date.now;
  const guard = new SessionGuard();
  const secrets = (): (string | undefined)[] => [
    conn.accessToken ?? undefined,
    conn.refreshToken ?? undefined,
    auth.kind === 'refresh-token' ? auth.clientSecret : undefined,
    auth.accessToken,
    auth.kind === 'refresh-token' ? auth.refreshToken : undefined,
  ];
  const redact = (text: string): string => redactSecrets(text, secrets());

  /** Runs a token request under the guard and installs its answer on the connection. */
  const issue = async (request: () => Promise<TokenResponse>): Promise<TokenResponse> => {
    let res: TokenResponse;
    try {
      res = await request();
    } catch (error) {
      throw new SalesforceAuthError(
        `Salesforce did not issue a token: ${redact(error instanceof Error ? error.message : String(error))}. ` +
          'Check the connected app (client id, secret or certificate) and that the integration user is pre-authorised.',
      );
    }
    conn._establish({
      instanceUrl: res.instance_url,
      accessToken: res.access_token,
      ...(res.refresh_token ? { refreshToken: res.refresh_token } : {}),
    });
    return res;
  };

  let request: () => Promise<TokenResponse>;
  let conn: Connection;
  if (auth.kind === 'access-token') {
    conn = new Connection({ instanceUrl: auth.instanceUrl, accessToken: auth.accessToken, version });
    return { conn, orgId: undefined, guard, redact };
  } else if (auth.kind === 'refresh-token') {
    const loginUrl = auth.loginUrl ?? DEFAULT_LOGIN_URL;
    request = () =>
      conn.oauth2.refreshToken(conn.refreshToken ?? auth.refreshToken) as Promise<TokenResponse>;
    conn = new Connection({
      oauth2: { clientId: auth.clientId, clientSecret: auth.clientSecret, loginUrl },
      loginUrl,
      version,
      ...(auth.instanceUrl ? { instanceUrl: auth.instanceUrl } : {}),
      ...(auth.accessToken ? { accessToken: auth.accessToken } : {}),
      refreshToken: auth.refreshToken,
      refreshFn: (c, callback) => refreshWith(callback),
    });
  } else {
    const loginUrl = auth.loginUrl ?? DEFAULT_LOGIN_URL;
    const claims = {
      clientId: auth.clientId,
      username: auth.username,
      audience: auth.audience ?? defaultAudience(loginUrl),
    };
    // The JWT flow issues no refresh token (NOTES §1.3): every refresh signs a fresh assertion.
    request = () =>
      conn.oauth2.requestToken({
        grant_type: JWT_GRANT,
        assertion: signJwtAssertion(claims, auth.privateKey, now()),
      }) as Promise<TokenResponse>;
    // No clientId on the OAuth2 client: jsforce would append client_id to the grant, which carries only
    // grant_type and assertion (NOTES §1.3, captured; Salesforce help `remoteaccess_oauth_jwt_flow`). The
    // consumer key travels as the assertion's `iss`.
    conn = new Connection({
      oauth2: { loginUrl },
      loginUrl,
      version,
      ...(auth.instanceUrl ? { instanceUrl: auth.instanceUrl } : {}),
      ...(auth.accessToken ? { accessToken: auth.accessToken } : {}),
      refreshFn: (c, callback) => refreshWith(callback),
    });
  }

  let orgId: string | undefined;
  function refreshWith(callback: (error: Error | null, accessToken?: string, res?: never) => void): void {
    void (async () => {
      try {
        guard.beforeRefresh();
        const res = await issue(request);
        orgId ??= orgIdOf(res.id);
        guard.afterRefresh();
        callback(null, res.access_token);
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)));
      }
    })();
  }

  const notify = async (): Promise<void> => {
    if (conn.accessToken)
      await options.onTokens?.({
        accessToken: conn.accessToken,
        instanceUrl: conn.instanceUrl,
        ...(conn.refreshToken ? { refreshToken: conn.refreshToken } : {}),
      });
  };
  // jsforce emits 'refresh' after every successful refreshFn (NOTES §1.2): hand the new tokens on.
  // A failure to persist must not fail the call that triggered the refresh: the new token works for this run.
  conn.on('refresh', () => {
    notify().catch(() => undefined);
  });

  if (!auth.accessToken) {
    const res = await issue(request);
    orgId = orgIdOf(res.id);
    await notify();
  }
  return {
    conn,
    get orgId() {
      return orgId;
    },
    guard,
    redact,
  };
}
