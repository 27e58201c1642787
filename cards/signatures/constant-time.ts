import { timingSafeEqual } from 'node:crypto';

/**
 * True when the two texts are byte-for-byte equal, in time that does not depend on where they differ.
 * timingSafeEqual needs buffers of one length; a length mismatch answers false at once, which reveals only the
 * length, and a signature's length is public (44 base64 characters for v3, 64 hex digits for v1).
 */
export function equalInConstantTime(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
