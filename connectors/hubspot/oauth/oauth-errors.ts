/**
 * Typed OAuth failures with a stable `code` and a message that says what to do (DESIGN, Errors). None of them
 * ever carries a token, code, client secret or key: messages are built from HubSpot's status name and our own
 * words, and no `cause` is attached, because a cause (an SDK exception, a crypto error) could be logged whole.
 */

export type OAuthErrorCode =
  | 'HUBSPOT_OAUTH_REJECTED'
  | 'HUBSPOT_OAUTH_UNAVAILABLE'
  | 'HUBSPOT_OAUTH_NOT_INSTALLED'
  | 'HUBSPOT_OAUTH_STATE_INVALID'
  | 'HUBSPOT_OAUTH_CONFIG_MISSING'
  | 'TOKEN_KEY_MISSING'
  | 'TOKEN_KEY_INVALID'
  | 'TOKEN_FILE_UNREADABLE';

export abstract class OAuthError extends Error {
  abstract readonly code: OAuthErrorCode;
}

/**
 * What to do for each `status` HubSpot's token endpoint answers with (NOTES §4.8; the names are those the sandbox
 * serves, [U] for the full list HubSpot uses).
 */
const ADVICE: Record<string, string> = {
  BAD_AUTH_CODE:
    'the authorization code is unknown, expired or already used; start the install again (open /oauth/install)',
  BAD_REFRESH_TOKEN:
    'the refresh token is no longer valid (the app was uninstalled or the token revoked); reinstall the app in this portal',
  BAD_CLIENT_ID: "check the client id: it must be the app's client id from its Auth settings",
  BAD_CLIENT_SECRET: "check the client secret: it must be the app's client secret from its Auth settings",
  BAD_REDIRECT_URI:
    "the redirect URI must be the one the authorize URL used and one of the app's registered redirect URLs",
  BAD_GRANT_TYPE:
    'this is a bug in crm-clv (grant_type must be authorization_code or refresh_token); report it',
};

/** HubSpot refused a code exchange or refresh (HTTP 4xx from `POST /oauth/v1/token`). */
export class HubSpotOAuthError extends OAuthError {
  readonly code = 'HUBSPOT_OAUTH_REJECTED';
  /** HubSpot's `status` name, e.g. `BAD_AUTH_CODE`, or `HTTP_<n>` when the body had none. */
  readonly status: string;
  readonly httpStatus: number;
  constructor(status: string, httpStatus: number) {
    const advice = ADVICE[status] ?? 'start the install again; if it keeps failing, reinstall the app';
    super(`HubSpot refused the OAuth request (${status}, HTTP ${httpStatus}): ${advice}.`);
    this.name = 'HubSpotOAuthError';
    this.status = status;
    this.httpStatus = httpStatus;
  }
}

/** The token endpoint could not be reached or failed on its side (network error, 5xx, unexpected answer). */
export class HubSpotOAuthUnavailableError extends OAuthError {
  readonly code = 'HUBSPOT_OAUTH_UNAVAILABLE';
  constructor(what: string) {
    super(
      `HubSpot's OAuth endpoint failed (${what}); check https://status.hubspot.com and the network, then retry.`,
    );
    this.name = 'HubSpotOAuthUnavailableError';
  }
}

/** No stored tokens for a portal: the app was never installed there (or the token file was removed). */
export class OAuthNotInstalledError extends OAuthError {
  readonly code = 'HUBSPOT_OAUTH_NOT_INSTALLED';
  readonly portalId: string;
  constructor(portalId: string) {
    super(
      `No OAuth tokens are stored for HubSpot portal ${portalId}; install the app in that portal ` +
        '(run `crm-clv serve` and open /oauth/install there) or use a private-app token instead.',
    );
    this.name = 'OAuthNotInstalledError';
    this.portalId = portalId;
  }
}

/** The callback's `state` is missing, unknown, already used or expired: the request did not come from our install. */
export class OAuthStateError extends OAuthError {
  readonly code = 'HUBSPOT_OAUTH_STATE_INVALID';
  constructor(ttlMinutes: number) {
    super(
      `This install link is unknown, already used or older than ${ttlMinutes} minutes; ` +
        'start the install again at /oauth/install.',
    );
    this.name = 'OAuthStateError';
  }
}

/** The OAuth app's client id/secret (or redirect URI, for installs) are not in the environment. */
export class OAuthConfigError extends OAuthError {
  readonly code = 'HUBSPOT_OAUTH_CONFIG_MISSING';
  readonly variables: string[];
  constructor(variables: string[]) {
    super(
      `${variables.join(', ')} must be set for OAuth: copy them from the app's Auth settings in HubSpot ` +
        '(or use a private-app token with HUBSPOT_ACCESS_TOKEN instead).',
    );
    this.name = 'OAuthConfigError';
    this.variables = variables;
  }
}

const GENERATE_KEY = 'generate one with `openssl rand -base64 32` and keep it secret';

/** `CRM_CLV_TOKEN_KEY` is not set. */
export class TokenKeyMissingError extends OAuthError {
  readonly code = 'TOKEN_KEY_MISSING';
  constructor(variable: string) {
    super(`${variable} is not set; it encrypts the stored OAuth tokens: ${GENERATE_KEY}.`);
    this.name = 'TokenKeyMissingError';
  }
}

/** `CRM_CLV_TOKEN_KEY` is set but is not 32 bytes as base64 or hex (its value is never repeated here). */
export class TokenKeyInvalidError extends OAuthError {
  readonly code = 'TOKEN_KEY_INVALID';
  constructor(variable: string) {
    super(`${variable} must be 32 bytes as base64 (44 characters) or as 64 hex characters; ${GENERATE_KEY}.`);
    this.name = 'TokenKeyInvalidError';
  }
}

/** The token file failed authentication (other key, changed bytes) or is not a token file at all. */
export class TokenFileError extends OAuthError {
  readonly code = 'TOKEN_FILE_UNREADABLE';
  readonly path: string;
  constructor(path: string) {
    super(
      `${path} cannot be decrypted: the token file was written with another CRM_CLV_TOKEN_KEY or changed; ` +
        'restore the key it was written with, or reinstall the app (which writes a new file).',
    );
    this.name = 'TokenFileError';
    this.path = path;
  }
}
