/**
 * HubSpot's v3 request signature (NOTES §3; HubSpot "Validating requests from HubSpot"), sent on webhooks,
 * card and action-hook requests and `hubspot.fetch` calls as `X-HubSpot-Signature-v3` with
 * `X-HubSpot-Request-Timestamp` (ms since the epoch):
 *   base64(HMAC-SHA256(key = client secret, method + decoded URI + raw body + timestamp header))
 * with the URI decoded by the table of uri-decoding.ts, no separators, UTF-8, an empty body for GET.
 *
 * Unlike `@hubspot/api-client`'s `Signature.isValid` (the cross-check in our tests), this refuses a timestamp
 * more than 5 minutes in the future as well as one more than 5 minutes old (a signature made ahead of time is
 * as replayable as an old one), decodes the URI itself, and compares in constant time.
 */
import { createHmac } from 'node:crypto';
import { equalInConstantTime } from './constant-time';
import { HubSpotSignatureError } from './signature-error';
import { decodeSignedUri } from './uri-decoding';

/** HubSpot's window: "reject the request if the timestamp is older than 5 minutes" (and, here, as far ahead). */
export const MAX_TIMESTAMP_SKEW_MS = 5 * 60_000;

export type SignedRequestV3 = {
  /** As sent, e.g. 'POST'. */
  method: string;
  /** The full URL HubSpot called, `https://host/path?query`, percent-encodings as received. */
  uri: string;
  /** The exact bytes received (empty for a GET). */
  body: Buffer | string;
  /** The `X-HubSpot-Request-Timestamp` header, as sent. */
  timestamp: string | undefined;
  /** The `X-HubSpot-Signature-v3` header. */
  signature: string | undefined;
};

/**
 * The v3 signature of a request (the URI is decoded here).
 * Example: signatureV3(secret, { method: 'GET', uri: 'https://crm-clv.example.com/hubspot/card?portalId=62515&email=a%40b.com',
 * body: '', timestamp: '1700000000000' }) → '2ARk0CnyyQJnaIhOUnKaGO8d8Isz4fF7WbweFrTeiwM=' (NOTES §3).
 */
export function signatureV3(
  clientSecret: string,
  request: Pick<SignedRequestV3, 'method' | 'uri' | 'body'> & { timestamp: string },
): string {
  return createHmac('sha256', clientSecret)
    .update(request.method, 'utf8')
    .update(decodeSignedUri(request.uri), 'utf8')
    .update(request.body)
    .update(request.timestamp, 'utf8')
    .digest('base64');
}

/**
 * Returns when the request is signed with the client secret within ±5 minutes of `now`; throws
 * HubSpotSignatureError with the reason otherwise. The time is checked first: a stale request costs no HMAC.
 */
export function verifySignatureV3(
  clientSecret: string,
  request: SignedRequestV3,
  now: number = Date.now(),
): void {
  const { signature, timestamp } = request;
  if (signature === undefined || signature === '')
    throw new HubSpotSignatureError('SIGNATURE_MISSING', 'the request has no X-HubSpot-Signature-v3 header');
  if (timestamp === undefined || timestamp === '')
    throw new HubSpotSignatureError(
      'SIGNATURE_TIMESTAMP_MISSING',
      'a v3 signature needs the X-HubSpot-Request-Timestamp header',
    );
  if (!/^\d{1,15}$/.test(timestamp))
    throw new HubSpotSignatureError(
      'SIGNATURE_TIMESTAMP_INVALID',
      'X-HubSpot-Request-Timestamp must be milliseconds since the epoch',
    );
  const age = now - Number(timestamp);
  if (age > MAX_TIMESTAMP_SKEW_MS)
    throw new HubSpotSignatureError(
      'SIGNATURE_TIMESTAMP_EXPIRED',
      'the request was signed more than 5 minutes ago; HubSpot signs each attempt afresh',
    );
  if (-age > MAX_TIMESTAMP_SKEW_MS)
    throw new HubSpotSignatureError(
      'SIGNATURE_TIMESTAMP_IN_FUTURE',
      "the request's timestamp is more than 5 minutes ahead of this server's clock",
    );
  const expected = signatureV3(clientSecret, { ...request, timestamp });
  if (!equalInConstantTime(expected, signature))
    throw new HubSpotSignatureError(
      'SIGNATURE_MISMATCH',
      'the v3 signature does not match the method, URL, body, timestamp and the app secret',
    );
}
