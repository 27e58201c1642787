/**
 * Express middleware for the Salesforce card routes: keeps the body's exact bytes, then lets a request through
 * only when the org's key signed it (salesforce-card-signature.ts); 503 without SALESFORCE_CARD_SECRET, 400
 * without a well-formed `orgId` in the query (the key cannot be derived), 401 `{ error, message }` for a bad
 * signature. Nothing behind it runs for a refused request. The one fact put on the request is the signed
 * org id; handlers read it with verifiedOrgId(req) and build the tenant from it.
 */
import express, { type Request, type RequestHandler } from 'express';
import type { ReceivedRequest, Refusal } from './verify-hubspot-request';
import { rawBody } from './verify-hubspot-request';
import {
  orgIdOfQuery,
  salesforceOrgKey,
  SalesforceSignatureError,
  verifySalesforceSignature,
} from './salesforce-card-signature';

export type SalesforceSignatureOptions = {
  /** SALESFORCE_CARD_SECRET, from which each org's key is derived; without it every request is refused (503). */
  secret: string | undefined;
  /** Largest body read, in bytes; a larger one is answered 413 before it is verified. */
  maxBodyBytes: number;
  now?: () => number;
  /** Told of each refusal's code (for the log), never a header value. */
  onRejected?: (code: string) => void;
};

const verifiedOrgs = new WeakMap<Request, string>();

/** The signed org id of a request the middleware accepted; else undefined. */
export function verifiedOrgId(req: Request): string | undefined {
  return verifiedOrgs.get(req);
}

/** The check itself: the refusal to send, or the org id the signature binds. A non-signature error is thrown. */
export function checkSalesforceRequest(
  request: ReceivedRequest,
  options: SalesforceSignatureOptions,
): { refusal: Refusal } | { orgId: string } {
  if (options.secret === undefined || options.secret === '')
    return {
      refusal: {
        status: 503,
        body: {
          error: 'SALESFORCE_CARD_NOT_CONFIGURED',
          message: 'set SALESFORCE_CARD_SECRET on the server to accept requests of the Salesforce card',
        },
      },
    };
  const org = orgIdOfQuery(request.url);
  if ('problem' in org)
    return { refusal: { status: 400, body: { error: 'INVALID_REQUEST', message: org.problem } } };
  try {
    verifySalesforceSignature(
      salesforceOrgKey(options.secret, org.orgId),
      { method: request.method, path: request.url, body: request.body, headers: request.headers },
      (options.now ?? Date.now)(),
    );
  } catch (error) {
    if (!(error instanceof SalesforceSignatureError)) throw error;
    options.onRejected?.(error.code);
    return { refusal: { status: 401, body: { error: error.code, message: error.message } } };
  }
  return { orgId: org.orgId };
}

/** The handlers to put first on a Salesforce card route: read the body's bytes, then verify. */
export function verifySalesforceRequest(options: SalesforceSignatureOptions): RequestHandler[] {
  const readBody = express.raw({ type: () => true, limit: options.maxBodyBytes });
  const check: RequestHandler = (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    let outcome;
    try {
      outcome = checkSalesforceRequest(
        { method: req.method, url: req.originalUrl, headers: req.headers, body: rawBody(req) },
        options,
      );
    } catch (error) {
      return next(error);
    }
    if ('refusal' in outcome) {
      res.status(outcome.refusal.status).json(outcome.refusal.body);
      return;
    }
    verifiedOrgs.set(req, outcome.orgId);
    next();
  };
  return [readBody, check];
}
