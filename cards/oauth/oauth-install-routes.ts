/**
 * The OAuth install routes as the server mounts them: the real install router (install-router.ts) when the
 * HubSpot app is configured, else `/oauth/install` and `/oauth/callback` answer 503 and name what is missing,
 * so an operator sees at once why the install does not work. Configured means: HUBSPOT_CLIENT_ID,
 * HUBSPOT_CLIENT_SECRET and HUBSPOT_REDIRECT_URI (the code exchange repeats it, NOTES §4.8) from the app's Auth
 * settings, and CRM_CLV_TOKEN_KEY, which encrypts the stored tokens. No value is ever put in an answer or a log.
 */
import { Router } from 'express';
import {
  createTokenExchange,
  EncryptedTokenStore,
  OAuthConfigError,
  oauthAppFromEnv,
  OAUTH_APP_VARIABLES,
  tokenKeyFromEnv,
  TokenKeyInvalidError,
  TokenKeyMissingError,
  TOKEN_KEY_VARIABLE,
  type OAuthAppCredentials,
} from '../../connectors/hubspot/oauth';
import { createInstallRouter } from './install-router';

/**
 * What the app asks a portal for. The object scopes are those of NOTES (contacts and deals; `e-commerce` for
 * products and line items, `tickets` for tickets); the schema scopes (creating the `clv_*` properties) and
 * owners are [U]. HUBSPOT_SCOPES and HUBSPOT_OPTIONAL_SCOPES (space-separated) replace them.
 *
 * They are the HubSpot app's `requiredScopes` and `optionalScopes` (cards/hubspot/src/app/app-hsmeta.json;
 * test/cards/hubspot/hubspot-project.test.ts holds them equal): HubSpot refuses an install whose authorize URL
 * asks for other scopes than the app declares. Line items, products and tickets are required, not optional:
 * a sync without them stops on a 403.
 */
export const DEFAULT_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.objects.deals.read',
  'crm.objects.owners.read',
  'e-commerce',
  'tickets',
];
export const DEFAULT_OPTIONAL_SCOPES: string[] = [];

export type OAuthInstallRoutes = {
  router: Router;
  /** Undefined when configured; else what to set, for the 503 answer and the start-up log. */
  notConfigured?: { missing: string[]; message: string };
};

export type OAuthInstallRoutesOptions = {
  env: NodeJS.ProcessEnv;
  /** Where tokens are stored (`<dataDir>/hubspot-<portal>/oauth-tokens.enc`), the CLI's --data-dir. */
  dataDir: string;
  log?: (line: string) => void;
};

const words = (text: string | undefined): string[] | undefined => {
  const list = text?.split(/\s+/).filter((w) => w !== '');
  return list && list.length > 0 ? list : undefined;
};

export function oauthInstallRoutes(options: OAuthInstallRoutesOptions): OAuthInstallRoutes {
  const { env } = options;
  const missing: string[] = [];
  const problems: string[] = [];
  let app: Required<OAuthAppCredentials> | undefined;
  let key: Buffer | undefined;
  try {
    app = oauthAppFromEnv(env, { redirectUri: 'required' });
  } catch (error) {
    if (!(error instanceof OAuthConfigError)) throw error;
    missing.push(...error.variables);
  }
  try {
    key = tokenKeyFromEnv(env);
  } catch (error) {
    if (error instanceof TokenKeyMissingError) missing.push(TOKEN_KEY_VARIABLE);
    else if (error instanceof TokenKeyInvalidError) problems.push(error.message);
    else throw error;
  }

  if (app === undefined || key === undefined) {
    const appVariables: string[] = Object.values(OAUTH_APP_VARIABLES);
    const parts = [
      ...(missing.length > 0 ? [`set ${missing.join(', ')}`] : []),
      ...problems,
      ...(missing.some((name) => appVariables.includes(name))
        ? ["the client id, client secret and redirect URL are in the app's Auth settings in HubSpot"]
        : []),
      ...(missing.includes(TOKEN_KEY_VARIABLE)
        ? [`${TOKEN_KEY_VARIABLE} encrypts the stored tokens: generate one with \`openssl rand -base64 32\``]
        : []),
    ];
    const message = `The HubSpot OAuth install is not configured: ${parts.join('; ')}.`;
    const router = Router();
    router.get(['/oauth/install', '/oauth/callback'], (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.status(503).json({ error: 'HUBSPOT_OAUTH_NOT_CONFIGURED', message, missing });
    });
    return { router, notConfigured: { missing, message } };
  }

  const router = createInstallRouter({
    app,
    scopes: words(env.HUBSPOT_SCOPES) ?? DEFAULT_SCOPES,
    optionalScopes: words(env.HUBSPOT_OPTIONAL_SCOPES) ?? DEFAULT_OPTIONAL_SCOPES,
    exchange: createTokenExchange({ app, baseUrl: env.HUBSPOT_BASE_URL || undefined }),
    store: new EncryptedTokenStore(options.dataDir, key),
    onInstalled: (portalId) => options.log?.(`installed in HubSpot portal ${portalId}`),
  });
  return { router };
}
