/**
 * Credentials in a URL (`http://user:pass@host`) must never reach a message or a log. fetch refuses such URLs
 * with an error that quotes the whole URL, credentials included, so every message that may hold one goes
 * through here first.
 */

/** scheme://userinfo@ — userinfo runs to the last '@' before the path, query or fragment (WHATWG URL). */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi;

/**
 * Replaces the credentials of every URL in `text` with `***`; text without credentials comes back unchanged.
 * Works on a bare URL or on a message that quotes URLs.
 * Example: redactUrl('http://user:pass@127.0.0.1:4010/crm') → 'http://***@127.0.0.1:4010/crm'
 */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

/** True when the URL carries a user name or password (an empty userinfo, `http://@host`, counts too). */
export function urlHasCredentials(url: string): boolean {
  return /^\s*[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i.test(url);
}
