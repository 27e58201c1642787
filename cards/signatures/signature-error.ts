/**
 * Why a request that claims to come from HubSpot was refused. The code is stable (tests and the 401 answer
 * carry it); the message says what was wrong without repeating any signature, secret or body.
 */
import { CrmClvError } from '../../domain/errors';

export const SIGNATURE_REJECTIONS = [
  'SIGNATURE_MISSING',
  'SIGNATURE_VERSION_UNSUPPORTED',
  'SIGNATURE_MISMATCH',
  'SIGNATURE_TIMESTAMP_MISSING',
  'SIGNATURE_TIMESTAMP_INVALID',
  'SIGNATURE_TIMESTAMP_EXPIRED',
  'SIGNATURE_TIMESTAMP_IN_FUTURE',
] as const;
export type SignatureRejection = (typeof SIGNATURE_REJECTIONS)[number];

export class HubSpotSignatureError extends CrmClvError<SignatureRejection> {
  constructor(code: SignatureRejection, message: string) {
    super(code, message);
  }
}
