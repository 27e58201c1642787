/**
 * Tokens, client secrets and signed assertions must never reach a message or a log. jsforce's errors can
 * quote request URLs and token-endpoint answers, so every message we build from one goes through here.
 */
import { redactUrl } from '../hubspot/redact-url';

/** key=value pairs of OAuth forms and query strings that carry secrets. */
const SECRET_PARAMS =
  /\b(access_token|refresh_token|client_secret|assertion|oauth_token|password|code)=([^&\s"']+)/gi;
/** `Bearer <token>` / `OAuth <token>` authorization values, and "sessionId" elements of SOAP envelopes. */
const AUTH_VALUES = /\b(Bearer|OAuth)\s+[^\s"',]+/g;
const SESSION_ELEMENT = /<sessionId>[^<]*<\/sessionId>/gi;

/**
 * `text` with every known secret value, secret-carrying parameter, authorization value and URL credential
 * replaced by `***`. Secrets shorter than 4 characters are not searched for (they would mangle the text).
 * Example: redactSecrets('refresh_token=RT123&x=1', []) → 'refresh_token=***&x=1'
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = redactUrl(text)
    .replace(SECRET_PARAMS, '$1=***')
    .replace(AUTH_VALUES, '$1 ***')
    .replace(SESSION_ELEMENT, '<sessionId>***</sessionId>');
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    out = out.split(secret).join('***');
  }
  return out;
}
