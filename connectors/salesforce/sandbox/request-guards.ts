/**
 * Middleware every REST request passes: bearer auth (401 INVALID_SESSION_ID, NOTES §1.2), the daily API
 * allocation with `Sforce-Limit-Info: api-usage=N/M` on every REST response and 403 REQUEST_LIMIT_EXCEEDED
 * once used up (NOTES §3.4; the versions URI `/services/data/` does not count), and the error handler that
 * turns errors into Salesforce's JSON array bodies with `application/json;charset=UTF-8` (NOTES §1.5, §3.1).
 */

import type { NextFunction, Request, Response } from 'express';
import {
  invalidSession,
  jsonParserError,
  notFound,
  requestLimitExceeded,
  SalesforceApiError,
} from './salesforce-error';

export type ApiUsage = { used: number; max: number };

export function bearerAuth(isValid: (token: string) => boolean) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    // jsforce's streaming client sends `OAuth <token>` (NOTES §5.3); REST uses Bearer.
    const match = /^(Bearer|OAuth) (.+)$/.exec(header);
    next(match && isValid(match[2]) ? undefined : invalidSession());
  };
}

export function apiUsage(usage: ApiUsage) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (usage.used >= usage.max) {
      res.set('Sforce-Limit-Info', `api-usage=${usage.used}/${usage.max}`);
      next(requestLimitExceeded());
      return;
    }
    usage.used++;
    res.set('Sforce-Limit-Info', `api-usage=${usage.used}/${usage.max}`);
    next();
  };
}

export function notFoundRoute(_req: Request, _res: Response, next: NextFunction): void {
  next(notFound());
}

export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  void _next;
  const parser = err as { type?: string } | null;
  let error: SalesforceApiError;
  if (err instanceof SalesforceApiError) error = err;
  else if (parser?.type === 'entity.parse.failed')
    error = jsonParserError('Unexpected character in the request body');
  else if (parser?.type === 'entity.too.large')
    error = new SalesforceApiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request body is too large');
  else
    error = new SalesforceApiError(
      500,
      'UNKNOWN_EXCEPTION',
      err instanceof Error ? err.message : String(err),
    );
  res.status(error.status).type('application/json;charset=UTF-8').send(JSON.stringify(error.body));
}
