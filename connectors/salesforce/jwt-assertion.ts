/**
 * The signed assertion of the OAuth 2.0 JWT bearer flow (NOTES §1.3; Salesforce help
 * `remoteaccess_oauth_jwt_flow`): header {"alg":"RS256"}, claims iss = connected app consumer key, sub = the
 * integration user's username, aud = the login host, exp a few minutes ahead; signed with the private key whose
 * certificate is uploaded to the connected app. jsforce has no signer, so node:crypto does it.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

export type JwtClaims = {
  /** Connected app consumer key. */
  clientId: string;
  username: string;
  /** `https://login.salesforce.com`, `https://test.salesforce.com` or the My Domain URL. */
  audience: string;
  /** Seconds the assertion stays valid; Salesforce allows at most 3 minutes of clock skew. Default 180. */
  lifetimeSeconds?: number;
};

function base64Url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * Example: signJwtAssertion({ clientId, username: 'int@acme.com', audience: 'https://login.salesforce.com' },
 *   pemKey, Date.now()) → 'eyJhbGciOiJSUzI1NiJ9.eyJpc3Mi….<signature>'
 */
export function signJwtAssertion(claims: JwtClaims, privateKey: string | KeyObject, nowMs: number): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const header = base64Url(JSON.stringify({ alg: 'RS256' }));
  const payload = base64Url(
    JSON.stringify({
      iss: claims.clientId,
      sub: claims.username,
      aud: claims.audience,
      exp: Math.floor(nowMs / 1000) + (claims.lifetimeSeconds ?? 180),
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${base64Url(signature)}`;
}
