/**
 * Response headers that keep a browser from misusing what this server answers (OWASP secure-headers list),
 * set on every response; no dependency for six headers. The strict Content-Security-Policy (`default-src
 * 'none'`) is for JSON routes (webhooks, the card API): the admin board's HTML needs its own scripts, so the
 * server-wide policy only forbids framing.
 */
import type { RequestHandler } from 'express';

/** For routes that answer JSON only: nothing may load from it, nothing may frame it. */
export const JSON_ONLY_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The headers every response carries, with the given Content-Security-Policy. */
export function securityHeaderList(contentSecurityPolicy = "frame-ancestors 'none'"): [string, string][] {
  return [
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    // Browsers heed it only over HTTPS, which is how the platform's router serves us.
    ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
    ['Content-Security-Policy', contentSecurityPolicy],
  ];
}

export function securityHeaders(options: { contentSecurityPolicy?: string } = {}): RequestHandler {
  const headers = securityHeaderList(options.contentSecurityPolicy);
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
