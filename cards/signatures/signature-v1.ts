/**
 * HubSpot's v1 request signature, still sent on webhook deliveries (`X-HubSpot-Signature` with
 * `X-HubSpot-Signature-Version: v1`): hex(SHA-256(client secret + raw body)) (NOTES §3). It signs neither the
 * URL nor a time, so a captured delivery can be replayed: prefer v3 when both are sent; the webhook dedupe makes
 * a replayed delivery add nothing.
 */
import { createHash } from 'node:crypto';
import { equalInConstantTime } from './constant-time';
import { HubSpotSignatureError } from './signature-error';

/** Example: signatureV1('yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy', body) → '232db261…17de' (NOTES §3 vector). */
export function signatureV1(clientSecret: string, body: Buffer | string): string {
  return createHash('sha256').update(clientSecret, 'utf8').update(body).digest('hex');
}

export type SignedRequestV1 = {
  /** The exact bytes received. */
  body: Buffer | string;
  /** The `X-HubSpot-Signature` header. */
  signature: string | undefined;
};

/** Returns when the signature is the client secret's; throws HubSpotSignatureError otherwise. */
export function verifySignatureV1(clientSecret: string, request: SignedRequestV1): void {
  if (request.signature === undefined || request.signature === '')
    throw new HubSpotSignatureError('SIGNATURE_MISSING', 'the request has no X-HubSpot-Signature header');
  if (!equalInConstantTime(signatureV1(clientSecret, request.body), request.signature))
    throw new HubSpotSignatureError(
      'SIGNATURE_MISMATCH',
      'the v1 signature does not match the body and the app secret',
    );
}
