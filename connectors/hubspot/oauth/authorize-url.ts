/**
 * The URL a HubSpot user opens to install the app (NOTES §4.8):
 * `https://app.hubspot.com/oauth/authorize?client_id=…&redirect_uri=…&scope=<space-separated>&optional_scope=…&state=…`,
 * the same string `client.oauth.getAuthorizationUrl` builds [V]: parameters in that order, spaces as `%20`.
 */
import { z } from 'zod';

export const HUBSPOT_AUTHORIZE_URL = 'https://app.hubspot.com/oauth/authorize';

/** A scope name has no whitespace: HubSpot separates scopes with spaces. */
const scope = z.string().regex(/^\S+$/, 'a scope is one word without spaces, e.g. crm.objects.contacts.read');

const authorizeUrlInput = z.object({
  clientId: z.string().min(1, "clientId is the app's client id from its Auth settings"),
  redirectUri: z
    .string()
    .url('redirectUri must be an absolute URL registered as a redirect URL of the app')
    .refine((uri) => /^https?:/.test(uri), 'redirectUri must be an http(s) URL'),
  scopes: z.array(scope).min(1, 'at least one required scope, e.g. crm.objects.contacts.read'),
  optionalScopes: z.array(scope).optional(),
  state: z.string().min(1).optional(),
});

export type AuthorizeUrlInput = z.input<typeof authorizeUrlInput>;

/** Builds the install URL; throws a zod error naming the bad field when the input is malformed. */
export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  const parsed = authorizeUrlInput.parse(input);
  const params: [string, string][] = [
    ['client_id', parsed.clientId],
    ['redirect_uri', parsed.redirectUri],
    ['scope', parsed.scopes.join(' ')],
  ];
  if (parsed.optionalScopes && parsed.optionalScopes.length > 0) {
    params.push(['optional_scope', parsed.optionalScopes.join(' ')]);
  }
  if (parsed.state !== undefined) params.push(['state', parsed.state]);
  // encodeURIComponent, not URLSearchParams: the latter writes spaces as `+`, and NOTES §4.8 shows `%20`.
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${HUBSPOT_AUTHORIZE_URL}?${query}`;
}
