/**
 * What the signed routes read from the environment, validated at start-up (DESIGN, Config):
 * - HUBSPOT_CLIENT_SECRET: the app's client secret, the key of every HubSpot signature (never logged);
 * - CRM_CLV_PUBLIC_URL: the HTTPS origin HubSpot calls, when a proxy in front rewrites the Host header or the
 *   scheme (v3 signs the full URL); default https:// + the request's Host;
 * - CRM_CLV_WEBHOOK_WINDOW_SECONDS: how long webhook events of a portal are gathered into one run (default 300);
 * - SALESFORCE_CARD_SECRET: the key each Salesforce org's card key is derived from (never logged; README
 *   "Salesforce card"); without it the Salesforce card routes answer 503.
 */
import { z } from 'zod';
import { CrmClvError } from '../../domain/errors';

export class SignedRoutesConfigError extends CrmClvError<'INVALID_OPTION'> {
  constructor(message: string) {
    super('INVALID_OPTION', message);
  }
}

export type SignedRoutesConfig = {
  clientSecret: string | undefined;
  publicUrl: string | undefined;
  webhookWindowMs: number;
  salesforceCardSecret: string | undefined;
};

const schema = z.object({
  HUBSPOT_CLIENT_SECRET: z.string().optional(),
  CRM_CLV_PUBLIC_URL: z
    .string()
    .url('must be a URL such as https://crm-clv.example.com')
    .refine(
      (url) => /^https?:\/\/[^/?#]+\/?$/.test(url),
      'must be an origin: scheme and host only, no path or query',
    )
    .optional(),
  CRM_CLV_WEBHOOK_WINDOW_SECONDS: z.coerce
    .number()
    .int('must be whole seconds')
    .min(10, 'must be at least 10')
    .max(3600, 'must be at most 3600')
    .default(300),
  SALESFORCE_CARD_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)')
    .optional(),
});

export function signedRoutesConfig(env: NodeJS.ProcessEnv): SignedRoutesConfig {
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
  const parsed = schema.safeParse({
    HUBSPOT_CLIENT_SECRET: blank(env.HUBSPOT_CLIENT_SECRET),
    CRM_CLV_PUBLIC_URL: blank(env.CRM_CLV_PUBLIC_URL),
    CRM_CLV_WEBHOOK_WINDOW_SECONDS: blank(env.CRM_CLV_WEBHOOK_WINDOW_SECONDS),
    SALESFORCE_CARD_SECRET: blank(env.SALESFORCE_CARD_SECRET),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The variable's name and the rule, never its value (a secret pasted into the wrong variable stays unseen).
    throw new SignedRoutesConfigError(`${issue.path.join('.')} ${issue.message}`);
  }
  return {
    clientSecret: parsed.data.HUBSPOT_CLIENT_SECRET,
    publicUrl: parsed.data.CRM_CLV_PUBLIC_URL,
    webhookWindowMs: parsed.data.CRM_CLV_WEBHOOK_WINDOW_SECONDS * 1000,
    salesforceCardSecret: parsed.data.SALESFORCE_CARD_SECRET,
  };
}
