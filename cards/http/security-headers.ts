/**
 * Response headers that keep a browser from misusing what this server answers (OWASP secure-headers list),
 * set on every response; no dependency for six headers. The strict Content-Security-Policy (`default-src
 * 'none'`) is for JSON routes (webhooks, the card API): the admin board's HTML needs its own scripts, so the
 * server-wide policy only forbids framing.
 */
import type { RequestHandler } from 'express';

/** For routes that answer JSON only: nothing may load from it, nothing may frame it. */
export const JSON_ONLY_CSP = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(options: { contentSecurityPolicy?: string } = {}): RequestHandler {
  const csp = options.contentSecurityPolicy ?? "frame-ancestors 'none'";
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    // Browsers heed it only over HTTPS, which is how the platform's router serves us.
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    res.setHeader('Content-Security-Policy', csp);
    next();
  };
}
