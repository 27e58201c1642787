/**
 * Express middleware that lets a request through only when HubSpot signed it, before any handler of the route
 * reads it. It keeps the body's exact bytes (express.raw, so nothing re-serialises what was signed), verifies
 * `X-HubSpot-Signature-v3` (or, where allowed, the webhooks' legacy v1 `X-HubSpot-Signature`), and answers 401
 * `{ error, message }` otherwise, with the reason's stable code and never a signature or the secret.
 *
 * What a verified request may be trusted for is only what the signature covers: with v3 the method, URL and
 * body; with v1 the body alone. The one fact put on the request is the portal id, when taken from the signed
 * URL (`portalId: 'query'`, v3 only); handlers read it with verifiedPortalId(req) and build the tenant from it
 * (crmTenantId('hubspot', portalId)), never from a header or an unsigned parameter. Webhook handlers take each
 * event's portal from the verified body bytes instead.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { HubSpotSignatureError } from './signature-error';
import { verifySignatureV1 } from './signature-v1';
import { verifySignatureV3 } from './signature-v3';

export type SignatureVersion = 'v1' | 'v3';

export type HubSpotSignatureOptions = {
  /** The app's client secret (HUBSPOT_CLIENT_SECRET); without one every request is refused with 503. */
  clientSecret: string | undefined;
  /** Versions accepted, v3 preferred when a request carries both. The card API takes v3 only. */
  versions: readonly SignatureVersion[];
  /**
   * The origin HubSpot calls, e.g. `https://crm-clv.example.com` (behind a proxy that rewrites Host or the
   * scheme). Default: `https://` + the Host header, as HubSpot only calls HTTPS URLs (NOTES §1.4, §6).
   */
  publicUrl?: string;
  /** Largest body read, in bytes; a larger one is answered 413 before it is verified. */
  maxBodyBytes: number;
  /** 'query': the portal id comes from the signed URL's `portalId` parameter (needs v3 only). */
  portalId?: 'query';
  /** The clock the timestamp window is judged by. */
  now?: () => number;
  /** Told of each refusal (for the log): the reason's code, never a header value. */
  onRejected?: (req: IncomingMessage, code: string) => void;
};

export type Verified = { portalId: string | undefined };
const verifiedRequests = new WeakMap<Request, Verified>();

/** True once the signature middleware has accepted this request. */
export function isVerifiedHubSpotRequest(req: Request): boolean {
  return verifiedRequests.has(req);
}

/** The portal id of the signed URL, for a route verified with `portalId: 'query'`; else undefined. */
export function verifiedPortalId(req: Request): string | undefined {
  return verifiedRequests.get(req)?.portalId;
}

/** What a signature is checked against: the request as received (express's or node:http's alike). */
export type ReceivedRequest = {
  method: string;
  /** The path and query as received (express: originalUrl; node:http: url). */
  url: string;
  headers: IncomingHttpHeaders;
  /** The exact body bytes; empty for a request without a body. */
  body: Buffer;
};

/** A refusal to answer before anything behind the check runs. */
export type Refusal = { status: number; body: { error: string; message: string } };

const header = (request: ReceivedRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The bytes express.raw kept; a request without a body (a GET) has none. */
export function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : EMPTY;
}
const EMPTY = Buffer.alloc(0);

function signedUrl(request: ReceivedRequest, publicUrl: string | undefined): string {
  const origin = publicUrl?.replace(/\/+$/, '') ?? `https://${header(request, 'host') ?? ''}`;
  return `${origin}${request.url}`;
}

function verify(
  request: ReceivedRequest,
  options: HubSpotSignatureOptions,
  clientSecret: string,
): SignatureVersion {
  const v3 = header(request, 'x-hubspot-signature-v3');
  const legacy = header(request, 'x-hubspot-signature');
  if (v3 !== undefined && options.versions.includes('v3')) {
    verifySignatureV3(
      clientSecret,
      {
        method: request.method,
        uri: signedUrl(request, options.publicUrl),
        body: request.body,
        timestamp: header(request, 'x-hubspot-request-timestamp'),
        signature: v3,
      },
      (options.now ?? Date.now)(),
    );
    return 'v3';
  }
  if (legacy !== undefined) {
    const version = (header(request, 'x-hubspot-signature-version') ?? 'v1').toLowerCase();
    if (version === 'v1' && options.versions.includes('v1')) {
      verifySignatureV1(clientSecret, { body: request.body, signature: legacy });
      return 'v1';
    }
    throw new HubSpotSignatureError(
      'SIGNATURE_VERSION_UNSUPPORTED',
      `signature version ${version.slice(0, 8)} is not accepted here; send ${options.versions.join(' or ')}`,
    );
  }
  throw new HubSpotSignatureError(
    'SIGNATURE_MISSING',
    options.versions.includes('v1')
      ? 'the request has neither X-HubSpot-Signature-v3 nor X-HubSpot-Signature'
      : 'the request has no X-HubSpot-Signature-v3 header',
  );
}

/** The portal id of the signed URL's query, or a 400's message. */
function portalIdOfQuery(url: string): { portalId: string } | { problem: string } {
  const value = new URL(url, 'https://signed.invalid').searchParams.get('portalId');
  if (value === null) return { problem: 'portalId: required in the query (the HubSpot portal id)' };
  if (!/^[1-9]\d{0,19}$/.test(value)) return { problem: 'portalId: must be a HubSpot portal id (digits)' };
  return { portalId: value };
}

/**
 * The check itself, for any server: the refusal to send (503 without a secret, 401 for a bad signature, 400
 * for a missing portal), or what the signature lets the route trust. A non-signature error is thrown.
 */
export function checkHubSpotRequest(
  request: ReceivedRequest,
  options: HubSpotSignatureOptions,
  onRejected?: (code: string) => void,
): { refusal: Refusal } | { verified: Verified } {
  const { clientSecret } = options;
  if (clientSecret === undefined || clientSecret === '')
    return {
      refusal: {
        status: 503,
        body: {
          error: 'HUBSPOT_SIGNATURES_NOT_CONFIGURED',
          message:
            "set HUBSPOT_CLIENT_SECRET (the app's client secret, in its Auth settings) to accept HubSpot requests",
        },
      },
    };
  try {
    verify(request, options, clientSecret);
  } catch (error) {
    if (!(error instanceof HubSpotSignatureError)) throw error;
    onRejected?.(error.code);
    return { refusal: { status: 401, body: { error: error.code, message: error.message } } };
  }
  if (options.portalId !== 'query') return { verified: { portalId: undefined } };
  const found = portalIdOfQuery(request.url);
  if ('problem' in found)
    return { refusal: { status: 400, body: { error: 'INVALID_REQUEST', message: found.problem } } };
  return { verified: { portalId: found.portalId } };
}

/** A signature option set checked once, where it is built: v1 never covers the URL a portal is read from. */
export function assertSignatureOptions(options: HubSpotSignatureOptions): void {
  if (options.portalId === 'query' && options.versions.includes('v1'))
    throw new RangeError(
      'a v1 signature does not cover the URL: take the portal id from the query with v3 only',
    );
}

/**
 * The handlers to put first on a route: read the body's bytes (limit: maxBodyBytes), then verify.
 * Example: `router.post('/webhooks/hubspot', ...verifyHubSpotSignature({ clientSecret, versions: ['v3', 'v1'], maxBodyBytes: 1 << 20 }), handler)`.
 */
export function verifyHubSpotSignature(options: HubSpotSignatureOptions): RequestHandler[] {
  assertSignatureOptions(options);
  const readBody = express.raw({ type: () => true, limit: options.maxBodyBytes });
  const check: RequestHandler = (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    let outcome;
    try {
      outcome = checkHubSpotRequest(
        { method: req.method, url: req.originalUrl, headers: req.headers, body: rawBody(req) },
        options,
        (code) => options.onRejected?.(req, code),
      );
    } catch (error) {
      return next(error);
    }
    if ('refusal' in outcome) {
      res.status(outcome.refusal.status).json(outcome.refusal.body);
      return;
    }
    verifiedRequests.set(req, outcome.verified);
    next();
  };
  return [readBody, check];
}

/**
 * Answers the body reader's refusals as JSON (413 for a body over the limit, 400 for an unreadable one) instead
 * of the server's generic 500; put it after the route.
 */
export const bodyErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  const type = (error as { type?: unknown } | null)?.type;
  const status = (error as { status?: unknown } | null)?.status;
  if (res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) return next(error);
  if (type === 'entity.too.large')
    res.status(413).json({
      error: 'PAYLOAD_TOO_LARGE',
      message: `the body is larger than this route accepts (${String((error as { limit?: unknown }).limit)} bytes)`,
    });
  else res.status(400).json({ error: 'INVALID_BODY', message: 'the request body could not be read' });
};
