/**
 * Middleware every request passes before a route: bearer auth (401 INVALID_AUTHENTICATION, NOTES §4.7) and the
 * rate limits with HubSpot's headers and 429 bodies (NOTES §4.6). The error handler turns a HubSpotApiError
 * into its wire body with a JSON content type (NOTES §5.3: the SDK cannot parse an untyped body).
 */

import type { NextFunction, Request, Response } from 'express';
import {
  authenticationError,
  errorBody,
  HubSpotApiError,
  payloadTooLargeError,
  rateLimitBody,
  validationError,
} from './hubspot-error';
import type { RateLimiter } from './rate-limit-window';

/** Accepts the static token, or any token `alsoValid` vouches for (OAuth access tokens). */
export function bearerAuth(token: string, alsoValid: (candidate: string) => boolean = () => false) {
  const expected = `Bearer ${token}`;
  return (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const ok = header === expected || (header.startsWith('Bearer ') && alsoValid(header.slice(7)));
    next(ok ? undefined : authenticationError());
  };
}

/** Search has its own 5/s limit and no rate headers (NOTES §4.1 search, §4.6); everything else is standard. */
export function requestKind(req: Request): 'search' | 'standard' {
  return req.method === 'POST' && /^\/crm\/v3\/objects\/[^/]+\/search$/.test(req.path)
    ? 'search'
    : 'standard';
}

export function rateLimit(limiter: RateLimiter, portalId: string, now: () => number, staticToken: string) {
  const staticHeader = `Bearer ${staticToken}`;
  return (req: Request, res: Response, next: NextFunction): void => {
    const kind = requestKind(req);
    // Auth already passed, so any other bearer token is an OAuth access token.
    const decision = limiter.check(kind, now(), req.headers.authorization !== staticHeader);
    res.set(decision.headers);
    if (decision.allowed) {
      next();
      return;
    }
    res.status(429).json(rateLimitBody(decision.policy, portalId));
  };
}

export function notFoundRoute(req: Request, _res: Response, next: NextFunction): void {
  next(new HubSpotApiError(404, errorBody('OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`)));
}

/**
 * Express recognises an error handler by its four parameters. body-parser's own failures become HubSpot
 * answers: unparsable JSON → 400, a body over the limit → 413 (not the 500 an unknown error gets).
 */
export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  void _next;
  let error: HubSpotApiError;
  const parserError = err as { type?: string; limit?: unknown; length?: unknown } | null;
  if (err instanceof HubSpotApiError) error = err;
  else if (parserError?.type === 'entity.parse.failed') error = validationError('Invalid input JSON');
  else if (parserError?.type === 'entity.too.large')
    error = payloadTooLargeError(
      Number(parserError.limit),
      typeof parserError.length === 'number' ? parserError.length : undefined,
    );
  else
    error = new HubSpotApiError(
      500,
      errorBody('INTERNAL_ERROR', err instanceof Error ? err.message : String(err)),
    );
  res.status(error.status).json(error.body);
}
