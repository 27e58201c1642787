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
  onRejected?: (req: Request, code: string) => void;
};

type Verified = { portalId: string | undefined };
const verifiedRequests = new WeakMap<Request, Verified>();

/** True once the signature middleware has accepted this request. */
export function isVerifiedHubSpotRequest(req: Request): boolean {
  return verifiedRequests.has(req);
}

/** The portal id of the signed URL, for a route verified with `portalId: 'query'`; else undefined. */
export function verifiedPortalId(req: Request): string | undefined {
  return verifiedRequests.get(req)?.portalId;
}

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The bytes express.raw kept; a request without a body (a GET) has none. */
export function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

function signedUrl(req: Request, publicUrl: string | undefined): string {
  const origin = publicUrl?.replace(/\/+$/, '') ?? `https://${header(req, 'host') ?? ''}`;
  return `${origin}${req.originalUrl}`;
}

function verify(req: Request, options: HubSpotSignatureOptions, clientSecret: string): SignatureVersion {
  const v3 = header(req, 'x-hubspot-signature-v3');
  const legacy = header(req, 'x-hubspot-signature');
  if (v3 !== undefined && options.versions.includes('v3')) {
    verifySignatureV3(
      clientSecret,
      {
        method: req.method,
        uri: signedUrl(req, options.publicUrl),
        body: rawBody(req),
        timestamp: header(req, 'x-hubspot-request-timestamp'),
        signature: v3,
      },
      (options.now ?? Date.now)(),
    );
    return 'v3';
  }
  if (legacy !== undefined) {
    const version = (header(req, 'x-hubspot-signature-version') ?? 'v1').toLowerCase();
    if (version === 'v1' && options.versions.includes('v1')) {
      verifySignatureV1(clientSecret, { body: rawBody(req), signature: legacy });
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
function portalIdOfQuery(req: Request): { portalId: string } | { problem: string } {
  const value = new URL(req.originalUrl, 'https://signed.invalid').searchParams.get('portalId');
  if (value === null) return { problem: 'portalId: required in the query (the HubSpot portal id)' };
  if (!/^[1-9]\d{0,19}$/.test(value)) return { problem: 'portalId: must be a HubSpot portal id (digits)' };
  return { portalId: value };
}

/**
 * The handlers to put first on a route: read the body's bytes (limit: maxBodyBytes), then verify.
 * Example: `router.post('/webhooks/hubspot', ...verifyHubSpotSignature({ clientSecret, versions: ['v3', 'v1'], maxBodyBytes: 1 << 20 }), handler)`.
 */
export function verifyHubSpotSignature(options: HubSpotSignatureOptions): RequestHandler[] {
  if (options.portalId === 'query' && options.versions.includes('v1'))
    throw new RangeError(
      'a v1 signature does not cover the URL: take the portal id from the query with v3 only',
    );
  const readBody = express.raw({ type: () => true, limit: options.maxBodyBytes });
  const check: RequestHandler = (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    const { clientSecret } = options;
    if (clientSecret === undefined || clientSecret === '') {
      res.status(503).json({
        error: 'HUBSPOT_SIGNATURES_NOT_CONFIGURED',
        message:
          "set HUBSPOT_CLIENT_SECRET (the app's client secret, in its Auth settings) to accept HubSpot requests",
      });
      return;
    }
    try {
      verify(req, options, clientSecret);
    } catch (error) {
      if (!(error instanceof HubSpotSignatureError)) return next(error);
      options.onRejected?.(req, error.code);
      res.status(401).json({ error: error.code, message: error.message });
      return;
    }
    let portalId: string | undefined;
    if (options.portalId === 'query') {
      const found = portalIdOfQuery(req);
      if ('problem' in found) {
        res.status(400).json({ error: 'INVALID_REQUEST', message: found.problem });
        return;
      }
      portalId = found.portalId;
    }
    verifiedRequests.set(req, { portalId });
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
