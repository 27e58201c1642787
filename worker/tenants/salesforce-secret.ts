/**
 * What a Salesforce tenant keeps sealed in the registry (secret-box.ts): its access token, or the connected
 * app's credentials for the refresh-token or JWT bearer flow (NOTES §1), as one JSON text. The instance URL is
 * the connection's baseUrl, in the clear. A rotated refresh token replaces the stored one (onTokens).
 */
import { z } from 'zod';
import type { SalesforceAuth } from '../../connectors/salesforce/create-connection';

const loginUrl = z.string().url().optional();

export const salesforceSecretSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('access-token'), accessToken: z.string().min(1) }),
  z.object({
    kind: z.literal('refresh-token'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    refreshToken: z.string().min(1),
    loginUrl,
  }),
  z.object({
    kind: z.literal('jwt'),
    clientId: z.string().min(1),
    username: z.string().min(1),
    privateKey: z.string().min(1),
    loginUrl,
    audience: z.string().optional(),
  }),
]);
export type SalesforceSecret = z.infer<typeof salesforceSecretSchema>;

/** The tenant auth kind a secret is registered under. */
export function tenantAuthOf(secret: SalesforceSecret): 'token' | 'refresh' | 'jwt' {
  return secret.kind === 'access-token' ? 'token' : secret.kind === 'refresh-token' ? 'refresh' : 'jwt';
}

export function encodeSalesforceSecret(secret: SalesforceSecret): string {
  return JSON.stringify(salesforceSecretSchema.parse(secret));
}

/** A stored secret; a bare token (not JSON) is an access token. Throws naming the fields, never the values. */
export function decodeSalesforceSecret(text: string): SalesforceSecret {
  if (!text.trimStart().startsWith('{')) return { kind: 'access-token', accessToken: text.trim() };
  const parsed = salesforceSecretSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new RangeError(
      `the stored Salesforce credentials are not readable (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}): register the tenant again`,
    );
  return parsed.data;
}

/** The connector's auth for a secret; the access-token flow needs the instance URL. */
export function salesforceAuthOf(secret: SalesforceSecret, instanceUrl: string | undefined): SalesforceAuth {
  switch (secret.kind) {
    case 'access-token':
      if (instanceUrl === undefined)
        throw new RangeError('a Salesforce access token needs the instance URL (--instance-url)');
      return { kind: 'access-token', instanceUrl, accessToken: secret.accessToken };
    case 'refresh-token':
      return { ...secret, ...(instanceUrl ? { instanceUrl } : {}) };
    case 'jwt':
      return { ...secret, ...(instanceUrl ? { instanceUrl } : {}) };
  }
}
