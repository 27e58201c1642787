/**
 * The OAuth app's credentials from the environment (DESIGN, Config: environment variables validated with zod):
 * `HUBSPOT_CLIENT_ID`, `HUBSPOT_CLIENT_SECRET` (the same secret HubSpot signs requests with, DESIGN demo
 * defaults) and, for the install routes only, `HUBSPOT_REDIRECT_URI`. Values are never put in an error.
 */
import { z } from 'zod';
import type { OAuthAppCredentials } from './exchange-tokens';
import { OAuthConfigError } from './oauth-errors';

export const OAUTH_APP_VARIABLES = {
  clientId: 'HUBSPOT_CLIENT_ID',
  clientSecret: 'HUBSPOT_CLIENT_SECRET',
  redirectUri: 'HUBSPOT_REDIRECT_URI',
} as const;

const present = z.string().trim().min(1);

/**
 * Reads the app's credentials. `redirectUri: 'required'` for the install routes (the code exchange must repeat
 * the authorize URL's redirect_uri, NOTES §4.8); a refresh does not send one, so the CLI can leave it out.
 */
export function oauthAppFromEnv(
  env: NodeJS.ProcessEnv,
  options: { redirectUri: 'required' },
): Required<OAuthAppCredentials>;
export function oauthAppFromEnv(
  env?: NodeJS.ProcessEnv,
  options?: { redirectUri: 'optional' },
): OAuthAppCredentials;
export function oauthAppFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { redirectUri: 'required' | 'optional' } = { redirectUri: 'optional' },
): OAuthAppCredentials {
  const missing: string[] = [];
  const read = (name: string): string | undefined => {
    const parsed = present.safeParse(env[name]);
    if (!parsed.success) missing.push(name);
    return parsed.success ? parsed.data : undefined;
  };
  const clientId = read(OAUTH_APP_VARIABLES.clientId);
  const clientSecret = read(OAUTH_APP_VARIABLES.clientSecret);
  const redirectUri =
    options.redirectUri === 'required'
      ? read(OAUTH_APP_VARIABLES.redirectUri)
      : present.safeParse(env[OAUTH_APP_VARIABLES.redirectUri]).data;
  if (missing.length > 0 || clientId === undefined || clientSecret === undefined) {
    throw new OAuthConfigError(missing);
  }
  return { clientId, clientSecret, ...(redirectUri === undefined ? {} : { redirectUri }) };
}
